import { existsSync } from 'node:fs';
import path from 'node:path';
import compress from '@fastify/compress';
import cookie, { type CookieSerializeOptions, type ParseOptions } from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Services } from '../app.js';
import { AppError, describeIssues } from '../domain/errors.js';
import { WEB_DIR } from '../paths.js';
import { conform } from '../lib/input.js';
import { jsonDepth, MAX_JSON_DEPTH } from '../lib/json.js';
import { decodeHttpBody } from '../lib/text.js';
import { ANONYMOUS, authenticate, decodeCookieValue } from './auth.js';
import { answerClientError } from './client-error.js';
import { sendError } from './errors.js';
import { mediaType, NO_QUERY, type RouteDef, type TextBody, type TextBodySpec } from './route.js';
import { LoadControl, type LoadOptions } from './load.js';

import { ROUTES } from './routes/index.js';
import { SECURITY_HEADERS } from './security-headers.js';

function parseInput(schema: RouteDef['query'], input: unknown, where: string): unknown {
  if (!schema) return undefined;
  // Checked without recursion before zod walks it: 10,000 levels would overflow the stack.
  const deep = jsonDepth(input);
  if (deep.depth > MAX_JSON_DEPTH) {
    const issues = [{ field: deep.path || where, message: `nested deeper than ${MAX_JSON_DEPTH} levels` }];
    throw new AppError('VALIDATION_FAILED', `invalid ${where}: ${describeIssues(issues)}`, issues);
  }
  return conform(schema, input ?? {}, where);
}

/** A text route's body as its handler gets it: the format its media type names, and the text. */
function textBody(route: RouteDef, contentType: string | undefined, body: unknown): TextBody {
  const spec = route.textBody!;
  const format = spec.formats[mediaType(contentType)];
  // Fastify reads no body when there is none, so no parser has checked the media type.
  if (!format) throw unsupported(spec, contentType);
  return { format, text: typeof body === 'string' ? body : '' };
}

function unsupported(spec: TextBodySpec, contentType: string | undefined): AppError {
  const type = mediaType(contentType);
  return new AppError('UNSUPPORTED_MEDIA_TYPE', `unsupported content type ${type || '(none)'}; send one of ${Object.keys(spec.formats).join(', ')}`, {
    contentType: type,
    accepted: Object.keys(spec.formats),
  });
}

/** The immutable caching of the web app's content-hashed files (Vite names them by their content). */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * How browsers may keep a file of the built web app (`file` relative to it): the content-hashed
 * files under assets/ for a year without asking (a new build gives them new names), everything
 * else (index.html, which names the current assets; the icon) only after revalidating.
 */
export function webCacheControl(file: string): string {
  return file.split(path.sep).join('/').startsWith('assets/') ? IMMUTABLE : 'no-cache';
}

/** Builds the HTTP server: the API routes, the web app, security headers and one error shape. */
export async function buildServer(
  services: Services,
  opts: {
    /** true or 'requests': every request; 'errors': only failures (500s); false: nothing. */
    logger?: boolean | 'requests' | 'errors';
    /** Where log lines go (standard output by default). */
    logStream?: { write(line: string): void };
    /** The server's limits, or a load control made beforehand (tests watch its queue). */
    load?: LoadOptions | LoadControl;
  } = {},
): Promise<FastifyInstance> {
  const load = opts.load instanceof LoadControl ? opts.load : new LoadControl(services, opts.load);
  const app = Fastify({
    logger: opts.logger
      ? {
          level: opts.logger === 'errors' ? 'error' : 'info',
          redact: ['req.headers.authorization', 'req.headers.cookie'],
          ...(opts.logStream ? { stream: opts.logStream } : {}),
        }
      : false,
    logController: new LogController({ disableRequestLogging: opts.logger === 'errors' }),
    bodyLimit: 10 * 1024 * 1024,
    // Malformed URLs and the like fail before routing; they get the same error shape.
    frameworkErrors: (err, request, reply) => sendError(err, request, reply),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // Huge headers or a malformed request line, refused by Node before Fastify: same shape and headers.
    clientErrorHandler: answerClientError,
  });
  await app.register(compress, { global: true, threshold: 1024 });
  // request.cookies and reply.setCookie; a value that does not decode is no cookie (never a 500).
  // (The plugin passes parseOptions to the parser, though its types name only the serialiser's options.)
  const parseOptions: ParseOptions = { decode: decodeCookieValue as (value: string) => string };
  await app.register(cookie, { parseOptions: parseOptions as CookieSerializeOptions });

  app.addHook('onSend', async (_req, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
    return payload;
  });
  app.setErrorHandler((err, request, reply) => sendError(err, request, reply));
  // Model jobs run for this server: closing it stops their worker threads.
  app.addHook('onClose', async () => services.model.close());
  // Bodies are read as bytes so that one decoder (src/lib/text.ts) names a wrong encoding instead
  // of storing replacement characters; JSON then goes to Fastify's own (prototype-safe) parser.
  const decode = (req: { headers: { 'content-type'?: string } }, body: Buffer): string => decodeHttpBody(body, req.headers['content-type']);
  const asText = (req: { headers: { 'content-type'?: string } }, body: string | Buffer, done: (err: Error | null, body?: unknown) => void) => {
    try {
      done(null, decode(req, body as Buffer));
    } catch (e) {
      done(e as Error, undefined);
    }
  };
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: app.initialConfig.bodyLimit }, (req, body, done) => {
    let text: string;
    try {
      text = decode(req, body as Buffer);
    } catch (e) {
      return done(e as Error, undefined);
    }
    json(req, text, done);
  });

  const addRoute = (scope: FastifyInstance, route: RouteDef) =>
    scope.route({
      method: route.method,
      url: route.url,
      // In the request's context (docs/architecture.md, "Load and caching"): dropped when its client leaves.
      handler: (request, reply) =>
        load.run(route, reply, async () => {
          // Authentication first, then input: an anonymous caller learns nothing about the route.
          // Public routes (health, the API document, login) neither need nor read credentials.
          const auth = route.public ? null : await authenticate(services, request);
          if (!auth && !route.public) throw new AppError('UNAUTHENTICATED', 'log in first, or send a personal API token (Authorization: Bearer …)');
          const actor = auth?.actor ?? ANONYMOUS;
          const query = parseInput(route.query ?? NO_QUERY, request.query, 'query');
          const params = parseInput(route.params, request.params, 'path');
          const body = route.textBody ? textBody(route, request.headers['content-type'], request.body) : parseInput(route.body, request.body, 'body');
          return load.respond(route, actor, { query, params }, request, reply, () => route.handler({ query, params, body, services, actor, request, reply }));
        }),
    });
  for (const route of ROUTES) {
    const spec = route.textBody;
    if (!spec) {
      addRoute(app, route);
      continue;
    }
    // A text route (a file import) gets its body as text in the media types it lists, JSON too:
    // its service parses the format, so the API and the CLI read a file the same way.
    await app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser(Object.keys(spec.formats), { parseAs: 'buffer', bodyLimit: app.initialConfig.bodyLimit }, asText);
      scope.addContentTypeParser('*', (request, _payload, done) => done(unsupported(spec, request.headers['content-type']), undefined));
      addRoute(scope, route);
    });
  }

  const webBuilt = existsSync(WEB_DIR);
  if (webBuilt) {
    await app.register(fastifyStatic, {
      root: WEB_DIR,
      wildcard: false,
      index: ['index.html'],
      // Ours instead of send's default (public, max-age=0); also applies to index.html sent below.
      cacheControl: false,
      setHeaders: (reply, file) => reply.header('Cache-Control', webCacheControl(path.relative(WEB_DIR, file))),
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0]!;
    if (url.startsWith('/api/') || url === '/api' || request.method !== 'GET') {
      return sendError(new AppError('NOT_FOUND', `no such endpoint: ${request.method} ${url}`), request, reply);
    }
    if (!webBuilt) {
      return reply.status(503).type('text/plain').send('The web app is not built. Run: npm run build');
    }
    // Client-side routes (/about, /sites/…) are the app's; it reads the path itself.
    return reply.type('text/html').sendFile('index.html');
  });
  return app;
}
