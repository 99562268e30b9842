import { parentPort } from 'node:worker_threads';
import { AppError } from '../../domain/errors.js';
import type { RunRequest, WorkerMessage } from './messages.js';
import { runScenario } from './run.js';

// Worker side of the pool: runs what it is sent, one run at a time, and reports by typed messages.
const port = parentPort;
if (!port) throw new Error('worker.ts runs only as a worker thread');

port.on('message', (msg: RunRequest) => {
  const post = (m: WorkerMessage) => port.postMessage(m);
  try {
    const result = runScenario(msg.scenario, msg.seed, (year, years) => post({ type: 'progress', id: msg.id, year, years }));
    post({ type: 'result', id: msg.id, result });
  } catch (e) {
    post({
      type: 'error',
      id: msg.id,
      code: e instanceof AppError ? e.code : 'INTERNAL',
      message: e instanceof Error ? e.message : String(e),
    });
  }
});
