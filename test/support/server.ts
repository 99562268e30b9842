import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './cli.js';

/** The first admin of every test server (set through the environment, as a deployer would). */
export const TEST_ADMIN = { email: 'admin@test.org', password: 'test admin password 42' };

/** A real `corridor serve` process on a free port. */
export interface RunningServer {
  url: string;
  /** Everything the server has printed so far (standard output, then standard error). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the built server as a user would (`corridor serve --port 0`) on a fresh embedded data
 * directory, or on `databaseUrl` when given; resolves once it prints its URL.
 */
export async function startServer(opts: { databaseUrl?: string; dataDir?: string } = {}): Promise<RunningServer> {
  for (const built of ['dist/cli/main.js', 'dist/web/index.html']) {
    if (!existsSync(path.join(ROOT, built))) throw new Error(`${built} is missing: run \`npm run build\` before these tests.`);
  }
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'corridor-server-'));
  const env: NodeJS.ProcessEnv = { ...process.env, CORRIDOR_ADMIN_EMAIL: TEST_ADMIN.email, CORRIDOR_ADMIN_PASSWORD: TEST_ADMIN.password };
  delete env.DATABASE_URL;
  if (opts.databaseUrl) env.DATABASE_URL = opts.databaseUrl;
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['bin/corridor.js', 'serve', '--port', '0', '--data-dir', dataDir], { cwd: ROOT, env });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start in 120 s: ${stderr}`)), 120_000);
      child.stdout.on('data', () => {
        const m = /Corridor is running at (http:\/\/localhost:\d+)/.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited with code ${code}: ${stderr}`));
      });
    });
    return { url, output: () => stdout + stderr, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Logs in to a running server; returns the headers that authenticate later requests (cookie, CSRF). */
export async function login(url: string, who = TEST_ADMIN): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who) });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, csrf: csrfToken };
}

/**
 * Calls a running server's API as a logged-in user (session cookie, and the CSRF token on
 * writes), for a test's own setup and checks: the status and the JSON answer (none for 204).
 */
export function apiAs(url: string, auth: { cookie: string; csrf: string }) {
  return async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { cookie: auth.cookie, 'x-csrf-token': auth.csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (res.status === 204 ? undefined : await res.json()) as T };
  };
}
