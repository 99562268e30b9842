import { describe, expect, it } from 'vitest';
import { QueryGate } from './query-gate.js';
import { runInRequest } from './request-context.js';

describe('QueryGate', () => {
  it('runs one query at a time, the most urgent waiting one next, and drops those of departed clients', async () => {
    const gate = new QueryGate();
    const order: string[] = [];
    let release!: () => void;
    const first = gate.run(() => new Promise<void>((r) => (release = r)).then(() => order.push('running')));
    const gone = new AbortController();
    const queued = [
      runInRequest({ priority: 2 }, () => gate.run(async () => order.push('heavy'))),
      runInRequest({ priority: 1 }, () => gate.run(async () => order.push('ordinary'))),
      runInRequest({ priority: 1, signal: gone.signal }, () => gate.run(async () => order.push('departed'))),
      runInRequest({ priority: 0 }, () => gate.run(async () => order.push('health'))),
    ];
    while (gate.waiting < 4) await new Promise((r) => setImmediate(r));
    gone.abort();
    release();
    const results = await Promise.allSettled([first, ...queued]);
    expect(order).toEqual(['running', 'health', 'ordinary', 'heavy']);
    expect(results[3]).toMatchObject({ status: 'rejected', reason: { code: 'CANCELLED' } });
    expect(gate.waiting).toBe(0);
  });

  it('refuses at once a query of a client that has already gone', async () => {
    const gate = new QueryGate();
    const gone = new AbortController();
    gone.abort();
    let ran = false;
    await expect(runInRequest({ priority: 1, signal: gone.signal }, () => gate.run(async () => (ran = true)))).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(ran).toBe(false);
  });
});
