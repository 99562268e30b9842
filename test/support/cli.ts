import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/corridor.js', import.meta.url));

/** Runs the built `corridor` command as a user would; resolves with its exit code and output. */
export function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // English unless a test asks otherwise (a French machine must not change what tests read); a key
    // given as undefined is removed, so a test can let the POSIX locale decide.
    const env: NodeJS.ProcessEnv = { ...process.env, CORRIDOR_LANG: 'en', ...opts.env };
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
    delete env.DATABASE_URL;
    if (opts.env?.DATABASE_URL) env.DATABASE_URL = opts.env.DATABASE_URL;
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}
