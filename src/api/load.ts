import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../app.js';
import type { Actor } from '../domain/access.js';
import { AppError } from '../domain/errors.js';
import { runInRequest, type RequestContext } from '../store/request-context.js';
import { ResponseCache, sendCached, serialise, type CachedBody } from './cache.js';
import type { RouteDef } from './route.js';

/**
 * Heavy routes: reports that read much of the store, and imports. They share a small number of
 * slots so that they cannot take every connection (or the embedded store's one) from cheap reads.
 */
export const HEAVY_ROUTES: ReadonlySet<string> = new Set([
  'runValidation',
  'getCompleteness',
  'exportDataValueSet',
  'importDataValueSet',
  'importMetadata',
  'listAudit',
]);

/**
 * Reads whose answer is a function of the caller's role and scope, the query and the path alone
 * (never of who the caller is otherwise, nor of the time): their serialised, compressed answers are
 * cached until the next write.
 */
export const CACHED_ROUTES: ReadonlySet<string> = new Set([
  'listSites',
  'getPopulationTotals',
  'listCorridors',
  'listFlows',
  'listPlaces',
  'listDataSets',
  'getTaxonomy',
  'listSiteTypes',
  'listServiceTypes',
  'listPopulationGroups',
  'runValidation',
  'getCompleteness',
]);

/** Answered before anything else waiting for the database. */
const URGENT_ROUTES: ReadonlySet<string> = new Set(['getHealth']);

/** Limits of the server under load; every one has a default. */
export interface LoadOptions {
  /** Heavy requests running at once (default: 1 on the embedded store, half the pool on PostgreSQL). */
  heavyConcurrency?: number;
  /** Heavy requests that may wait for a slot; one more gets 503 OVERLOADED at once (default 4 per slot). */
  heavyQueue?: number;
  /** Longest wait for a slot before 503 OVERLOADED (default 5 s, under the usual client timeouts). */
  queueTimeoutMs?: number;
  /** The Retry-After of a 503 OVERLOADED, in seconds (default 2). */
  retryAfterSeconds?: number;
  /** Bytes of cached answers kept (default 64 MB; 0 turns the cache off). */
  cacheBytes?: number;
}

/** A bounded first-in-first-out set of slots; a waiter whose client leaves gives up its place. */
export class Slots {
  private active = 0;
  private readonly queue: { start: () => void; fail: (e: unknown) => void; signal: AbortSignal; onAbort: () => void }[] = [];

  constructor(
    private readonly max: number,
    private readonly maxQueue: number,
    private readonly timeoutMs: number,
    private readonly retryAfter: number,
  ) {}

  /** Requests running and waiting, for tests and the benchmark. */
  get state(): { active: number; waiting: number } {
    return { active: this.active, waiting: this.queue.length };
  }

  /** Runs `fn` in a slot: at once, after a wait in the queue, or not at all (OVERLOADED, CANCELLED). */
  async run<R>(signal: AbortSignal, fn: () => Promise<R>): Promise<R> {
    await this.acquire(signal);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  private overloaded(why: string): AppError {
    return new AppError('OVERLOADED', `the server is busy (${why}); try again in ${this.retryAfter} s`, { retryAfter: this.retryAfter });
  }

  private acquire(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(new AppError('CANCELLED', 'the client closed the connection before the answer was ready'));
    if (this.active < this.max) {
      this.active++;
      return Promise.resolve();
    }
    if (this.queue.length >= this.maxQueue) return Promise.reject(this.overloaded(`${this.maxQueue} requests of this kind are waiting already`));
    return new Promise<void>((resolve, reject) => {
      const leave = (err: AppError) => {
        const i = this.queue.indexOf(waiter);
        if (i < 0) return;
        this.queue.splice(i, 1);
        done();
        reject(err);
      };
      const timer = setTimeout(() => leave(this.overloaded(`no slot came free in ${Math.round(this.timeoutMs / 1000)} s`)), this.timeoutMs);
      const onAbort = () => leave(new AppError('CANCELLED', 'the client closed the connection before the answer was ready'));
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
      };
      const waiter = {
        start: () => {
          done();
          resolve();
        },
        fail: reject,
        signal,
        onAbort,
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  private release(): void {
    const next = this.queue.shift();
    if (next)
      next.start(); // the slot passes to it
    else this.active--;
  }
}

/** One computation of a cached answer, shared by every request for the same key and generation. */
interface Flight {
  promise: Promise<CachedBody>;
  controller: AbortController;
  waiters: number;
}

const signals = new WeakMap<FastifyReply, AbortSignal>();

/** The client of this request has gone: aborted when its connection closes before the answer is sent. */
function clientSignal(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  signals.set(reply, controller.signal);
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}

/** Who a cached answer may be served to: the same role and the same scope. */
function audienceKey(actor: Actor): string {
  return `${actor.role}\u0000${actor.scopePaths === null ? '*' : [...actor.scopePaths].sort().join('\u0001')}`;
}

/**
 * Keeps the server answering under load (docs/architecture.md, "Load and caching"): requests run
 * in a context whose queries are dropped once their client leaves; heavy routes share a few slots
 * behind a bounded queue (503 OVERLOADED with Retry-After beyond it); health queries go first;
 * cacheable reads are answered from memory until the next write.
 */
export class LoadControl {
  readonly heavy: Slots;
  readonly cache: ResponseCache | null;
  private readonly flights = new Map<string, Flight>();

  constructor(
    private readonly services: Services,
    opts: LoadOptions = {},
  ) {
    const connections = services.store.db.connections ?? 1;
    const slots = opts.heavyConcurrency ?? Math.max(1, Math.floor(connections / 2));
    this.heavy = new Slots(
      slots,
      // A few waiting per slot: a heavy report takes up to a second, so a longer queue only makes
      // clients wait past their own timeouts instead of hearing "busy" at once.
      opts.heavyQueue ?? 4 * slots,
      opts.queueTimeoutMs ?? 5_000,
      opts.retryAfterSeconds ?? 2,
    );
    const bytes = opts.cacheBytes ?? 64 * 1024 * 1024;
    // Only this process writes the embedded store (its directory is locked); a PostgreSQL database
    // may have other writers (the CLI, another server), whose writes this process does not see: there
    // an answer is served for one second at most.
    this.cache = bytes > 0 ? new ResponseCache(bytes, services.store.dialect === 'pglite' ? Infinity : 1000) : null;
  }

  /** Runs a request's whole handling (authentication included) in its context. */
  run<R>(route: RouteDef, reply: FastifyReply, fn: () => Promise<R>): Promise<R> {
    const signal = clientSignal(reply);
    const ctx: RequestContext = {
      // A write that has started runs to its end (or its rollback): only reads are abandoned midway.
      signal: route.method === 'GET' ? signal : undefined,
      priority: URGENT_ROUTES.has(route.operationId) ? 0 : HEAVY_ROUTES.has(route.operationId) ? 2 : 1,
    };
    return runInRequest(ctx, fn);
  }

  /** Produces the answer of `handler`: from the cache, in a heavy slot, or directly. */
  async respond(
    route: RouteDef,
    actor: Actor,
    input: { query: unknown; params: unknown },
    request: FastifyRequest,
    reply: FastifyReply,
    handler: () => Promise<unknown>,
  ): Promise<unknown> {
    const signal = signals.get(reply) ?? new AbortController().signal;
    const heavy = HEAVY_ROUTES.has(route.operationId);
    if (!this.cache || !CACHED_ROUTES.has(route.operationId) || route.method !== 'GET') {
      return heavy ? this.heavy.run(signal, handler) : handler();
    }
    const key = `${route.operationId}\u0000${audienceKey(actor)}\u0000${JSON.stringify([input.query ?? null, input.params ?? null])}`;
    const generation = this.services.store.generation;
    const hit = this.cache.get(key, generation);
    if (hit) return sendCached(hit, request, reply);
    const entry = await this.join(`${generation}\u0000${key}`, signal, async (shared) => {
      const compute = async () => {
        // The flight's own context: its queries stop only when every client waiting for it has left.
        const result = await runInRequest({ signal: shared, priority: heavy ? 2 : 1 }, handler);
        return serialise(result, reply, generation);
      };
      const computed = heavy ? await this.heavy.run(shared, compute) : await compute();
      // A write during the computation makes the answer stale for later readers (not for these).
      this.cache!.set(key, computed);
      return computed;
    });
    return sendCached(entry, request, reply);
  }

  private join(flightKey: string, signal: AbortSignal, start: (shared: AbortSignal) => Promise<CachedBody>): Promise<CachedBody> {
    let flight = this.flights.get(flightKey);
    // A flight all of whose clients have left is being abandoned: a newcomer starts afresh.
    if (!flight || flight.controller.signal.aborted) {
      const controller = new AbortController();
      const promise: Promise<CachedBody> = start(controller.signal).finally(() => {
        if (this.flights.get(flightKey) === flight) this.flights.delete(flightKey);
      });
      flight = { promise, controller, waiters: 0 };
      this.flights.set(flightKey, flight);
    }
    const f = flight;
    f.waiters++;
    const leave = () => {
      if (--f.waiters === 0) f.controller.abort();
    };
    if (signal.aborted) leave();
    else signal.addEventListener('abort', leave, { once: true });
    return f.promise.finally(() => signal.removeEventListener('abort', leave));
  }
}
