// DHIS2 data value import benchmark (DESIGN §7: ≥ 100,000 values/s, 1M values in one atomic import).
// Generates a dataValueSet and imports it into a fresh embedded store in one atomic import. As a
// reference, measured in the same invocation: the same rows written into another fresh embedded
// store by the repository's plain batched upsert (5,000 rows per INSERT … ON CONFLICT, foreign
// keys and indexes checked row by row), in one transaction, with no checks, lookups or audit.
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
  const { dir, services, dataValues } = await setup();
  try {
    const rows = dataValues.map((v) => ({
      de: v.dataElement,
      pe: v.period,
      ou: v.orgUnit,
      coc: 'HllvX50cXC0',
      aoc: 'HllvX50cXC0',
      periodType: 'Monthly',
      startDate: `${v.period.slice(0, 4)}-${v.period.slice(4)}-01`,
      endDate: `${v.period.slice(0, 4)}-${v.period.slice(4)}-28`,
      value: v.value,
      storedBy: 'system',
      created: null,
      lastUpdated: null,
      comment: null,
      followup: false,
      deleted: false,
    }));
    const t = await timed(() =>
      services.store.transaction(async (repos) => {
        for (let i = 0; i < rows.length; i += 5000) await repos.dataValues.write(rows.slice(i, i + 5000));
      }),
    );
    out.reference = {
      what: 'plain batched upsert of the same rows, no checks or audit',
      seconds: r3(t.seconds),
      cpuSeconds: r3(t.cpuSeconds),
      valuesPerSecond: Math.round(rows.length / t.seconds),
    };
    out.speedOverReference = Math.round((t.seconds / out.seconds) * 100) / 100;
  } finally {
    await services.store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log(JSON.stringify(out, null, 2));
