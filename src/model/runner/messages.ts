import type { RunResult } from '../scenarios/results.js';
import type { Scenario } from '../scenarios/scenario.schema.js';

/** What the orchestrator sends a worker: one run of a validated scenario with a seed. */
export interface RunRequest {
  type: 'run';
  id: number;
  scenario: Scenario;
  seed: number;
}

/** What a worker answers: progress after each simulated year, then a result or an error. */
export type WorkerMessage =
  | { type: 'progress'; id: number; year: number; years: number }
  | { type: 'result'; id: number; result: RunResult }
  | { type: 'error'; id: number; code: string; message: string };
