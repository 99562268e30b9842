import { AsyncLocalStorage } from 'node:async_hooks';
import { AppError } from '../domain/errors.js';

/**
 * What the store needs to know about the request a query runs for: whether its client has gone
 * (then queries not yet started are refused) and how urgent it is (health before heavy reports).
 */
export interface RequestContext {
  signal?: AbortSignal | undefined;
  /** 0 runs first (health), 1 is ordinary, 2 is a heavy report. */
  priority: 0 | 1 | 2;
}

const context = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` with queries on the store attributed to this request. */
export function runInRequest<R>(ctx: RequestContext, fn: () => R): R {
  return context.run(ctx, fn);
}

/** The context of the current async flow (ordinary priority outside any request: CLI, seeding). */
export function currentRequest(): RequestContext | undefined {
  return context.getStore();
}

/** Refuses to start work for a client that has gone away. */
export function throwIfCancelled(ctx: RequestContext | undefined = context.getStore()): void {
  if (ctx?.signal?.aborted) throw new AppError('CANCELLED', 'the client closed the connection before the answer was ready');
}
