// Load benchmark (DESIGN §9: /api/sites ≥ 2,000 requests/s with p99 < 50 ms on 2 cores; issue 10:
// no timeouts and a health probe under 100 ms with 50 clients on validation). A server process
// (the built app on a fresh embedded store with the demo world, an unscoped admin with an API
// token) is driven with autocannon, as a browser would call it (bearer token, gzip/br accepted), at
// 10 and 50 clients per route group, while a health probe asks every 100 ms. As a reference,
// measured in the same invocation against the same server process: a bare Fastify route answering
// each group's bytes from memory (the HTTP floor on this machine); the ratio is route / floor.
// Usage: npm run bench -- load [--duration 10] [--connections 10,50] [--groups sites,validation]
//        [--no-cache] [--no-reference] [--cpu-prof <dir>] [--postgres <url of a maintenance database>]
// With --postgres the server runs on a fresh PostgreSQL database created (and dropped) for the run.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};

if (args.includes('--serve')) await serve();
else await drive();

/** The child: the server under test, and the reference server; prints where they listen. */
async function serve() {
  const { openServices } = await import('../dist/app.js');
  const { buildServer } = await import('../dist/api/server.js');
  const { SYSTEM } = await import('../dist/domain/access.js');
  const { resolveStoreConfig } = await import('../dist/store/index.js');
  const { default: Fastify } = await import('fastify');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'corridor-bench-load-'));
  const services = await openServices(resolveStoreConfig({ dataDir: dir, databaseUrl: process.env.BENCH_DATABASE_URL ?? '' }), { demo: true });
  await services.auth.createUser(SYSTEM, { email: 'bench@example.org', role: 'admin', scopes: [], password: 'bench password 12345' });
  const { token } = await services.auth.createToken(SYSTEM, 'bench', 'bench@example.org');
  // The data-quality page's default: the country with the most reporting places, the latest quarter.
  const db = services.store.db;
  const [country] = await db.query(
    `SELECT c.id FROM places c JOIN places p ON p.path LIKE c.path || '%' JOIN data_set_places d ON d.place_id = p.id AND d.data_set_id = 'CrdDsQuartr'
     WHERE c.level = 'country' GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1`,
  );
  const [period] = await db.query(`SELECT max(p.iso) AS id FROM data_values d JOIN periods p ON p.id = d.pe WHERE p.type = 'Quarterly'`);
  const unit = `dataSet=CrdDsQuartr&period=${period.id}&orgUnit=${country.id}`;
  const app = await buildServer(services, { logger: 'errors', load: process.env.BENCH_NO_CACHE ? { cacheBytes: 0 } : {} });
  await app.listen({ port: 0, host: '127.0.0.1' });
  // The reference: the same bytes, from memory, through a bare Fastify route.
  const ref = Fastify();
  const bodies = new Map();
  ref.get('/ref', async (request, reply) => {
    const b = bodies.get(request.query.u);
    if (!b) return reply.code(404).send();
    reply.type(b.type).header('Vary', 'Accept-Encoding');
    return b.encoding ? reply.header('Content-Encoding', b.encoding).send(b.body) : reply.send(b.body);
  });
  ref.post('/ref', async (request) => {
    bodies.set(request.body.u, { type: request.body.type, encoding: request.body.encoding, body: Buffer.from(request.body.body, 'base64') });
    return { ok: true };
  });
  await ref.listen({ port: 0, host: '127.0.0.1' });
  // Profiles the serving only, not the loading of the demo world.
  const profiler = process.env.BENCH_CPU_PROF ? await startProfiler() : null;
  process.stdout.write(`${JSON.stringify({ port: app.server.address().port, refPort: ref.server.address().port, token, unit })}\n`);
  process.on('SIGTERM', async () => {
    if (profiler) await profiler.stop(process.env.BENCH_CPU_PROF);
    await app.close();
    await ref.close();
    await services.store.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
}

/** A CPU profile of this process from now until stop(dir), written as a .cpuprofile file. */
async function startProfiler() {
  const { Session } = await import('node:inspector/promises');
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(dir) {
      const { profile } = await session.post('Profiler.stop');
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, `load-${Date.now()}.cpuprofile`), JSON.stringify(profile));
    },
  };
}

/** The parent: starts the child, drives it, prints JSON. */
async function drive() {
  const { default: autocannon } = await import('autocannon');
  const duration = Number(opt('duration', '10'));
  const connectionsList = opt('connections', '10,50').split(',').map(Number);
  const withReference = !args.includes('--no-reference');
  // --cpu-prof <dir>: a CPU profile of the server process (open it in Chrome's DevTools).
  const prof = opt('cpu-prof', null);
  const postgres = opt('postgres', null);
  const database = postgres ? await createDatabase(postgres) : null;
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      ...(args.includes('--no-cache') ? { BENCH_NO_CACHE: '1' } : {}),
      ...(prof ? { BENCH_CPU_PROF: path.resolve(prof) } : {}),
      ...(database ? { BENCH_DATABASE_URL: database.url } : {}),
    },
  });
  const info = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line));
    });
    child.once('exit', (code) => reject(new Error(`the server exited with code ${code}`)));
  });
  const base = `http://127.0.0.1:${info.port}`;
  const headers = { authorization: `Bearer ${info.token}`, 'accept-encoding': 'gzip, deflate, br' };
  const groups = {
    // What the map (the landing page) loads.
    dashboard: ['/api/sites?format=geojson', '/api/corridors', '/api/flows?aggregate=route', '/api/flows', '/api/metadata/dataSets'],
    sites: ['/api/sites'],
    validation: [`/api/validation?${info.unit}&children=true&outliers=MOD_Z_SCORE`],
    completeness: [`/api/completeness?${info.unit}`],
  };
  const chosen = opt('groups', Object.keys(groups).join(',')).split(',');

  // The reference server learns each path's exact answer (body, type, encoding) once.
  for (const p of Object.values(groups).flat()) {
    const res = await fetch(base + p, { headers });
    if (res.status !== 200) throw new Error(`${p}: ${res.status} ${await res.text()}`);
    const raw = await rawBody(base, p, headers);
    await fetch(`http://127.0.0.1:${info.refPort}/ref`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ u: p, type: res.headers.get('content-type'), encoding: raw.encoding, body: raw.body.toString('base64') }),
    });
  }

  const out = { benchmark: 'load', store: database ? 'postgresql' : 'pglite', duration, cache: !args.includes('--no-cache'), unit: info.unit, results: [] };
  for (const group of chosen) {
    for (const connections of connectionsList) {
      const probe = healthProbe(base);
      const r = await run(autocannon, base, groups[group], headers, connections, duration);
      const health = await probe.stop();
      const row = { group, connections, ...r, health };
      if (withReference) {
        const ref = await run(
          autocannon,
          `http://127.0.0.1:${info.refPort}`,
          groups[group].map((p) => `/ref?u=${encodeURIComponent(p)}`),
          {
            'accept-encoding': headers['accept-encoding'],
          },
          connections,
          Math.min(duration, 5),
        );
        row.reference = { requestsPerSecond: ref.requestsPerSecond, p50: ref.p50, p99: ref.p99 };
        row.ratio = Math.round((1000 * r.requestsPerSecond) / ref.requestsPerSecond) / 1000;
      }
      out.results.push(row);
      process.stderr.write(`${group} @${connections}: ${r.requestsPerSecond} req/s, p99 ${r.p99} ms, health worst ${health.worst} ms\n`);
    }
  }
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await database?.drop();
  console.log(JSON.stringify(out, null, 2));
}

/** A fresh PostgreSQL database on the server of `maintenanceUrl`, and its dropper. */
async function createDatabase(maintenanceUrl) {
  const { default: pg } = await import('pg');
  const name = `corridor_bench_${process.pid}`;
  const admin = async (sql) => {
    const c = new pg.Client({ connectionString: maintenanceUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(maintenanceUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** The body as sent on the wire (compressed), read with node:http, which does not decompress. */
async function rawBody(base, p, headers) {
  const http = await import('node:http');
  const u = new URL(p, base);
  return new Promise((resolve, reject) => {
    http
      .get({ host: u.hostname, port: u.port, path: u.pathname + u.search, headers }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ encoding: res.headers['content-encoding'] ?? null, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

/** One autocannon run: requests/s, latency percentiles (ms), failures by kind. */
function run(autocannon, base, paths, headers, connections, duration) {
  return new Promise((resolve, reject) => {
    autocannon({ url: base, connections, duration, timeout: 10, headers, requests: paths.map((p) => ({ method: 'GET', path: p })) }, (err, res) => {
      if (err) return reject(err);
      const codes = res.statusCodeStats ?? {};
      resolve({
        requestsPerSecond: Math.round(res.requests.average),
        p50: res.latency.p50,
        p99: res.latency.p99,
        requests: res.requests.total,
        errors: res.errors,
        timeouts: res.timeouts,
        non2xx: res.non2xx,
        status503: codes['503']?.count ?? 0,
      });
    });
  });
}

/** Asks /api/health every 100 ms; reports the worst and the 99th percentile latency (ms) and failures. */
function healthProbe(base) {
  const times = [];
  let failures = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const t = performance.now();
      try {
        const res = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(10_000) });
        await res.arrayBuffer();
        if (res.status !== 200) failures++;
      } catch {
        failures++;
      }
      times.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      const s = [...times].sort((a, b) => a - b);
      const r1 = (x) => Math.round(x * 10) / 10;
      return { probes: s.length, failures, worst: r1(s.at(-1) ?? 0), p99: r1(s[Math.min(s.length - 1, Math.floor(s.length * 0.99))] ?? 0) };
    },
  };
}
