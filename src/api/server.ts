import { existsSync } from 'node:fs';
import compress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Services } from '../app.js';
import { AppError, describeIssues } from '../domain/errors.js';
import { WEB_DIR } from '../paths.js';
import { conform } from '../lib/input.js';
import { jsonDepth, MAX_JSON_DEPTH } from '../lib/json.js';
import { decodeHttpBody } from '../lib/text.js';
import { ANONYMOUS, authenticate } from './auth.js';
import { answerClientError } from './client-error.js';
import { sendError } from './errors.js';
import { NO_QUERY, type RouteDef } from './route.js';
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

/** Turns a text body (CSV, XML) into the route's input with the decoder of its media type. */
function decodeBody(route: RouteDef, contentType: string | undefined, body: unknown): unknown {
  if (typeof body !== 'string' || !route.bodyFormats) return body;
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const decode = route.bodyFormats[type];
  if (!decode) throw new AppError('VALIDATION_FAILED', `unsupported content type ${type || '(none)'}; send one of application/json, ${Object.keys(route.bodyFormats).join(', ')}`);
  return decode(body);
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
      ? { level: opts.logger === 'errors' ? 'error' : 'info', redact: ['req.headers.authorization', 'req.headers.cookie'], ...(opts.logStream ? { stream: opts.logStream } : {}) }
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

  app.addHook('onSend', async (_req, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
    return payload;
  });
  app.setErrorHandler((err, request, reply) => sendError(err, request, reply));
  // Text bodies (CSV, XML) reach routes as strings; a route's bodyFormats decodes them.
  const textTypes = [...new Set(ROUTES.flatMap((r) => Object.keys(r.bodyFormats ?? {})))];
  // Bodies are read as bytes so that one decoder (src/lib/text.ts) names a wrong encoding instead
  // of storing replacement characters; JSON then goes to Fastify's own (prototype-safe) parser.
  const decode = (req: { headers: { 'content-type'?: string } }, body: Buffer): string => decodeHttpBody(body, req.headers['content-type']);
  if (textTypes.length) {
    app.addContentTypeParser(textTypes, { parseAs: 'buffer', bodyLimit: app.initialConfig.bodyLimit }, (req, body, done) => {
      try {
        done(null, decode(req, body as Buffer));
      } catch (e) {
        done(e as Error, undefined);
      }
    });
  }
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

  for (const route of ROUTES) {
    app.route({
      method: route.method,
      url: route.url,
      // In the request's context (docs/architecture.md, "Load and caching"): dropped when its client leaves.
      handler: (request, reply) => load.run(route, reply, async () => {
        // Authentication first, then input: an anonymous caller learns nothing about the route.
        // Public routes (health, the API document, login) neither need nor read credentials.
        const auth = route.public ? null : await authenticate(services, request);
        if (!auth && !route.public) throw new AppError('UNAUTHENTICATED', 'log in first, or send a personal API token (Authorization: Bearer …)');
        const actor = auth?.actor ?? ANONYMOUS;
        const query = parseInput(route.query ?? NO_QUERY, request.query, 'query');
        const params = parseInput(route.params, request.params, 'path');
        const body = parseInput(route.body, decodeBody(route, request.headers['content-type'], request.body), 'body');
        return load.respond(route, actor, { query, params }, request, reply, () => route.handler({ query, params, body, services, actor, request, reply }));
      }),
    });
  }

  const webBuilt = existsSync(WEB_DIR);
  if (webBuilt) await app.register(fastifyStatic, { root: WEB_DIR, wildcard: false, index: ['index.html'] });
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
