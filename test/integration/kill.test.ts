import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/monitoring/demo-data.js';
import { openStore } from '../../src/store/index.js';
import { ROOT, runCli } from '../support/cli.js';
import { login, startServer } from '../support/server.js';

/**
 * Kill test (issue 10): a `corridor import dhis2` of 200,160 values into an embedded store is
 * killed with SIGKILL at seeded random points across the import's span. Each time the store must
 * open (taking over the dead process's lock), hold all of the import or none of it, and serve.
 */

const ELEMENTS = 10;
const PERIODS = 24;
const UNITS = 834;
const TOTAL = ELEMENTS * PERIODS * UNITS; // 200,160
const KILLS = 10;
const uid = (p: string, k: number) => `${p}${String(k).padStart(10, '0')}`.slice(0, 11);

let tmp: string;
let base: string;
let values: string;
/** How long a whole import takes on this machine now (the span the kills are spread over). */
let span = 0;

/** Starts the import in a child process; kills it after `ms` (or lets it finish when ms is null). */
function importFor(dataDir: string, ms: number | null): Promise<{ killed: boolean; code: number | null; seconds: number }> {
  const start = Date.now();
  const child = spawn(process.execPath, ['bin/corridor.js', 'import', 'dhis2', values, '--data-dir', dataDir, '--no-demo'], { cwd: ROOT, stdio: 'ignore' });
  const timer = ms === null ? null : setTimeout(() => child.kill('SIGKILL'), ms);
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', code, seconds: (Date.now() - start) / 1000 });
    }),
  );
}

/** Opens the store in this process (as any later command would) and counts the values. */
async function countValues(dataDir: string): Promise<number> {
  const store = await openStore({ databaseUrl: null, dataDir });
  try {
    const [row] = await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM data_values');
    return row!.n;
  } finally {
    await store.close();
  }
}

/** Bytes of every file under `dir`. */
function bytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) total += statSync(path.join(e.parentPath, e.name)).size;
  return total;
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'corridor-kill-'));
  const md = {
    organisationUnits: [
      { id: 'KillRoot000', name: 'Kill root' },
      ...Array.from({ length: UNITS }, (_, k) => ({ id: uid('u', k), name: `Unit ${k}`, parent: { id: 'KillRoot000' } })),
    ],
    dataElements: Array.from({ length: ELEMENTS }, (_, k) => ({ id: uid('d', k), name: `Element ${k}`, valueType: 'NUMBER' })),
  };
  writeFileSync(path.join(tmp, 'metadata.json'), JSON.stringify(md));
  const lines = ['dataelement,period,orgunit,catoptcombo,attroptcombo,value,storedby,lastupdated,comment,followup'];
  for (let u = 0; u < UNITS; u++)
    for (let p = 0; p < PERIODS; p++)
      for (let e = 0; e < ELEMENTS; e++)
        lines.push(`${uid('d', e)},${2020 + Math.floor(p / 12)}${String((p % 12) + 1).padStart(2, '0')},${uid('u', u)},,,${(u + e + p) % 997},,,,false`);
  values = path.join(tmp, 'values.csv');
  writeFileSync(values, lines.join('\n') + '\n');
  base = path.join(tmp, 'base');
  const made = await runCli(['import', 'dhis2-metadata', path.join(tmp, 'metadata.json'), '--data-dir', base, '--no-demo']);
  expect(made.code, made.stderr).toBe(0);
  // One whole import first: it must store everything, and it gives the span to kill within.
  const full = path.join(tmp, 'full');
  cpSync(base, full, { recursive: true });
  const run = await importFor(full, null);
  expect(run.code).toBe(0);
  span = run.seconds * 1000;
  expect(await countValues(full)).toBe(TOTAL);
  rmSync(full, { recursive: true, force: true });
}, 240_000);
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('SIGKILL during a 200,000-value import', () => {
  it(`leaves, at each of ${KILLS} seeded points, a store that opens, holds all or none, and serves`, async () => {
    const random = mulberry32(20261203); // the same kill points on every run
    const dataDir = path.join(tmp, 'killed');
    let killedMidway = 0;
    let locksLeft = 0;
    for (let k = 0; k < KILLS; k++) {
      rmSync(dataDir, { recursive: true, force: true });
      cpSync(base, dataDir, { recursive: true });
      const at = Math.round(span * (0.1 + 0.9 * random()));
      const run = await importFor(dataDir, at);
      const lock = path.join(dataDir, 'corridor.lock');
      if (run.killed) killedMidway++;
      // Killed once the store is open, the process leaves its lock behind (with its pid); the
      // next open sees that pid is dead and takes the lock over.
      if (run.killed && existsSync(lock)) {
        expect(Number(readFileSync(lock, 'utf8'))).toBeGreaterThan(0);
        locksLeft++;
      }
      // The server is the next process to open the store: it takes the dead lock over, recovers,
      // answers, and reads back all of the import or none of it.
      const server = await startServer({ dataDir });
      try {
        expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
        const { cookie } = await login(server.url);
        const res = await fetch(`${server.url}/api/dataValueSets?orgUnit=KillRoot000&children=true&format=csv&limit=1000000`, { headers: { cookie } });
        expect(res.status).toBe(200);
        const count = (await res.text()).trim().split('\n').length - 1;
        expect([0, TOTAL], `kill ${k} at ${at} ms: ${count} values`).toContain(count);
        if (!run.killed) expect(count).toBe(TOTAL);
      } finally {
        await server.stop();
      }
    }
    // The seeded points fall inside the import's span: most of them really interrupt it.
    expect(killedMidway).toBeGreaterThanOrEqual(KILLS / 2);
    expect(locksLeft).toBeGreaterThanOrEqual(KILLS / 3);
  }, 600_000);

  it('gives the space of a killed import back at the next open', async () => {
    const dataDir = path.join(tmp, 'bloated');
    cpSync(base, dataDir, { recursive: true });
    const clean = bytes(dataDir);
    // Killed late, when most rows and WAL are written; a kill that came after the commit (the
    // process was closing) leaves the whole import and nothing to reclaim: then try earlier.
    let reclaimed = false;
    for (const share of [0.7, 0.5, 0.3]) {
      rmSync(dataDir, { recursive: true, force: true });
      cpSync(base, dataDir, { recursive: true });
      const run = await importFor(dataDir, Math.round(span * share));
      if (!run.killed) continue;
      const killed = bytes(dataDir);
      const count = await countValues(dataDir); // the first open after the crash
      expect([0, TOTAL]).toContain(count);
      if (count === TOTAL) continue;
      const reopened = bytes(dataDir);
      expect(reopened).toBeLessThan(killed);
      expect(reopened).toBeLessThan(clean * 1.5);
      reclaimed = true;
      break;
    }
    expect(reclaimed, 'no kill interrupted the import before its commit').toBe(true);
    // `corridor db vacuum` does the same on demand, and never grows the directory.
    const vacuum = await runCli(['db', 'vacuum', '--data-dir', dataDir, '--json']);
    expect(vacuum.code, vacuum.stderr).toBe(0);
    const sizes = JSON.parse(vacuum.stdout) as { beforeMB: number; afterMB: number };
    expect(sizes.afterMB).toBeLessThanOrEqual(sizes.beforeMB);
  }, 240_000);
});
