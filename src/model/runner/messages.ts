import type { RunOutputs } from '../core/outputs.js';
import type { World } from '../core/world.js';

/**
 * What the orchestrator sends a worker: one compiled world to run (its seed is `world.seed`).
 * The world's typed arrays are transferred, not copied element by element.
 */
export interface RunRequest {
  type: 'run';
  id: number;
  world: World;
}

/** What a worker answers: progress after each simulated year, then the engine's raw outputs or an error. */
export type WorkerMessage =
  | { type: 'progress'; id: number; year: number; years: number }
  | { type: 'result'; id: number; outputs: RunOutputs }
  | { type: 'error'; id: number; message: string };

/** The distinct buffers under the typed arrays of a value (a world, outputs): its transfer list. */
export function buffersOf(value: unknown, into = new Set<ArrayBuffer>()): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) into.add(value.buffer);
  } else if (Array.isArray(value)) {
    for (const v of value) buffersOf(v, into);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) buffersOf(v, into);
  }
  return [...into];
}
