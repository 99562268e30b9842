import { Simulation } from '../core/engine.js';
import type { World } from '../core/world.js';

/** What `corridor model bench` measures: the full model on this thread, on one core. */
export interface BenchResult {
  agents: number;
  years: number;
  /** Steps simulated, burn-in included (burn-in steps move agents and form partnerships). */
  steps: number;
  seconds: number;
  agentStepsPerSecond: number;
  peakRssMb: number;
  partnerships: number;
  infections: number;
}

/** Runs a compiled world (the synthetic benchmark world) on this thread and measures it. */
export function benchWorld(world: World, onYear?: (year: number, years: number) => void): BenchResult {
  const start = process.hrtime.bigint();
  const sim = new Simulation(world);
  const outputs = sim.run(onYear);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const steps = world.steps + world.burnInSteps;
  return {
    agents: sim.n,
    years: outputs.years,
    steps,
    seconds: Math.round(seconds * 1000) / 1000,
    agentStepsPerSecond: Math.round((sim.n * steps) / seconds),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    partnerships: sim.activePartnerships,
    infections: outputs.infections.reduce((s, v) => s + v, 0),
  };
}
