// Site import benchmark (issue 10): N sites from CSV into a fresh embedded store, all or nothing.
// Measures (1) an import whose last row is bad (it must fail fast and write nothing) and (2) the
// whole import, both through the service as `corridor sites import` runs it. As a reference, in the
// same invocation: the same rows written by a plain batched INSERT (1,000 rows per statement) into
// places and sites in one transaction (rolled back), with no checks, lookups or audit.
// Usage: npm run bench -- site-import [--rows 10000]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const at = args.indexOf('--rows');
const n = at >= 0 ? Number(args[at + 1]) : 10_000;

const { openServices } = await import('../dist/app.js');
const { SYSTEM } = await import('../dist/domain/access.js');
const { resolveStoreConfig } = await import('../dist/store/index.js');
const { parseSiteCsv } = await import('../dist/registry/site-import.js');

const r3 = (x) => Math.round(x * 1000) / 1000;
async function timed(fn) {
  const start = process.hrtime.bigint();
  let result;
  let error = null;
  try {
    result = await fn();
  } catch (e) {
    error = e;
  }
  return { result, error, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

const rows = Array.from({ length: n }, (_, k) => `KE-BENCH-${k},Bench site ${k},truck_stop,KEN,${r3(-1 + (k % 200) / 100)},${r3(35 + (k % 300) / 100)}`);
const csv = (bad) =>
  ['code,name,type,country,latitude,longitude', ...rows.slice(0, -1), bad ? `KE-BENCH-${n - 1},Bad site,truck_stop,KEN,45,35` : rows.at(-1)].join('\n') + '\n';

const dir = mkdtempSync(path.join(os.tmpdir(), 'corridor-bench-sites-'));
const services = await openServices(resolveStoreConfig({ dataDir: dir, databaseUrl: '' }), { demo: false });
const out = { benchmark: 'site-import', rows: n };
try {
  const count = async () => (await services.store.db.query("SELECT count(*)::int AS n FROM places WHERE code LIKE 'KE-BENCH-%'"))[0].n;
  const fail = await timed(() => services.sites.import(SYSTEM, parseSiteCsv(csv(true)), { source: 'bench', unit: 'line' }));
  out.failOnLastRow = { seconds: r3(fail.seconds), refused: fail.error?.code ?? null, sitesStored: await count() };
  const ok = await timed(() => services.sites.import(SYSTEM, parseSiteCsv(csv(false)), { source: 'bench', unit: 'line' }));
  out.import = { seconds: r3(ok.seconds), created: ok.result?.created ?? null, error: ok.error?.message ?? null, rowsPerSecond: Math.round(n / ok.seconds) };
  const ken = (await services.store.db.query("SELECT id, path FROM places WHERE code = 'KEN'"))[0];
  const rollback = new Error('rollback');
  const ref = await timed(() =>
    services.store.db.transaction(async (tx) => {
      for (let i = 0; i < n; i += 1000) {
        const part = Array.from({ length: Math.min(1000, n - i) }, (_, j) => i + j);
        const ids = part.map((k) => `bench${String(k).padStart(6, '0')}`);
        await tx.query(
          `INSERT INTO places (id, code, name, level, parent_id, path, geometry, min_lon, min_lat, max_lon, max_lat, source)
         SELECT id, code, name, 'site', $4, $5 || id || '/', jsonb_build_object('type', 'Point', 'coordinates', jsonb_build_array(lon, lat)), lon, lat, lon, lat, 'bench'
         FROM unnest($1::text[], $2::text[], $3::text[], $6::float8[], $7::float8[]) AS t(id, code, name, lat, lon)`,
          [
            ids,
            part.map((k) => `KE-REF-${k}`),
            part.map((k) => `Bench site ${k}`),
            ken.id,
            ken.path,
            part.map((k) => -1 + (k % 200) / 100),
            part.map((k) => 35 + (k % 300) / 100),
          ],
        );
        await tx.query(
          `INSERT INTO sites (place_id, type, country_id, latitude, longitude) SELECT id, 'truck_stop', $2, lat, lon FROM unnest($1::text[], $3::float8[], $4::float8[]) AS t(id, lat, lon)`,
          [ids, ken.id, part.map((k) => -1 + (k % 200) / 100), part.map((k) => 35 + (k % 300) / 100)],
        );
      }
      throw rollback;
    }),
  );
  if (ref.error === rollback) ref.error = null;
  out.reference = {
    what: 'plain batched INSERT of the same rows into places and sites, no checks or audit (rolled back)',
    seconds: r3(ref.seconds),
    error: ref.error?.message ?? null,
  };
  out.importOverReference = out.reference.seconds ? Math.round((ok.seconds / ref.seconds) * 10) / 10 : null;
} finally {
  await services.store.close();
  rmSync(dir, { recursive: true, force: true });
}
console.log(JSON.stringify(out, null, 2));
