import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { servicesFor, type Services } from '../../src/app.js';
import { LOCAL_ADMIN, type Actor } from '../../src/domain/access.js';
import type { ModelJob } from '../../src/domain/model.js';
import type { ScenarioInput } from '../../src/model/scenarios/scenario.schema.js';
import { as, userWithToken } from '../support/auth.js';
import { runCli } from '../support/cli.js';
import { freshStore } from '../support/databases.js';

/**
 * Model runs through the API (issue 11): a job started by POST /api/model/runs, followed by GET
 * until done, gives the same labelled results as `corridor model run` with the same seeds; only
 * model:run may start one, only its owner (and admins) see it, a bad scenario is a 400 naming the
 * field, a job can be cancelled, a user may have only so many at once, and starts and
 * cancellations are audited.
 */

// A two-place world with miners who commute between home and a mine (as in model-cli.test.ts).
const small: ScenarioInput = {
  name: 'small mining world',
  years: 4,
  places: [
    {
      code: 'HOME',
      name: 'Home village',
      initialPrevalence: 0.1,
      population: [
        { sex: 'F', count: 600 },
        { sex: 'M', count: 500 },
      ],
    },
    {
      code: 'MINE',
      name: 'Mine',
      kind: 'site',
      initialPrevalence: 0.2,
      population: [
        { group: 'sex_workers', sex: 'F', risk: 'high', sexWorker: true, count: 80 },
        { sex: 'F', risk: 'medium', count: 150 },
      ],
    },
  ],
  mobileGroups: [{ code: 'miners', name: 'Miners', home: 'HOME', sex: 'M', count: 400, pattern: { type: 'circular', destination: 'MINE' } }],
};
/** The same world, 100 times larger and for a century: a run of a minute or so, to be cancelled. */
const long: ScenarioInput = {
  ...small,
  name: 'long mining world',
  years: 100,
  places: small.places.map((p) => ({ ...p, population: (p.population ?? []).map((x) => ({ ...x, count: x.count * 100 })) })),
  mobileGroups: small.mobileGroups!.map((g) => ({ ...g, count: g.count * 100 })),
};

let app: FastifyInstance;
let services: Services;
let drop: () => Promise<void>;
let dir: string;
let analyst: ReturnType<typeof as>;
let otherAnalyst: ReturnType<typeof as>;
let viewer: ReturnType<typeof as>;
let admin: ReturnType<typeof as>;
let viewerActor: Actor;

beforeAll(async () => {
  const fresh = await freshStore('pglite');
  drop = fresh.drop;
  services = await servicesFor(fresh.store, { demo: false });
  app = await buildServer(services);
  analyst = as(app, (await userWithToken(services, 'analyst', ['UGA'], 'analyst@test.org')).token);
  otherAnalyst = as(app, (await userWithToken(services, 'analyst', ['UGA'], 'other-analyst@test.org')).token);
  const v = await userWithToken(services, 'viewer', ['UGA'], 'viewer@test.org');
  viewer = as(app, v.token);
  viewerActor = { label: v.user.email, userId: v.user.id, role: 'viewer', scopePaths: null };
  admin = as(app, (await userWithToken(services, 'admin', [], 'root@test.org')).token);
  dir = mkdtempSync(path.join(os.tmpdir(), 'corridor-model-api-'));
  writeFileSync(path.join(dir, 'small.json'), JSON.stringify(small));
}, 120_000);
afterAll(async () => {
  await app?.close();
  await drop?.();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls a job until it has ended (or `until` holds), at most `seconds`. */
async function follow(
  client: ReturnType<typeof as>,
  id: string,
  until = (j: ModelJob) => !['queued', 'running'].includes(j.status),
  seconds = 120,
): Promise<ModelJob> {
  for (let k = 0; k < seconds * 10; k++) {
    const res = await client.get(`/api/model/runs/${id}`);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const job = res.json<ModelJob>();
    if (until(job)) return job;
    await sleep(100);
  }
  throw new Error(`job ${id} did not get there in ${seconds} s`);
}

async function auditOf(id: string) {
  return (await services.store.repos.audit.recent(1000, 'model-run')).filter((e) => e.objectId === id);
}

describe('model runs through the API', () => {
  it('runs a job for an analyst, with progress, to the same results as the CLI with the same seeds', async () => {
    const res = await analyst.send('POST', '/api/model/runs', { scenario: small, runs: 2, seed: 5 });
    expect(res.statusCode, res.body).toBe(202);
    const started = res.json<ModelJob>();
    expect(started).toMatchObject({ scenario: 'small mining world', runs: 2, seeds: [5, 6], owner: 'analyst@test.org', results: null });
    expect(['queued', 'running']).toContain(started.status);
    expect(started.progress.steps).toBe(2 * 4 * 52);
    expect(started.progress.runs.map((r) => r.steps)).toEqual([208, 208]);

    const done = await follow(analyst, started.id);
    expect(done.status).toBe('done');
    expect(done.progress).toMatchObject({ stepsDone: 416, steps: 416 });
    expect(done.progress.runs.map((r) => [r.seed, r.status, r.stepsDone])).toEqual([
      [5, 'done', 208],
      [6, 'done', 208],
    ]);
    expect(done.startedAt).not.toBeNull();
    expect(done.finishedAt).not.toBeNull();

    // The same document as `corridor model run --runs 2 --seed 5 --json`, to the byte once parsed.
    const cli = await runCli(['model', 'run', path.join(dir, 'small.json'), '--runs', '2', '--seed', '5', '--json']);
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    expect(JSON.stringify(done.results)).toBe(JSON.stringify(JSON.parse(cli.stdout)));
    // And as the service's own run on this thread's pool.
    const direct = await services.model.run(LOCAL_ADMIN, { scenario: small, runs: 2, seed: 5 });
    expect(JSON.stringify(done.results)).toBe(JSON.stringify(direct));
    expect(done.results!.runs[0]!.totals.infections).not.toBe(done.results!.runs[1]!.totals.infections);

    const audit = await auditOf(started.id);
    expect(audit.map((e) => [e.action, e.actor])).toEqual([['start', 'analyst@test.org']]);
    expect(audit[0]!.after).toEqual({ scenario: 'small mining world', runs: 2, seeds: [5, 6] });

    // A job that has finished cannot be cancelled.
    const late = await analyst.send('DELETE', `/api/model/runs/${started.id}`);
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ error: { code: 'CONFLICT' } });
  }, 180_000);

  it('refuses a viewer (403), in the service as in the route', async () => {
    const res = await viewer.send('POST', '/api/model/runs', { scenario: small });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'FORBIDDEN', details: { permission: 'model:run' } } });
    await expect(services.model.run(viewerActor, { scenario: small })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await viewer.get('/api/model/runs/anything')).statusCode).toBe(403);
  });

  it("shows a job only to its owner and admins: another user's job id is 404, as an unknown one", async () => {
    const { id } = (await analyst.send('POST', '/api/model/runs', { scenario: small, seed: 1 })).json<ModelJob>();
    for (const res of [
      await otherAnalyst.get(`/api/model/runs/${id}`),
      await otherAnalyst.send('DELETE', `/api/model/runs/${id}`),
      await analyst.get('/api/model/runs/noSuchJob1'),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    }
    expect((await admin.get(`/api/model/runs/${id}`)).statusCode).toBe(200);
    expect((await follow(analyst, id)).status).toBe('done');
    expect((await auditOf(id)).map((e) => e.action)).toEqual(['start']);
  }, 120_000);

  it('answers a bad scenario with 400 naming the field path, and starts nothing', async () => {
    const before = (await services.store.repos.audit.recent(1000, 'model-run')).length;
    const bad = { ...small, mobileGroups: [{ ...small.mobileGroups![0]!, pattern: { type: 'transport_route', route: ['HOME', 'NOWHERE'] } }] };
    const res = await analyst.send('POST', '/api/model/runs', { scenario: bad });
    expect(res.statusCode).toBe(400);
    const body = res.json<{ error: { code: string; message: string; details: { field: string; value: unknown }[] } }>();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.message).toMatch(/mobileGroups\[0\]\.pattern\.route\[1\]: no place in this scenario has this code/);
    expect(body.error.details).toContainEqual(expect.objectContaining({ field: 'mobileGroups[0].pattern.route[1]', value: 'NOWHERE' }));
    const typo = await analyst.send('POST', '/api/model/runs', {
      scenario: { ...small, places: [{ ...small.places[0]!, initialPrevalence: 2 }, small.places[1]!] },
    });
    expect(typo.statusCode).toBe(400);
    expect(typo.json<{ error: { details: { field: string }[] } }>().error.details.map((d) => d.field)).toContain('places[0].initialPrevalence');
    expect((await analyst.send('POST', '/api/model/runs', { scenario: small, runs: 0 })).statusCode).toBe(400);
    expect((await services.store.repos.audit.recent(1000, 'model-run')).length).toBe(before);
  });

  it('cancels a running job, stopping its workers, and audits the cancellation', async () => {
    const runs = Math.min(availableParallelism(), 4);
    const res = await analyst.send('POST', '/api/model/runs', { scenario: long, runs });
    expect(res.statusCode, res.body).toBe(202);
    const { id } = res.json<ModelJob>();
    const running = await follow(analyst, id, (j) => j.status === 'running' && j.progress.runs.every((r) => r.status === 'running'), 60);
    expect(running.progress.stepsDone).toBeLessThan(running.progress.steps);

    const cancel = await analyst.send('DELETE', `/api/model/runs/${id}`);
    expect(cancel.statusCode, cancel.body).toBe(200);
    const cancelled = cancel.json<ModelJob>();
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.progress.runs.every((r) => r.status === 'cancelled')).toBe(true);
    expect(cancelled.results).toBeNull();
    // Cancelling again changes nothing and is not audited again.
    expect((await analyst.send('DELETE', `/api/model/runs/${id}`)).json<ModelJob>().status).toBe('cancelled');
    expect((await auditOf(id)).map((e) => [e.action, e.actor])).toEqual([
      ['cancel', 'analyst@test.org'],
      ['start', 'analyst@test.org'],
    ]);

    // Its workers were stopped: a small job gets a worker and finishes, and the cancelled job
    // advances no further (a worker left running would go on reporting years).
    const next = (await analyst.send('POST', '/api/model/runs', { scenario: small, seed: 3 })).json<ModelJob>();
    expect((await follow(analyst, next.id)).status).toBe('done');
    await sleep(1500);
    const after = (await analyst.get(`/api/model/runs/${id}`)).json<ModelJob>();
    expect(after.status).toBe('cancelled');
    expect(after.progress.stepsDone).toBe(cancelled.progress.stepsDone);
  }, 180_000);

  it('limits the jobs a user may have queued or running (429 with Retry-After), and frees the place when one is cancelled', async () => {
    const start = () => otherAnalyst.send('POST', '/api/model/runs', { scenario: long });
    const first = await start();
    const second = await start();
    expect([first.statusCode, second.statusCode]).toEqual([202, 202]);
    const third = await start();
    expect(third.statusCode).toBe(429);
    expect(third.headers['retry-after']).toBe('10');
    expect(third.json()).toMatchObject({ error: { code: 'RATE_LIMITED', details: { limit: 2 } } });
    // Another user is not held back by this one's jobs.
    const mine = await analyst.send('POST', '/api/model/runs', { scenario: small });
    expect(mine.statusCode).toBe(202);
    expect((await otherAnalyst.send('DELETE', `/api/model/runs/${first.json<ModelJob>().id}`)).statusCode).toBe(200);
    const again = await start();
    expect(again.statusCode).toBe(202);
    for (const r of [second, again]) expect((await otherAnalyst.send('DELETE', `/api/model/runs/${r.json<ModelJob>().id}`)).statusCode).toBe(200);
    expect((await follow(analyst, mine.json<ModelJob>().id)).status).toBe('done');
  }, 120_000);
});
