import fc from 'fast-check';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { servicesFor, type Services } from '../../src/app.js';
import { userWithToken } from '../support/auth.js';
import { freshStore } from '../support/databases.js';
import { fingerprint } from '../support/fingerprint.js';

/**
 * The HTTP fuzz suite: every operation of the OpenAPI document (so a new route is fuzzed
 * automatically) gets generated malformed input — wrong types, NUL bytes, lone surrogates, huge
 * strings and numbers, JSON nested 10,000 deep, impossible dates, unknown query parameters, bad
 * cookies and headers. Each must be refused with a 4xx in the error shape with the security
 * headers, and leave the store unchanged. Fixed seed and run counts keep it bounded.
 */
const SEED = 20_261_203;
const RUNS_ADMIN = 24;
const RUNS_SCOPED = 6;

type Json = Record<string, unknown>;
interface Param {
  name: string;
  in: 'query' | 'path';
  required: boolean;
  schema: Json;
}
interface Op {
  method: string;
  path: string;
  operationId: string;
  public: boolean;
  params: Param[];
  body: Json | null;
}

let app: FastifyInstance;
let services: Services;
let drop: () => Promise<void>;
let ops: Op[] = [];
let components: Record<string, Json> = {};
const tokens: Record<'admin' | 'scoped', string> = { admin: '', scoped: '' };
const PUBLIC = new Set(['getHealth', 'getOpenApi', 'login']);

beforeAll(async () => {
  const fresh = await freshStore('pglite');
  drop = fresh.drop;
  services = await servicesFor(fresh.store);
  app = await buildServer(services);
  tokens.admin = (await userWithToken(services, 'admin', [], 'fuzz-root@test.org')).token;
  tokens.scoped = (await userWithToken(services, 'data_entry', ['UGA'], 'fuzz-uga@test.org')).token;
  const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
    paths: Record<string, Record<string, { operationId: string; parameters: Param[]; requestBody?: { content: Record<string, { schema: Json }> } }>>;
    components: { schemas: Record<string, Json> };
  }>();
  components = doc.components.schemas;
  ops = Object.entries(doc.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, o]) => ({
      method: method.toUpperCase(),
      path,
      operationId: o.operationId,
      public: PUBLIC.has(o.operationId),
      params: o.parameters,
      body: o.requestBody?.content['application/json']?.schema ?? null,
    })),
  );
});
afterAll(async () => {
  await app?.close();
  await drop?.();
});

// ---- Valid-looking input from the schemas, so that one poisoned part is what gets refused ----

function resolve(s: Json): Json {
  let cur = s;
  for (let i = 0; i < 20 && typeof cur.$ref === 'string'; i++) {
    const { $ref, ...rest } = cur;
    cur = { ...components[($ref as string).split('/').pop()!]!, ...rest };
  }
  return cur;
}

const isDate = (s: Json) => s.format === 'date' || s.format === 'date-time' || (typeof s.pattern === 'string' && s.pattern.includes('\\d{4}-\\d{2}-\\d{2}'));

/** A value the schema (roughly) accepts: the carrier of the poison. */
function valid(schema: Json, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  const alts = (s.anyOf ?? s.oneOf) as Json[] | undefined;
  if (alts?.length) return fc.oneof(...alts.map((a) => valid(a, depth + 1)));
  const type = Array.isArray(s.type) ? (s.type as string[])[0] : (s.type as string | undefined);
  if (isDate(s)) return fc.constantFrom('2024-01-31', '2023-06-15');
  switch (type) {
    case 'string': {
      const min = (s.minLength as number | undefined) ?? 0;
      const max = Math.min((s.maxLength as number | undefined) ?? 20, 20);
      if (typeof s.pattern === 'string') {
        return fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length >= min && x.length <= Math.max(max, min));
      }
      return fc.string({ minLength: min, maxLength: Math.max(max, min) });
    }
    case 'integer':
      return fc.integer({ min: Math.max((s.minimum as number | undefined) ?? -1000, -1000), max: Math.min((s.maximum as number | undefined) ?? 1000, 1000) });
    case 'number':
      return fc.double({
        min: Math.max((s.minimum as number | undefined) ?? -1000, -1000),
        max: Math.min((s.maximum as number | undefined) ?? 1000, 1000),
        noNaN: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      if (depth > 4) return fc.constant([]);
      return fc.array(valid((s.items as Json | undefined) ?? {}, depth + 1), {
        minLength: (s.minItems as number | undefined) ?? 0,
        maxLength: Math.max(Math.min((s.maxItems as number | undefined) ?? 2, 2), (s.minItems as number | undefined) ?? 0),
      });
    case 'object': {
      if (depth > 4) return fc.constant({});
      const props = (s.properties ?? {}) as Record<string, Json>;
      const required = (s.required ?? []) as string[];
      return fc.record(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, valid(v, depth + 1)])), {
        requiredKeys: required.filter((k) => k in props),
      });
    }
    default:
      return fc.constant('x');
  }
}

/** Leaves of `value` with the schema that describes them (for date- and number-aware poisons). */
function leaves(schema: Json | null, value: unknown, path: (string | number)[] = []): { path: (string | number)[]; schema: Json }[] {
  const s = schema ? resolve(schema) : {};
  const alts = (s.anyOf ?? s.oneOf) as Json[] | undefined;
  const pick = (): Json => {
    if (!alts) return s;
    const t = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
    return alts.map(resolve).find((a) => a.type === t || (t === 'number' && a.type === 'integer')) ?? alts[0]!;
  };
  const here = pick();
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves((here.items as Json | undefined) ?? null, v, [...path, i]));
  if (value && typeof value === 'object') {
    const props = (here.properties ?? {}) as Record<string, Json>;
    return Object.entries(value).flatMap(([k, v]) => leaves(props[k] ?? null, v, [...path, k]));
  }
  return [{ path, schema: here }];
}

function setAt(root: unknown, path: (string | number)[], v: unknown): unknown {
  if (path.length === 0) return v;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let cur = copy;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  cur[path[path.length - 1]!] = v;
  return copy;
}

// ---- Poisons: each one is invalid wherever it is put ----

const DEEP_ARRAY = '['.repeat(10_000) + ']'.repeat(10_000);
const DEEP_OBJECT = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
const RAW = '__fuzz_raw__';
const textPoison = fc.constantFrom('a\u0000b', '\u0000', 'x\uD800', '\uDFFFy', `${'x'.repeat(200_000)}\u0000`, 'ok\uDBFF');
const datePoison = fc.constantFrom('2024-02-30', '0000-01-01', '2023-13-01', '2023-02-29', '2024-04-31', '2024-00-10', '2024-02-30T00:00:00Z');
/** Raw JSON tokens spliced into the text: numbers JSON.stringify cannot write. */
const numberPoison = fc.constantFrom('1e309', '-1e309', '"NaN"', '"Infinity"', '"1e999"', '"12abc"', '{}', '[1]');
const integerPoison = fc.constantFrom('9007199254740993', '1e309', '1.5', '"-0x1"', '"NaN"');
const wrongType = fc.constantFrom<unknown>({}, [[]], true, { $gt: '' });
const rootPoison = fc.constantFrom(DEEP_ARRAY, DEEP_OBJECT, '42', '"\\u0000"', 'true', '{"a":1', '"\\ud800"', '"x\\udfff"', `{"x":${DEEP_ARRAY}}`);
/** Noise beside the poison: legal or not, it must not change the outcome's shape. */
const UNKNOWN_PARAMS = ['zzFuzz', 'dryRun', '__proto__', 'constructor', 'importMode', 'fields'];

interface Case {
  what: string;
  url: string;
  payload?: string;
  headers: Record<string, string>;
  /** false: the input may be legal (a free-text search), so only "no 5xx, right shape" holds. */
  mustRefuse: boolean;
}

const enc = (v: string) => encodeURIComponent(v);
const NUL_PATH = fc.constantFrom('%00', 'a%00b', '%ZZ', '%ED%A0%80', '%C0%AF', 'x'.repeat(300), '..%2F..%2Fetc', '%F0%9F%98%80%00');

function pathFor(op: Op, values: Record<string, string>): string {
  return op.path.replace(/\{(\w+)\}/g, (_, n: string) => values[n] ?? 'fuzz-missing-id');
}

/** One malformed request for `op`. */
function caseFor(op: Op): fc.Arbitrary<Case> {
  const pathParams = op.params.filter((p) => p.in === 'path');
  const query = op.params.filter((p) => p.in === 'query');
  const basePath = fc.record(Object.fromEntries(pathParams.map((p) => [p.name, fc.constantFrom('fuzz1', 'ZZ9999999999')]))) as fc.Arbitrary<
    Record<string, string>
  >;
  const validQuery = fc.record(Object.fromEntries(query.filter((p) => p.required).map((p) => [p.name, valid(p.schema).map(String)]))) as fc.Arbitrary<
    Record<string, string>
  >;
  const validBody = op.body ? valid(op.body) : fc.constant(undefined);
  const qs = (q: Record<string, string>, raw: string[] = []) => {
    const parts = [...Object.entries(q).map(([k, v]) => `${enc(k)}=${enc(v)}`), ...raw];
    return parts.length ? `?${parts.join('&')}` : '';
  };
  const body = (b: unknown) => (b === undefined ? {} : { payload: JSON.stringify(b), headers: { 'content-type': 'application/json' } });
  const kinds: fc.Arbitrary<Case>[] = [];

  // An unknown query parameter, beside otherwise valid input.
  kinds.push(
    fc
      .tuple(
        basePath,
        validQuery,
        validBody,
        fc.constantFrom(...UNKNOWN_PARAMS.filter((n) => !query.some((p) => p.name === n))),
        fc.constantFrom('1', 'true', ''),
      )
      .map(([pp, q, b, name, v]) => ({
        what: `unknown query parameter ${name}`,
        url: pathFor(op, pp) + qs(q, [`${name}=${v}`]),
        ...body(b),
        headers: body(b).headers ?? {},
        mustRefuse: true,
      })),
  );
  // A declared query parameter with a bad value.
  if (query.length) {
    const param = fc.constantFrom(...query);
    kinds.push(
      fc.tuple(basePath, validQuery, validBody, param, fc.nat()).chain(([pp, q, b, p, n]) => {
        const s = resolve(p.schema);
        const type = s.type ?? (s.anyOf as Json[] | undefined)?.map(resolve)[0]?.type;
        const guaranteed: fc.Arbitrary<string> = isDate(s)
          ? datePoison.map(enc)
          : type === 'number' || type === 'integer'
            ? fc.constantFrom('1e309', 'NaN', '99999999999999999999999', '-1e400', 'abc', '1.5e').map(enc)
            : fc.constantFrom('a%00b', '%00');
        const legal = fc.constantFrom('%ED%A0%80', '%ZZ', enc('x'.repeat(5000)), '-0', '0x10');
        return fc.tuple(guaranteed, legal, fc.boolean()).map(([g, l, useGuaranteed]) => {
          const raw = useGuaranteed || n % 3 === 0 ? g : l;
          const { [p.name]: _, ...rest } = q;
          return {
            what: `query ${p.name}=${raw}`,
            url: pathFor(op, pp) + qs(rest, [`${enc(p.name)}=${raw}`]),
            ...body(b),
            headers: body(b).headers ?? {},
            mustRefuse: raw === g && (Boolean(isDate(s)) || type === 'number' || type === 'integer' || raw.includes('%00')),
          };
        });
      }),
    );
  }
  // A malformed path segment.
  if (pathParams.length) {
    kinds.push(
      fc.tuple(basePath, validQuery, validBody, fc.constantFrom(...pathParams), NUL_PATH).map(([pp, q, b, p, raw]) => ({
        what: `path ${p.name}=${raw.slice(0, 40)}`,
        url: pathFor(op, { ...pp, [p.name]: raw }) + qs(q),
        ...body(b),
        headers: body(b).headers ?? {},
        mustRefuse: true,
      })),
    );
  }
  if (op.body) {
    const bodyCase = (what: string, url: string, text: string): Case => ({
      what,
      url,
      payload: text,
      headers: { 'content-type': 'application/json' },
      mustRefuse: true,
    });
    // One leaf of a valid-looking body poisoned by its kind.
    kinds.push(
      fc.tuple(basePath, validQuery, validBody, fc.nat()).chain(([pp, q, b, n]) => {
        const all = leaves(op.body, b);
        const leaf = all[n % Math.max(all.length, 1)] ?? { path: [], schema: op.body! };
        const type = leaf.schema.type;
        const raw: fc.Arbitrary<string> = isDate(leaf.schema)
          ? datePoison.map((d) => JSON.stringify(d))
          : type === 'integer'
            ? integerPoison
            : type === 'number'
              ? numberPoison
              : type === 'string' || Array.isArray(leaf.schema.enum)
                ? textPoison.map((t) => JSON.stringify(t))
                : fc.oneof(
                    textPoison.map((t) => JSON.stringify(t)),
                    wrongType.map((w) => JSON.stringify(w)),
                  );
        return fc.tuple(raw, fc.boolean()).map(([r, extra]) => {
          // Sometimes also a wrong type, huge numbers or -0 elsewhere: noise that must not matter.
          let v = setAt(b, leaf.path, RAW);
          if (extra && all.length > 1) {
            const other = all[(n + 1) % all.length]!;
            v = setAt(v, other.path, other.schema.type === 'number' ? -0 : 2 ** 53 + 1);
          }
          const text = JSON.stringify(v).replace(`"${RAW}"`, r);
          return bodyCase(`body ${leaf.path.join('.') || '(root)'} = ${r.slice(0, 40)}`, pathFor(op, pp) + qs(q), text);
        });
      }),
    );
    // A body that is wrong as a whole: deep, truncated, the wrong type.
    kinds.push(fc.tuple(basePath, validQuery, rootPoison).map(([pp, q, text]) => bodyCase(`body ${text.slice(0, 30)}`, pathFor(op, pp) + qs(q), text)));
    // A valid-looking body sent as a media type the route does not take.
    kinds.push(
      fc
        .tuple(
          basePath,
          validQuery,
          validBody,
          fc.constantFrom(
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'application/octet-stream',
            'application/jsonx',
            'image/png',
          ),
        )
        .map(([pp, q, b, type]) => ({
          what: `body as ${type}`,
          url: pathFor(op, pp) + qs(q),
          payload: JSON.stringify(b ?? {}),
          headers: { 'content-type': type },
          mustRefuse: true,
        })),
    );
    // A field nested 10,000 deep inside an otherwise valid body.
    kinds.push(
      fc.tuple(basePath, validQuery, validBody, fc.nat()).map(([pp, q, b, n]) => {
        const all = leaves(op.body, b);
        const leaf = all[n % Math.max(all.length, 1)] ?? { path: [] };
        const text = JSON.stringify(setAt(b, leaf.path, RAW)).replace(`"${RAW}"`, n % 2 ? DEEP_ARRAY : DEEP_OBJECT);
        return bodyCase(`body ${leaf.path.join('.') || '(root)'} nested 10,000 deep`, pathFor(op, pp) + qs(q), text);
      }),
    );
  }
  return fc.oneof(...kinds);
}

/** Credentials that are malformed: each must be refused (401/403) on a route that needs a login. */
const badCredentials = fc.constantFrom<Record<string, string>>(
  { cookie: 'corridor_session=%ZZ' },
  { cookie: 'corridor_session=%E0%A4%A' },
  { cookie: 'corridor_session=' + 'a'.repeat(5000) },
  { cookie: 'corridor_session=x%00y' },
  { cookie: '=;;=corridor_session;corridor_session' },
  { authorization: 'Bearer' },
  { authorization: 'Bearer a b' },
  { authorization: 'Basic YWRtaW46YWRtaW4=' },
  { authorization: `Bearer ${'x'.repeat(10_000)}` },
  { authorization: 'Bearer %00' },
);

function expectRefused(c: Case, res: LightMyRequestResponse) {
  const where = `${c.what} → ${res.statusCode} ${res.body.slice(0, 300)}`;
  expect(res.statusCode, where).toBeLessThan(500);
  if (c.mustRefuse) expect(res.statusCode, where).toBeGreaterThanOrEqual(400);
  expect(res.headers['x-content-type-options'], where).toBe('nosniff');
  expect(res.headers['content-security-policy'], where).toBeTruthy();
  if (res.statusCode >= 400) {
    const json = JSON.parse(res.body) as { error?: { code?: unknown; message?: unknown } };
    expect(typeof json.error?.code, where).toBe('string');
    expect(typeof json.error?.message, where).toBe('string');
  }
}

async function send(c: Case, op: Op, auth: Record<string, string>) {
  const opts: InjectOptions = { method: op.method as InjectOptions['method'], url: c.url, headers: { ...c.headers, ...auth } };
  if (c.payload !== undefined) opts.payload = c.payload;
  return app.inject(opts);
}

/** Fuzzes one operation; returns what went wrong (a failing case, or tables changed), or null. */
async function fuzz(op: Op, who: 'admin' | 'scoped', runs: number): Promise<string | null> {
  const before = await fingerprint(services.store.db);
  const out = await fc.check(
    fc.asyncProperty(caseFor(op), async (c) => {
      expectRefused(c, await send(c, op, { authorization: `Bearer ${tokens[who]}` }));
    }),
    { seed: SEED, numRuns: runs, endOnFailure: true },
  );
  const after = await fingerprint(services.store.db);
  const changed = Object.keys(after).filter((t) => after[t] !== before[t]);
  if (out.failed) return `${op.method} ${op.path}: ${String((out.errorInstance as Error | undefined)?.message ?? out.errorInstance).split('\n')[0]}`;
  if (changed.length) return `${op.method} ${op.path}: changed ${changed.join(', ')}`;
  return null;
}

async function fuzzAll(who: 'admin' | 'scoped', runs: number) {
  const failures: string[] = [];
  for (const op of ops) {
    const f = await fuzz(op, who, runs);
    if (f) failures.push(f);
  }
  expect(failures).toEqual([]);
}

describe('HTTP fuzz: every documented operation refuses malformed input with a 4xx and changes nothing', () => {
  it('reads the operations from the OpenAPI document', () => {
    expect(ops.length).toBeGreaterThanOrEqual(70);
  });

  it('as an unscoped admin', async () => {
    await fuzzAll('admin', RUNS_ADMIN);
  });

  it('as a user scoped to one country', async () => {
    await fuzzAll('scoped', RUNS_SCOPED);
  });

  it('refuses malformed cookies and credentials on every route that needs a login', async () => {
    const before = await fingerprint(services.store.db);
    for (const op of ops.filter((o) => !o.public)) {
      await fc.assert(
        fc.asyncProperty(badCredentials, async (auth) => {
          const c: Case = { what: `${op.method} ${op.path} with ${JSON.stringify(auth).slice(0, 60)}`, url: pathFor(op, {}), headers: {}, mustRefuse: true };
          const res = await send(c, op, auth);
          expectRefused(c, res);
          expect([401, 403], c.what).toContain(res.statusCode);
        }),
        { seed: SEED, numRuns: 4 },
      );
    }
    expect(await fingerprint(services.store.db)).toEqual(before);
  });
});
