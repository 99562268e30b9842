import { availableParallelism } from 'node:os';
import { authorize, type Actor } from '../domain/access.js';
import { AppError, invalidInput } from '../domain/errors.js';
import { MAX_RUNS_PER_JOB, type ModelJob, type ModelJobStatus, type MultiRunResultSchema, type RunResultSchema } from '../domain/model.js';
import type { z } from '../domain/validation.js';
import { newUid } from '../lib/uid.js';
import type { Store } from '../store/index.js';
import { benchWorld, type BenchResult } from './runner/bench.js';
import { RunPool } from './runner/pool.js';
import { runSeeds } from './runs.js';
import { benchScenario } from './scenarios/bench-scenario.js';
import { compileScenario, parseScenario, validateScenario } from './scenarios/compile.js';
import { summarize, type MultiRunResult, type RunResult } from './scenarios/results.js';
import type { Scenario } from './scenarios/scenario.schema.js';

// The API's response schemas (src/domain/model.ts) and the labelled results must be the same shape.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShapes: [Same<RunResult, z.infer<typeof RunResultSchema>>, Same<MultiRunResult, z.infer<typeof MultiRunResultSchema>>] = [true, true];
void sameShapes;

/** Most runs of one call from the command line. */
export const MAX_RUNS = 1000;

export interface ModelServiceOptions {
  /** Worker threads of the pool (default: one per core). */
  workers?: number | undefined;
  /** Jobs one user may have queued or running at once (default 2); beyond, 429 RATE_LIMITED. */
  maxActiveJobsPerUser?: number | undefined;
  /** Jobs queued or running in this process at once (default 8); beyond, 503 OVERLOADED. */
  maxActiveJobs?: number | undefined;
  /** Finished jobs kept per user, newest first (default 10); older ones are forgotten. */
  keepFinishedPerUser?: number | undefined;
}

/** What a run is asked for: a scenario (a file's text, or its parsed JSON), how many runs, the first seed. */
export interface ModelRunInput {
  scenario: unknown;
  runs?: number | undefined;
  seed?: number | undefined;
}

interface RunState {
  seed: number;
  status: ModelJobStatus;
  stepsDone: number;
  steps: number;
}

interface Job {
  id: string;
  /** The owner's user id, or the label of an actor without one (system, local admin). */
  owner: string;
  ownerLabel: string;
  scenario: Scenario;
  seeds: number[];
  status: ModelJobStatus;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  runs: RunState[];
  error: { code: string; message: string } | null;
  results: MultiRunResult | null;
  controller: AbortController;
}

const ACTIVE: readonly ModelJobStatus[] = ['queued', 'running'];
const now = () => new Date().toISOString();
const ownerOf = (actor: Actor) => actor.userId ?? actor.label;

/**
 * The transmission model as a service (DESIGN §5): every method begins with
 * `authorize(actor, 'model:run')`. It validates and compiles scenarios, owns the worker pool
 * (started at the first run, stopped by `close`), runs one world per seed on it and labels the
 * engine's raw outputs. Runs started through the API are jobs kept in this process's memory:
 * visible to their owner and to admins, limited per user, audited when started and cancelled,
 * and lost when the process stops.
 */
export class ModelService {
  private pool: RunPool | null = null;
  private readonly jobs = new Map<string, Job>();
  private readonly maxPerUser: number;
  private readonly maxActive: number;
  private readonly keepFinished: number;

  /** `store` keeps the audit trail of jobs; without one (the CLI's local runs) only `run` and `bench` work. */
  constructor(
    private readonly store: Store | null,
    private readonly options: ModelServiceOptions = {},
  ) {
    this.maxPerUser = options.maxActiveJobsPerUser ?? 2;
    this.maxActive = options.maxActiveJobs ?? 8;
    this.keepFinished = options.keepFinishedPerUser ?? 10;
  }

  /** Runs a scenario once per seed to the end and returns the labelled runs and their summary. */
  async run(actor: Actor, input: ModelRunInput, onProgress?: (yearsDone: number, years: number) => void): Promise<MultiRunResult> {
    authorize(actor, 'model:run');
    const { scenario, seeds } = this.request(input, MAX_RUNS);
    const years = new Array<number>(seeds.length).fill(0);
    const runs = await runSeeds(this.workers(), scenario, seeds, {
      onProgress: (k, p) => {
        years[k] = p.year;
        onProgress?.(
          years.reduce((s, v) => s + v, 0),
          seeds.length * p.years,
        );
      },
    });
    return summarize(runs);
  }

  /** Starts a run as a job and answers at once; its progress and results are read with `job`. */
  async start(actor: Actor, input: ModelRunInput): Promise<ModelJob> {
    authorize(actor, 'model:run');
    const { scenario, seeds } = this.request(input, MAX_RUNS_PER_JOB);
    const store = this.requireStore();
    const owner = ownerOf(actor);
    const active = [...this.jobs.values()].filter((j) => ACTIVE.includes(j.status));
    const mine = active.filter((j) => j.owner === owner).length;
    if (mine >= this.maxPerUser) {
      throw new AppError(
        'RATE_LIMITED',
        `you already have ${mine} model runs queued or running (at most ${this.maxPerUser}); wait for one to finish or cancel it`,
        {
          limit: this.maxPerUser,
          retryAfter: 10,
        },
      );
    }
    if (active.length >= this.maxActive) {
      throw new AppError('OVERLOADED', `the server is running ${active.length} model runs (at most ${this.maxActive}); try again shortly`, {
        limit: this.maxActive,
        retryAfter: 10,
      });
    }
    const { steps } = compileScenario(scenario).world;
    const job: Job = {
      id: newUid(),
      owner,
      ownerLabel: actor.label,
      scenario,
      seeds,
      status: 'queued',
      createdAt: now(),
      startedAt: null,
      finishedAt: null,
      runs: seeds.map((seed) => ({ seed, status: 'queued', stepsDone: 0, steps })),
      error: null,
      results: null,
      controller: new AbortController(),
    };
    // Counted against the limits while its audit entry is written, so that two requests cannot both pass.
    this.jobs.set(job.id, job);
    try {
      await store.transaction((repos) =>
        repos.audit.append([
          { actor: actor.label, action: 'start', objectType: 'model-run', objectId: job.id, after: { scenario: scenario.name, runs: seeds.length, seeds } },
        ]),
      );
    } catch (e) {
      this.jobs.delete(job.id);
      throw e;
    }
    void this.execute(job);
    return this.view(job);
  }

  /** A job of the actor's (any job for an admin); NOT_FOUND for another user's, as for an unknown id. */
  async job(actor: Actor, id: string): Promise<ModelJob> {
    authorize(actor, 'model:run');
    return this.view(this.visible(actor, id));
  }

  /** Cancels a queued or running job (a cancelled one stays so); CONFLICT for one that has ended. */
  async cancel(actor: Actor, id: string): Promise<ModelJob> {
    authorize(actor, 'model:run');
    const job = this.visible(actor, id);
    if (job.status === 'cancelled') return this.view(job);
    if (!ACTIVE.includes(job.status)) {
      throw new AppError('CONFLICT', `this model run has already ${job.status === 'done' ? 'finished' : 'failed'}; there is nothing to cancel`, {
        id,
        status: job.status,
      });
    }
    await this.requireStore().transaction((repos) =>
      repos.audit.append([
        { actor: actor.label, action: 'cancel', objectType: 'model-run', objectId: job.id, before: { status: job.status }, after: { status: 'cancelled' } },
      ]),
    );
    if (!ACTIVE.includes(job.status)) return this.view(job); // it ended while the entry was written
    job.status = 'cancelled';
    for (const r of job.runs) if (ACTIVE.includes(r.status)) r.status = 'cancelled';
    job.finishedAt = now();
    job.controller.abort();
    this.prune(job.owner);
    return this.view(job);
  }

  /** Measures the model on this thread with the synthetic benchmark world (`corridor model bench`). */
  bench(actor: Actor, agents: number, years: number, onYear?: (year: number, years: number) => void): BenchResult {
    authorize(actor, 'model:run');
    const { world } = compileScenario(validateScenario(benchScenario(agents, years)));
    return benchWorld(world, onYear);
  }

  /** Cancels every job and stops the worker threads. */
  async close(): Promise<void> {
    for (const job of this.jobs.values()) job.controller.abort();
    const pool = this.pool;
    this.pool = null;
    await pool?.close();
  }

  /** The validated scenario and its seeds; VALIDATION_FAILED naming the field for bad input. */
  private request(input: ModelRunInput, maxRuns: number): { scenario: Scenario; seeds: number[] } {
    const runs = input.runs ?? 1;
    if (!Number.isInteger(runs) || runs < 1 || runs > maxRuns) {
      throw invalidInput('model run', [{ field: 'runs', value: runs, message: `must be a whole number from 1 to ${maxRuns}` }]);
    }
    if (input.seed !== undefined && (!Number.isInteger(input.seed) || input.seed < 0 || input.seed > 2 ** 32 - 1)) {
      throw invalidInput('model run', [{ field: 'seed', value: input.seed, message: `must be a whole number from 0 to ${2 ** 32 - 1}` }]);
    }
    const scenario = typeof input.scenario === 'string' ? parseScenario(input.scenario) : validateScenario(input.scenario);
    const first = input.seed ?? scenario.seed;
    return { scenario, seeds: Array.from({ length: runs }, (_, k) => (first + k) >>> 0) };
  }

  private workers(): RunPool {
    this.pool ??= new RunPool(Math.max(1, this.options.workers ?? availableParallelism()));
    return this.pool;
  }

  private requireStore(): Store {
    if (!this.store) throw new AppError('INTERNAL', 'model jobs are kept by a server with its store; this process has none');
    return this.store;
  }

  private visible(actor: Actor, id: string): Job {
    const job = this.jobs.get(id);
    if (!job || (job.owner !== ownerOf(actor) && actor.role !== 'admin')) throw new AppError('NOT_FOUND', `no model run has id "${id}"`, { id });
    return job;
  }

  private async execute(job: Job): Promise<void> {
    try {
      const runs = await runSeeds(this.workers(), job.scenario, job.seeds, {
        signal: job.controller.signal,
        onStart: (k) => {
          job.runs[k]!.status = 'running';
          if (job.status === 'queued') {
            job.status = 'running';
            job.startedAt = now();
          }
        },
        onProgress: (k, p) => {
          job.runs[k]!.stepsDone = p.stepsDone;
        },
        onDone: (k) => {
          job.runs[k]!.status = 'done';
          job.runs[k]!.stepsDone = job.runs[k]!.steps;
        },
      });
      if (job.status === 'cancelled') return;
      job.results = summarize(runs);
      job.status = 'done';
    } catch (e) {
      if (job.status === 'cancelled') return;
      // The first failure ends the job: its other runs are stopped.
      job.controller.abort();
      job.status = 'failed';
      job.error = e instanceof AppError ? { code: e.code, message: e.message } : { code: 'INTERNAL', message: 'the model run failed unexpectedly' };
      for (const r of job.runs) if (ACTIVE.includes(r.status)) r.status = 'failed';
    } finally {
      job.finishedAt ??= now();
      this.prune(job.owner);
    }
  }

  /** Forgets an owner's oldest finished jobs beyond the number kept. */
  private prune(owner: string): void {
    const finished = [...this.jobs.values()].filter((j) => j.owner === owner && !ACTIVE.includes(j.status));
    for (const old of finished.slice(0, Math.max(0, finished.length - this.keepFinished))) this.jobs.delete(old.id);
  }

  private view(job: Job): ModelJob {
    const stepsDone = job.runs.reduce((s, r) => s + r.stepsDone, 0);
    const steps = job.runs.reduce((s, r) => s + r.steps, 0);
    return {
      id: job.id,
      status: job.status,
      scenario: job.scenario.name,
      runs: job.seeds.length,
      seeds: job.seeds,
      owner: job.ownerLabel,
      createdAt: job.createdAt,
      startedAt: job.startedAt,
      finishedAt: job.finishedAt,
      progress: { stepsDone, steps, runs: job.runs.map((r) => ({ ...r })) },
      error: job.error,
      results: job.results,
    };
  }
}
