import { availableParallelism } from 'node:os';
import { RunPool } from './runner/pool.js';
import { compileScenario } from './scenarios/compile.js';
import { toRunResult, type RunResult } from './scenarios/results.js';
import type { Scenario } from './scenarios/scenario.schema.js';

/** What a caller may follow and stop of the runs of one scenario. */
export interface SeedRunOptions {
  /** Run k (of `seeds`) was taken up by a worker. */
  onStart?: ((run: number) => void) | undefined;
  /** Run k has simulated another year: `stepsDone` of its `steps` (after burn-in). */
  onProgress?: ((run: number, progress: { year: number; years: number; stepsDone: number; steps: number }) => void) | undefined;
  /** Run k has finished. */
  onDone?: ((run: number) => void) | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Runs a validated scenario once per seed on a pool's workers: each seed's world is compiled
 * here, sent to a worker, and the engine's raw outputs that come back are labelled here. Results
 * come in seed order; the first failure (or a cancellation) rejects.
 */
export function runSeeds(pool: RunPool, scenario: Scenario, seeds: readonly number[], opts: SeedRunOptions = {}): Promise<RunResult[]> {
  return Promise.all(
    seeds.map(async (seed, k) => {
      const { world, labels } = compileScenario(scenario, seed);
      const { steps } = world;
      const stepsPerYear = Math.round(1 / world.dt);
      const outputs = await pool.run(world, {
        signal: opts.signal,
        onStart: () => opts.onStart?.(k),
        onProgress: (year, years) => opts.onProgress?.(k, { year, years, stepsDone: Math.min(steps, year * stepsPerYear), steps }),
      });
      opts.onDone?.(k);
      return toRunResult(scenario, seed, labels, outputs);
    }),
  );
}

/**
 * Runs the scenario once per seed on a pool of its own of `workers` threads (closed at the end);
 * `onProgress` gets the years simulated over all runs and their total.
 */
export async function runMany(
  scenario: Scenario,
  seeds: number[],
  opts: { workers?: number | undefined; onProgress?: ((done: number, total: number) => void) | undefined } = {},
): Promise<RunResult[]> {
  const pool = new RunPool(Math.max(1, Math.min(opts.workers ?? availableParallelism(), seeds.length)));
  const progress = new Array<number>(seeds.length).fill(0);
  try {
    return await runSeeds(pool, scenario, seeds, {
      onProgress: (k, { year }) => {
        progress[k] = year;
        opts.onProgress?.(
          progress.reduce((s, v) => s + v, 0),
          seeds.length * scenario.years,
        );
      },
    });
  } finally {
    await pool.close();
  }
}
