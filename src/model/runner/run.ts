import { Simulation } from '../core/engine.js';
import { compileScenario } from '../scenarios/compile.js';
import { toRunResult, type RunResult } from '../scenarios/results.js';
import type { Scenario } from '../scenarios/scenario.schema.js';

/** Runs one (scenario, seed) to the end on this thread; the same call in a worker gives the same bytes. */
export function runScenario(scenario: Scenario, seed: number, onYear?: (year: number, years: number) => void): RunResult {
  const { world, labels } = compileScenario(scenario, seed);
  const sim = new Simulation(world);
  const outputs = sim.run(onYear);
  return toRunResult(scenario, seed, labels, outputs);
}
