import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, deflateSync, gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Bodies under this size go uncompressed (as @fastify/compress's threshold). */
const COMPRESS_THRESHOLD = 1024;
const ENCODINGS = ['br', 'gzip', 'deflate'] as const;
type Encoding = (typeof ENCODINGS)[number];

/** One serialised answer and its compressed forms, made the first time a client asks for each. */
export interface CachedBody {
  /** The data generation it was computed at (see Store.generation). */
  generation: number;
  createdAt: number;
  contentType: string;
  /** Headers the route set besides the type (e.g. Content-Disposition of a CSV download). */
  headers: Record<string, string>;
  body: Buffer;
  /**
   * A weak validator made from the body's bytes (weak: the compressed forms differ byte for byte),
   * so it changes exactly when the answer does, also across restarts of the server.
   */
  etag: string;
  encoded: Partial<Record<Encoding, Buffer>>;
}

/**
 * How browsers may keep a cached answer: only for this user (`private`: it was read with their
 * credentials), and never without asking (`no-cache`): each use is revalidated with If-None-Match,
 * which costs a 304 of a few hundred bytes while the data is unchanged.
 */
export const CACHED_ANSWER_CACHE_CONTROL = 'private, no-cache';

/** The validator of a body: W/"<SHA-256, base64url, first 32 characters>". */
export function etagOf(body: Buffer): string {
  return `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

/**
 * True when an If-None-Match header names `etag` (weak comparison, RFC 9110 §13.1.2: W/ prefixes
 * are ignored) or is `*`.
 */
export function matchesIfNoneMatch(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  for (const tag of (Array.isArray(header) ? header.join(',') : header).split(',')) {
    const t = tag.trim();
    if (t === '*' || (t !== '' && opaque(t) === wanted)) return true;
  }
  return false;
}

const COMPRESS: Record<Encoding, (b: Buffer) => Buffer> = {
  // Quality 4: @fastify/compress's default, a good ratio at a small fraction of quality 11's cost.
  br: (b) =>
    brotliCompressSync(b, {
      params: { [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_SIZE_HINT]: b.length },
    }),
  gzip: (b) => gzipSync(b),
  deflate: (b) => deflateSync(b),
};

/** The encoding to answer with: the first of br, gzip, deflate the client accepts (q > 0). */
export function chooseEncoding(header: string | undefined): Encoding | null {
  if (!header) return null;
  const accepted = new Map<string, number>();
  for (const part of header.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
    accepted.set(name!.trim(), q ? Number(q[1]) : 1);
  }
  for (const e of ENCODINGS) {
    const q = accepted.get(e) ?? accepted.get('*');
    if (q !== undefined && q > 0) return e;
  }
  return null;
}

/** Serialises a route's result the way Fastify would: strings and buffers as they are, the rest as JSON. */
export function serialise(result: unknown, reply: FastifyReply, generation: number): CachedBody {
  const body = Buffer.isBuffer(result) ? result : Buffer.from(typeof result === 'string' ? result : JSON.stringify(result));
  const type = reply.getHeader('content-type');
  const headers: Record<string, string> = {};
  const disposition = reply.getHeader('content-disposition');
  if (typeof disposition === 'string') headers['content-disposition'] = disposition;
  return {
    generation,
    createdAt: Date.now(),
    contentType: typeof type === 'string' ? type : typeof result === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    headers,
    body,
    etag: etagOf(body),
    encoded: {},
  };
}

/**
 * Sends a cached answer, compressed for this client once and then from memory; or `304 Not
 * Modified` without a body when the client's If-None-Match names the answer's ETag.
 */
export function sendCached(entry: CachedBody, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  reply.header('ETag', entry.etag).header('Cache-Control', CACHED_ANSWER_CACHE_CONTROL).header('Vary', 'Accept-Encoding');
  if (matchesIfNoneMatch(request.headers['if-none-match'], entry.etag)) return reply.code(304).send();
  reply.type(entry.contentType);
  for (const [k, v] of Object.entries(entry.headers)) reply.header(k, v);
  const encoding = entry.body.length >= COMPRESS_THRESHOLD ? chooseEncoding(request.headers['accept-encoding']) : null;
  if (!encoding) return reply.send(entry.body);
  const encoded = (entry.encoded[encoding] ??= COMPRESS[encoding](entry.body));
  // Setting the encoding tells @fastify/compress the body is compressed already.
  return reply.header('Content-Encoding', encoding).header('Content-Length', encoded.length).send(encoded);
}

/**
 * Answers by key, least recently used first out when over its byte budget. An entry is served only
 * at the generation it was computed at, and (for a store other processes may write) while young.
 */
export class ResponseCache {
  private readonly entries = new Map<string, CachedBody>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    /** How long an entry may be served; Infinity when only this process writes the store. */
    private readonly maxAgeMs: number,
  ) {}

  /** The entry for `key` if it is current at `generation`. */
  get(key: string, generation: number): CachedBody | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.generation !== generation || Date.now() - e.createdAt > this.maxAgeMs) {
      this.delete(key);
      return undefined;
    }
    // Refresh its place in the recency order.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e;
  }

  set(key: string, entry: CachedBody): void {
    if (entry.body.length * 2 > this.maxBytes) return;
    this.delete(key);
    this.entries.set(key, entry);
    this.bytes += entry.body.length * 2; // room for its compressed forms
    for (const [k] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.delete(k);
    }
  }

  /** Entries held (for tests and the benchmark). */
  get size(): number {
    return this.entries.size;
  }

  private delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.bytes -= e.body.length * 2;
    this.entries.delete(key);
  }
}
