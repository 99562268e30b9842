import { parentPort } from 'node:worker_threads';
import { buffersOf, type RunRequest, type WorkerMessage } from './messages.js';
import { runWorld } from './run.js';

// Worker side of the pool: runs the worlds it is sent, one at a time, and reports by typed
// messages. It knows the engine only: no scenario file, no labels.
const port = parentPort;
if (!port) throw new Error('worker.ts runs only as a worker thread');

port.on('message', (msg: RunRequest) => {
  const post = (m: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
  try {
    const outputs = runWorld(msg.world, (year, years) => post({ type: 'progress', id: msg.id, year, years }));
    // The outputs' arrays move to the orchestrator; this worker drops its run.
    post({ type: 'result', id: msg.id, outputs }, buffersOf(outputs));
  } catch (e) {
    post({ type: 'error', id: msg.id, message: e instanceof Error ? e.message : String(e) });
  }
});
