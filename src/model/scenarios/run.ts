import { Simulation } from '../core/engine.js';
import { compileScenario } from './compile.js';
import { toRunResult, type RunResult } from './results.js';
import type { Scenario } from './scenario.schema.js';

/**
 * Runs one (scenario, seed) to the end on this thread and labels the outputs; a run in a worker
 * (`src/model/runs.ts`) gives the same bytes.
 */
export function runScenario(scenario: Scenario, seed: number, onYear?: (year: number, years: number) => void): RunResult {
  const { world, labels } = compileScenario(scenario, seed);
  const outputs = new Simulation(world).run(onYear);
  return toRunResult(scenario, seed, labels, outputs);
}
