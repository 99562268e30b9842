import { currentRequest, throwIfCancelled, type RequestContext } from './request-context.js';

interface Waiter {
  ctx: RequestContext | undefined;
  start(): void;
  fail(err: unknown): void;
}

/**
 * The embedded store has one connection, so its queries run one at a time. This gate queues them
 * by priority (health, then ordinary reads and writes, then heavy reports) instead of in arrival
 * order, and drops a queued query whose client has gone before it ever reaches the database.
 */
export class QueryGate {
  private busy = false;
  private readonly queues: Waiter[][] = [[], [], []];

  /** Runs `fn` when the connection is free and no more urgent query waits. */
  async run<R>(fn: () => Promise<R>): Promise<R> {
    // PGlite computes on this thread and resolves with promises only: a request's chain of
    // queries would run start to end without the event loop ever reading a socket, so that new
    // requests (health among them), departed clients and the queue's order would go unseen until
    // it ends. One turn of the event loop before each query lets them in.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const ctx = currentRequest();
    throwIfCancelled(ctx);
    if (this.busy) {
      await new Promise<void>((start, fail) => this.queues[ctx?.priority ?? 1]!.push({ ctx, start, fail }));
    } else this.busy = true;
    try {
      return await fn();
    } finally {
      this.next();
    }
  }

  /** How many queries wait for the connection. */
  get waiting(): number {
    return this.queues.reduce((n, q) => n + q.length, 0);
  }

  private next(): void {
    for (const queue of this.queues) {
      let w: Waiter | undefined;
      while ((w = queue.shift())) {
        if (w.ctx?.signal?.aborted) {
          try {
            throwIfCancelled(w.ctx);
          } catch (e) {
            w.fail(e);
          }
          continue;
        }
        w.start(); // the gate stays busy: handed over
        return;
      }
    }
    this.busy = false;
  }
}
