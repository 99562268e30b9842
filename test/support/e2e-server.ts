import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const START_TIMEOUT_MS = 120_000;
const READY = /Corridor is running at (http:\/\/localhost:\d+)/;

/** A `corridor serve` process on a free port with a data directory of its own. */
export interface E2eServer {
  /** Base URL without a trailing slash, e.g. http://localhost:41521 */
  url: string;
  /** Stops the server and deletes its data directory. */
  stop(): Promise<void>;
}

/**
 * Starts the real server (`bin/corridor.js serve`, which serves the built app in dist/web) on a
 * fresh temporary data directory, and resolves once it says where it is listening.
 */
export async function startServer(): Promise<E2eServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'corridor-e2e-'));
  const env = { ...process.env };
  // The browser test runs on the embedded store, whatever the developer's shell points at.
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['bin/corridor.js', 'serve', '--port', '0', '--data-dir', dataDir], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

  async function stop(): Promise<void> {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    await rm(dataDir, { recursive: true, force: true });
  }

  try {
    const url = await new Promise<string>((resolve, reject) => {
      const fail = (why: string) => {
        clearTimeout(timer);
        reject(new Error(`corridor serve ${why}.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
      };
      const timer = setTimeout(() => fail(`did not report its URL within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
      child.stdout.on('data', (chunk: string) => {
        stdout += chunk;
        const match = READY.exec(stdout);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.once('error', (err) => fail(`could not be started: ${err.message}`));
      child.once('exit', (code, signal) => fail(`exited before it was ready (code ${code}, signal ${signal})`));
    });
    return { url, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
