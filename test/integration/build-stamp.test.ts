import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';

/**
 * `npm start` builds only when the sources changed (issue 11): scripts/build-stamp.mjs compares the
 * hash of the build's inputs with the stamp the last build wrote. Driven on a small project whose
 * "build" counts its runs, and checked against this repository's own build. No timings.
 */
const SCRIPT = path.join(ROOT, 'scripts', 'build-stamp.mjs');
const project = mkdtempSync(path.join(os.tmpdir(), 'corridor-stamp-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

// The fake build: one line in builds.log per run, then the outputs; fails when FAIL exists.
const BUILD = `node -e "const fs=require('fs');if(fs.existsSync('FAIL'))process.exit(3);fs.appendFileSync('builds.log','built\\n');fs.mkdirSync('dist/cli',{recursive:true});fs.mkdirSync('dist/web',{recursive:true});fs.writeFileSync('dist/cli/main.js','');fs.writeFileSync('dist/web/index.html','')"`;

function run(command: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [SCRIPT, command, '--root', project, ...args], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}
const ensure = () => run('ensure', '--build', BUILD);
const builds = () =>
  existsSync(path.join(project, 'builds.log')) ? readFileSync(path.join(project, 'builds.log'), 'utf8').split('\n').filter(Boolean).length : 0;
const file = (rel: string, text: string) => {
  mkdirSync(path.dirname(path.join(project, rel)), { recursive: true });
  writeFileSync(path.join(project, rel), text);
};

describe('build only when the sources changed', () => {
  it('builds the first time, not the second, and again after an edit of a source', () => {
    file('package.json', '{"name":"x"}\n');
    file('package-lock.json', '{}\n');
    file('src/app.ts', 'export const a = 1;\n');
    file('web/src/main.tsx', 'export {};\n');

    expect(ensure().status).toBe(0);
    expect(builds()).toBe(1);
    const second = ensure();
    expect(second.status).toBe(0);
    expect(second.out).toMatch(/up to date/);
    expect(builds()).toBe(1);
    expect(run('check').status).toBe(0);

    // A touch alone (a checkout, a copy) changes no content: still up to date.
    const when = new Date(Date.now() + 60_000);
    utimesSync(path.join(project, 'src/app.ts'), when, when);
    expect(ensure().status).toBe(0);
    expect(builds()).toBe(1);

    // Documentation and unit tests beside the sources are not built: no build.
    file('web/README.md', '# notes\n');
    file('src/app.test.ts', 'export {};\n');
    ensure();
    expect(builds()).toBe(1);

    // An edit, in src or web, a new file, the lock file: each builds once.
    file('src/app.ts', 'export const a = 2;\n');
    expect(run('check').status).toBe(1);
    expect(ensure().out).toMatch(/building/);
    expect(builds()).toBe(2);
    expect(ensure().status).toBe(0);
    expect(builds()).toBe(2);
    file('web/src/new-page.tsx', 'export {};\n');
    ensure();
    expect(builds()).toBe(3);
    file('package-lock.json', '{"lockfileVersion":3}\n');
    ensure();
    ensure();
    expect(builds()).toBe(4);
  });

  it('builds when an output is missing, and keeps no stamp of a failed build', () => {
    rmSync(path.join(project, 'dist/web/index.html'));
    ensure();
    expect(builds()).toBe(5);
    file('src/app.ts', 'export const a = 3;\n');
    file('FAIL', '');
    expect(ensure().status).toBe(3);
    rmSync(path.join(project, 'FAIL'));
    // The failed build left the old stamp: the next start builds.
    expect(run('check').status).toBe(1);
    ensure();
    expect(builds()).toBe(6);
  });

  it('finds this repository’s build (npm run build writes the stamp) up to date with its sources', () => {
    // The build ran before these tests (npm test, or by hand): its stamp matches, no build needed.
    const r = spawnSync(process.execPath, [SCRIPT, 'check'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stdout.trim()).toBe('up to date');
    expect(r.status).toBe(0);
  });
});
