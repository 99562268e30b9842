/**
 * Runs the validation corridor scenario with the seed given as first argument and prints the
 * SHA-256 of its results JSON: the reproducibility test compares a fresh process with its own.
 * Usage: node --import tsx test/support/run-hash.ts <seed>
 */
import { createHash } from 'node:crypto';
import { runScenario } from '../../src/model/scenarios/run.js';
import { corridorScenario } from './scenarios.js';

const seed = Number(process.argv[2] ?? corridorScenario().seed);
process.stdout.write(
  `${createHash('sha256')
    .update(JSON.stringify(runScenario(corridorScenario(), seed)))
    .digest('hex')}\n`,
);
