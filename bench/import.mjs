// DHIS2 data value import benchmark (DESIGN §7: ≥ 100,000 values/s, 1M values in one atomic import).
// Generates a dataValueSet and imports it into a fresh embedded store in one atomic import. As a
// reference, measured in the same invocation: the engine's floor, one COPY of the same rows into an
// unindexed table of another fresh embedded store; `floorOverImport` is how many times slower the
// import is than that floor.
// Peak memory is the import's own (read before the reference runs). CPU seconds are this process's,
// a steadier figure than wall time on a shared machine.
// Usage: npm run bench -- import [--values 1000000] [--no-reference]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const at = args.indexOf('--values');
const target = at >= 0 ? Number(args[at + 1]) : 1_000_000;
const withReference = !args.includes('--no-reference');

const { openServices } = await import('../dist/app.js');
const { SYSTEM } = await import('../dist/domain/access.js');
const { resolveStoreConfig } = await import('../dist/store/index.js');

/** A fresh embedded store with the bench's places and data elements, and the generated values. */
async function setup() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'corridor-bench-'));
  const services = await openServices(resolveStoreConfig({ dataDir: dir, databaseUrl: '' }), { demo: false });
  // 10 numeric data elements × 120 months × as many org units as needed.
  const elements = 10;
  const periods = Array.from({ length: 120 }, (_, k) => `${2015 + Math.floor(k / 12)}${String((k % 12) + 1).padStart(2, '0')}`);
  const units = Math.ceil(target / (elements * periods.length));
  const uid = (prefix, k) => `${prefix}${String(k).padStart(10, '0')}`.slice(0, 11);
  await services.metadata.import(SYSTEM, {
    organisationUnits: [
      { id: 'Bench000000', name: 'Bench country' },
      ...Array.from({ length: units }, (_, k) => ({ id: uid('u', k), name: `Unit ${k}`, parent: { id: 'Bench000000' } })),
    ],
    dataElements: Array.from({ length: elements }, (_, k) => ({ id: uid('d', k), name: `Element ${k}`, valueType: 'NUMBER' })),
  });
  const dataValues = [];
  outer: for (let u = 0; u < units; u++)
    for (const period of periods)
      for (let e = 0; e < elements; e++) {
        if (dataValues.length === target) break outer;
        dataValues.push({ dataElement: uid('d', e), period, orgUnit: uid('u', u), value: String((u * 7 + e * 3) % 1000) });
      }
  return { dir, services, dataValues };
}

/** Wall and CPU seconds of `fn`. */
async function timed(fn) {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const result = await fn();
  const used = process.cpuUsage(cpu);
  return { result, seconds: Number(process.hrtime.bigint() - start) / 1e9, cpuSeconds: (used.user + used.system) / 1e6 };
}
const r3 = (x) => Math.round(x * 1000) / 1000;

const out = { benchmark: 'import' };
{
  const { dir, services, dataValues } = await setup();
  try {
    const t = await timed(() =>
      services.dataValues.import(SYSTEM, { dataValues }, { dryRun: false, importStrategy: 'CREATE_AND_UPDATE', atomicMode: 'ALL', idScheme: 'UID' }),
    );
    Object.assign(out, {
      values: dataValues.length,
      imported: t.result.importCount.imported,
      status: t.result.status,
      seconds: r3(t.seconds),
      cpuSeconds: r3(t.cpuSeconds),
      valuesPerSecond: Math.round(dataValues.length / t.seconds),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    });
  } finally {
    await services.store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
if (withReference) {
  // The engine's own floor: the same rows, keyed by integers as data_values is, written by one
  // COPY into a table with no index, key or check, in a fresh embedded store. No import can be
  // faster than writing its rows once; the ratio says how far the import is from that.
  const { dir, services, dataValues } = await setup();
  try {
    const db = services.store.db;
    await db.exec(`CREATE TABLE bench_floor (de integer, pe integer, ou integer, coc integer, aoc integer, value text, stored_by text,
      created timestamptz, last_updated timestamptz, comment text, followup boolean, deleted boolean)`);
    const ids = new Map();
    const num = (k) => {
      let n = ids.get(k);
      if (n === undefined) ids.set(k, (n = ids.size + 1));
      return n;
    };
    const t = await timed(async () => {
      let text = '';
      for (const v of dataValues)
        text += `${num(v.dataElement)}\t${num(v.period)}\t${num(v.orgUnit)}\t1\t1\t${v.value}\tsystem\t2026-01-01 00:00:00+00\t2026-01-01 00:00:00+00\t\\N\tf\tf\n`;
      await db.copyFrom(`COPY bench_floor FROM '/dev/blob'`, text);
    });
    out.reference = {
      what: 'the engine floor: one COPY of the same rows (integer keys) into a table with no index, key or check',
      seconds: r3(t.seconds),
      cpuSeconds: r3(t.cpuSeconds),
      valuesPerSecond: Math.round(dataValues.length / t.seconds),
    };
    out.floorOverImport = Math.round((out.seconds / t.seconds) * 100) / 100;
  } finally {
    await services.store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log(JSON.stringify(out, null, 2));
