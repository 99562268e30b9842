import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../domain/errors.js';
import type { RunOutputs } from '../core/outputs.js';
import type { World } from '../core/world.js';
import { buffersOf, type RunRequest, type WorkerMessage } from './messages.js';

/** The worker's compiled file. From the TypeScript sources (tests), use the build's. */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return path.join(path.dirname(here), 'worker.js');
  const built = path.resolve(path.dirname(here), '../../../dist/model/runner/worker.js');
  if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first`);
  return built;
}

/** What a caller may follow and stop of one run. */
export interface RunOptions {
  /** Called when a worker takes the run up. */
  onStart?: (() => void) | undefined;
  /** Called after each simulated year. */
  onProgress?: ((year: number, years: number) => void) | undefined;
  /** Stops the run: a queued run leaves the queue, a running one's worker is stopped. */
  signal?: AbortSignal | undefined;
}

interface Job {
  request: RunRequest;
  options: RunOptions;
  resolve(outputs: RunOutputs): void;
  reject(error: Error): void;
  /** Removes the job's abort listener. */
  done(): void;
}

const cancelled = () => new AppError('CANCELLED', 'the model run was cancelled');

/**
 * A pool of worker threads that run compiled worlds in parallel. The orchestrator keeps a queue
 * and hands one run at a time to each idle worker; workers start when first needed, and an idle
 * worker does not keep the process alive. A run's outputs are the same numbers as in the main
 * thread. The pool knows the engine only: compiling scenarios and labelling outputs is its
 * caller's work (`src/model/runs.ts`).
 */
export class RunPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Job>();
  private readonly queue: Job[] = [];
  private readonly workers = new Set<Worker>();
  private nextId = 1;
  private closed = false;

  constructor(readonly size = Math.max(1, availableParallelism())) {}

  /**
   * Runs a compiled world on the next free worker. The world's typed arrays are transferred to
   * the worker: the caller must not use the world afterwards.
   */
  run(world: World, options: RunOptions = {}): Promise<RunOutputs> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new AppError('INTERNAL', 'the model worker pool is closed'));
      if (options.signal?.aborted) return reject(cancelled());
      const onAbort = () => this.abort(job);
      const job: Job = {
        request: { type: 'run', id: this.nextId++, world },
        options,
        resolve,
        reject,
        done: () => options.signal?.removeEventListener('abort', onAbort),
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(job);
      this.dispatch();
    });
  }

  /** Runs queued or running now. */
  get pending(): number {
    return this.queue.length + this.busy.size;
  }

  private settle(job: Job, outcome: { outputs: RunOutputs } | { error: Error }): void {
    job.done();
    if ('outputs' in outcome) job.resolve(outcome.outputs);
    else job.reject(outcome.error);
  }

  private abort(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      return this.settle(job, { error: cancelled() });
    }
    for (const [worker, j] of this.busy) {
      if (j !== job) continue;
      // The engine runs to the end of a run once started: stopping it means stopping its thread.
      this.retire(worker);
      void worker.terminate();
      this.settle(job, { error: cancelled() });
      this.dispatch();
      return;
    }
  }

  /** Forgets a worker (stopped or failed); its job, if any, is the caller's to settle. */
  private retire(worker: Worker): Job | undefined {
    const job = this.busy.get(worker);
    this.busy.delete(worker);
    this.workers.delete(worker);
    const k = this.idle.indexOf(worker);
    if (k >= 0) this.idle.splice(k, 1);
    return job;
  }

  private spawn(): Worker {
    const worker = new Worker(workerFile());
    worker.on('message', (msg: WorkerMessage) => {
      const job = this.busy.get(worker);
      if (!job || msg.id !== job.request.id) return;
      if (msg.type === 'progress') return job.options.onProgress?.(msg.year, msg.years);
      this.busy.delete(worker);
      this.idle.push(worker);
      worker.unref();
      if (msg.type === 'result') this.settle(job, { outputs: msg.outputs });
      else this.settle(job, { error: new AppError('INTERNAL', `a model run failed: ${msg.message}`) });
      this.dispatch();
    });
    const failed = (why: string) => {
      if (!this.workers.has(worker)) return; // stopped on purpose
      const job = this.retire(worker);
      if (job) this.settle(job, { error: new AppError('INTERNAL', `a model worker failed: ${why}`) });
      this.dispatch();
    };
    worker.on('error', (err) => failed(err.message));
    worker.on('exit', (code) => failed(`it stopped (exit code ${code})`));
    this.workers.add(worker);
    return worker;
  }

  private dispatch(): void {
    while (this.queue.length > 0 && !this.closed) {
      const worker = this.idle.pop() ?? (this.workers.size < this.size ? this.spawn() : undefined);
      if (!worker) return;
      const job = this.queue.shift()!;
      this.busy.set(worker, job);
      worker.ref();
      job.options.onStart?.();
      worker.postMessage(job.request, buffersOf(job.request.world));
    }
  }

  /** Stops every worker; runs still queued or running fail as cancelled. */
  async close(): Promise<void> {
    this.closed = true;
    const jobs = [...this.queue, ...this.busy.values()];
    this.queue.length = 0;
    const workers = [...this.workers];
    for (const w of workers) this.retire(w);
    for (const job of jobs) this.settle(job, { error: cancelled() });
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
