import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';

/**
 * `npm run check:cycles` (madge, in `npm test`) must see an import cycle written the way this code
 * base writes imports: TypeScript files importing each other with `.js` suffixes, resolved through
 * tsconfig.json. Run on a tiny directory with a cycle, it must fail; without the cycle, pass.
 */
const madge = createRequire(import.meta.url).resolve('madge/bin/cli.js');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function fixture(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'corridor-cycles-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

/** The same madge invocation as the check:cycles script (package.json), on another directory. */
async function check(dir: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [madge, '--circular', '--no-spinner', '--extensions', 'ts,tsx', '--ts-config', path.join(ROOT, 'tsconfig.json'), dir],
      { cwd: ROOT },
    );
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

describe('the import cycle check', () => {
  it('fails on a cycle between TypeScript files that import each other with .js suffixes', async () => {
    const dir = fixture({
      'engine.ts': "import { record } from './outputs.js';\nexport const step = () => record(1);\n",
      'outputs.ts': "import type { step } from './engine.js';\nexport const record = (n: number): number => n;\nexport type Step = typeof step;\n",
      'world.ts': "import { step } from './engine.js';\nexport const w = step;\n",
    });
    const res = await check(dir);
    expect(res.code, res.out).not.toBe(0);
    expect(res.out).toMatch(/Found 1 circular dependency/);
    expect(res.out).toMatch(/engine\.ts > outputs\.ts/);
  }, 60_000);

  it('passes the same files without the cycle', async () => {
    const dir = fixture({
      'engine.ts': "import { record } from './outputs.js';\nexport const step = () => record(1);\n",
      'outputs.ts': 'export const record = (n: number): number => n;\n',
      'world.ts': "import { step } from './engine.js';\nexport const w = step;\n",
    });
    const res = await check(dir);
    expect(res.code, res.out).toBe(0);
    expect(res.out).toMatch(/Processed 3 files/);
    expect(res.out).toMatch(/No circular dependency found/);
  }, 60_000);
});
