import { Simulation } from '../core/engine.js';
import type { RunOutputs } from '../core/outputs.js';
import type { World } from '../core/world.js';

/** Runs a compiled world to the end on this thread; the same call in a worker gives the same outputs. */
export function runWorld(world: World, onYear?: (year: number, years: number) => void): RunOutputs {
  return new Simulation(world).run(onYear).data();
}
