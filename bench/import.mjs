// DHIS2 data value import benchmark (DESIGN §7: ≥ 100,000 values/s, 1M values in one atomic import).
// Generates a dataValueSet and imports it into a fresh embedded store in one atomic import.
// Usage: npm run bench -- import [--values 1000000]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const at = args.indexOf('--values');
const target = at >= 0 ? Number(args[at + 1]) : 1_000_000;

const { openServices } = await import('../dist/app.js');
const { SYSTEM } = await import('../dist/domain/access.js');
const { resolveStoreConfig } = await import('../dist/store/index.js');

const dir = mkdtempSync(path.join(os.tmpdir(), 'corridor-bench-'));
const services = await openServices(resolveStoreConfig({ dataDir: dir, databaseUrl: '' }), { demo: false });
try {
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
  const start = process.hrtime.bigint();
  const summary = await services.dataValues.import(SYSTEM, { dataValues }, { dryRun: false, importStrategy: 'CREATE_AND_UPDATE', atomicMode: 'ALL', idScheme: 'UID' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(
    JSON.stringify(
      { benchmark: 'import', values: dataValues.length, imported: summary.importCount.imported, status: summary.status, seconds: Math.round(seconds * 1000) / 1000, valuesPerSecond: Math.round(dataValues.length / seconds), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) },
      null,
      2,
    ),
  );
} finally {
  await services.store.close();
  rmSync(dir, { recursive: true, force: true });
}
