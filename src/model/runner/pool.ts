import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../domain/errors.js';
import type { RunResult } from '../scenarios/results.js';
import type { Scenario } from '../scenarios/scenario.schema.js';
import type { RunRequest, WorkerMessage } from './messages.js';

/** The worker's compiled file. From the TypeScript sources (tests), use the build's. */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return path.join(path.dirname(here), 'worker.js');
  const built = path.resolve(path.dirname(here), '../../../dist/model/runner/worker.js');
  if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first`);
  return built;
}

interface Job {
  request: RunRequest;
  onProgress?: ((year: number, years: number) => void) | undefined;
  resolve(result: RunResult): void;
  reject(error: Error): void;
}

/**
 * A pool of worker threads that run model runs in parallel. The orchestrator keeps a queue and
 * hands one run at a time to each idle worker; a run's result is the same bytes as in the main thread.
 */
export class RunPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Job>();
  private readonly queue: Job[] = [];
  private readonly workers: Worker[] = [];
  private nextId = 1;

  constructor(readonly size = Math.max(1, availableParallelism())) {}

  /** Runs (scenario, seed) on the next free worker. */
  run(scenario: Scenario, seed: number, onProgress?: (year: number, years: number) => void): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request: { type: 'run', id: this.nextId++, scenario, seed }, onProgress, resolve, reject });
      this.dispatch();
    });
  }

  private spawn(): Worker {
    const worker = new Worker(workerFile());
    worker.on('message', (msg: WorkerMessage) => {
      const job = this.busy.get(worker);
      if (!job || msg.id !== job.request.id) return;
      if (msg.type === 'progress') return job.onProgress?.(msg.year, msg.years);
      this.busy.delete(worker);
      this.idle.push(worker);
      if (msg.type === 'result') job.resolve(msg.result);
      else job.reject(new AppError(msg.code === 'VALIDATION_FAILED' ? 'VALIDATION_FAILED' : 'INTERNAL', msg.message));
      this.dispatch();
    });
    worker.on('error', (err) => {
      const job = this.busy.get(worker);
      this.busy.delete(worker);
      this.workers.splice(this.workers.indexOf(worker), 1);
      job?.reject(new AppError('INTERNAL', `a model worker failed: ${err.message}`));
      this.dispatch();
    });
    this.workers.push(worker);
    return worker;
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop() ?? (this.workers.length < this.size ? this.spawn() : undefined);
      if (!worker) return;
      const job = this.queue.shift()!;
      this.busy.set(worker, job);
      worker.postMessage(job.request);
    }
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
    this.idle.length = 0;
  }
}

/** Runs the scenario once per seed on a pool of `workers` threads; results come in seed order. */
export async function runMany(
  scenario: Scenario,
  seeds: number[],
  opts: { workers?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<RunResult[]> {
  const pool = new RunPool(Math.min(opts.workers ?? availableParallelism(), seeds.length));
  const years = scenario.years;
  const progress = new Array<number>(seeds.length).fill(0);
  const report = () => opts.onProgress?.(progress.reduce((s, v) => s + v, 0), seeds.length * years);
  try {
    return await Promise.all(
      seeds.map((seed, k) =>
        pool.run(scenario, seed, (year) => {
          progress[k] = year;
          report();
        }),
      ),
    );
  } finally {
    await pool.close();
  }
}
