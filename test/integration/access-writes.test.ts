import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { servicesFor, type Services } from '../../src/app.js';
import { ROLE_PERMISSIONS, SYSTEM, type Permission, type Role } from '../../src/domain/access.js';
import { as, userWithToken } from '../support/auth.js';
import { freshStore } from '../support/databases.js';

/**
 * The write access matrix (issue 10): every write route of the server's OpenAPI document × every
 * role (an unscoped admin, and every role scoped to Uganda) × a target in scope (Ugandan), out of
 * scope (Kenyan) and spanning scopes (the Northern Corridor, the Lake Victoria project, a flow from
 * the DR Congo, a data set assigned to places in several countries, a user of Kenya…). Each answer
 * must be what the permission table and the scope rule say (never a 5xx), and — the key property —
 * no write by a Uganda-scoped user may change anything outside Uganda: a fingerprint of every
 * record outside Uganda, taken before each write, must be the same after it.
 */
let app: FastifyInstance;
let services: Services;
let drop: () => Promise<void>;
let root: Client;
type Client = ReturnType<typeof as>;
type Method = 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** The actors: the unscoped admin, then every role scoped to Uganda. */
const ACTORS = ['admin', 'admin@UGA', 'country_manager', 'data_entry', 'analyst', 'viewer'] as const;
type ActorName = (typeof ACTORS)[number];
const clients = new Map<ActorName, Client>();
const users = new Map<ActorName, { id: string; email: string }>();
let ugaPath = '';
let n = 0;
let rootWrites = 0;
const unique = (prefix: string) => `${prefix}${++n}`;

/** A request of the matrix, made for one actor (fixtures are created fresh when a write destroys its target). */
interface Case {
  url: string;
  body?: unknown;
}
/** What an actor allowed by the permission table gets: 'ok' is any 2xx, else the acceptable statuses. */
type Outcome = 'ok' | number[];
interface Target {
  make(actor: ActorName): Promise<Case> | Case;
  /** The answer to a Uganda-scoped actor whose role has the permission. */
  scoped: Outcome;
  /** For the Uganda-scoped admin, when it differs (user and token management). */
  scopedAdmin?: Outcome;
  /** For the unscoped admin (default 'ok'). */
  unscoped?: Outcome;
}
interface RouteSpec {
  /** The route's permission; `self` for what every user may do for themselves, `public` for login. */
  permission: Permission | 'self' | 'public';
  targets: Partial<Record<'uga' | 'ken' | 'span' | 'spanOwn', Target>>;
}
/** A body naming a place outside the scope: refused as forbidden, or as an unknown place (not to confirm that it exists). */
const UNKNOWN_OR_FORBIDDEN = [400, 403, 404];

const DATA_SET = 'CRD_MIGRANT_HIV_QUARTERLY';
const DEFAULT_COC = 'HllvX50cXC0';
let aoc = '';
const ids: Record<string, string> = {};
/** The quarterly data set as stored (all its assignments), and with only Ugandan ones (as a Uganda-scoped admin sees it). */
let dataSetWhole: object;
let dataSetView: object;
/** A shared data element as stored, in the metadata import shape. */
let element: { id: string; name: string; valueType: string; categoryCombo: { id: string } };

/** As the unscoped admin: the created object's id (a fixture). */
async function created(path: string, body: unknown): Promise<string> {
  const res = await root.send('POST', path, body);
  if (res.statusCode >= 300) throw new Error(`fixture ${path}: ${res.statusCode} ${res.body}`);
  return res.json<{ id: string }>().id;
}
const site = (country: string) => {
  const [latitude, longitude] = country === 'UGA' ? [0.35, 32.58] : [-1.28, 36.82];
  return { name: unique('Matrix site '), type: 'market', country, latitude, longitude };
};
const corridor = (places: string[]) => ({ code: unique('MATRIX_C'), name: unique('Matrix corridor '), places });
const flow = (from: string, to: string) => ({ from, to, periodStart: '2024-01-01', periodEnd: '2024-03-31', count: 5 });
const project = (countries: string[], sites: string[] = []) => ({
  code: unique('MATRIX-P'),
  title: 'Matrix project',
  status: 'planned',
  startDate: '2025-01-01',
  countries,
  sites,
});
const policy = (country: string) => ({ country, restriction: 'deportation', status: 'unclear', citation: 'matrix', lastVerified: '2025-01-01' });
/** A new policy of the country, for a type it has none of (fixture: the one it has is deleted). */
async function freePolicy(country: string): Promise<Case> {
  for (const p of (await root.get(`/api/policies?country=${country}&restriction=short_stay`)).json<{ items: { id: string }[] }>().items)
    await root.send('DELETE', `/api/policies/${p.id}`);
  return { url: '/api/policies', body: { ...policy(country), restriction: 'short_stay' } };
}
/** A policy of the country for the matrix to change or delete (recreated when a case deleted it). */
async function policyOf(country: string): Promise<string> {
  const list = (await root.get(`/api/policies?country=${country}&restriction=deportation`)).json<{ items: { id: string }[] }>().items;
  return list[0]?.id ?? created('/api/policies', policy(country));
}
const unit = (orgUnit: string, period = '2024Q3') => ({ dataSet: DATA_SET, period, orgUnit, attributeOptionCombo: aoc });
const unitQuery = (orgUnit: string) => `dataSet=${DATA_SET}&period=2024Q3&orgUnit=${orgUnit}&attributeOptionCombo=${aoc}`;
/** Fixture: the reporting unit unapproved (approval locks completion), then completed or reopened as asked. */
async function unitState(orgUnit: string, complete: boolean): Promise<void> {
  await root.send('DELETE', `/api/dataApprovals?${unitQuery(orgUnit)}`);
  if (complete) await root.send('POST', '/api/completeDataSetRegistrations', unit(orgUnit));
  else await root.send('DELETE', `/api/completeDataSetRegistrations?${unitQuery(orgUnit)}`);
}
/** A user of the given scope (fixture), with a token. */
async function userOf(scopes: string[]): Promise<{ id: string; email: string; tokenId: string }> {
  const email = `${unique('matrix')}@test.org`;
  // Only an admin may have no scope.
  const res = await root.send('POST', '/api/users', { email, role: scopes.length ? 'viewer' : 'admin', scopes, password: 'a long enough password' });
  const tokens = await root.send('POST', '/api/tokens', { name: 'matrix', email });
  return { id: res.json<{ id: string }>().id, email, tokenId: tokens.json<{ id: string }>().id };
}
/** The Lake Victoria project as a Uganda-scoped user sees it, as a replacement body. */
async function lakeVictoriaView(actor: ActorName, change: object = {}): Promise<Case> {
  const client = actor === 'admin' ? clients.get('data_entry')! : clients.get(actor)!;
  const { id: _i, totalUsd: _t, ...view } = (await client.get(`/api/projects/${ids.lakeVictoria}`)).json<Record<string, unknown>>();
  return { url: `/api/projects/${ids.lakeVictoria}`, body: { ...view, ...change } };
}

/**
 * The body table: every write route of the API document, its permission and its targets. A write
 * route missing here fails the matrix, so that no write route is added without coverage.
 */
/** A model run small enough to finish at once. */
const TINY_RUN = {
  scenario: {
    name: 'matrix check',
    years: 1,
    places: [
      {
        code: 'A',
        name: 'A',
        population: [
          { sex: 'F', count: 20 },
          { sex: 'M', count: 20 },
        ],
      },
    ],
  },
};
/** A model job of the actor's own to cancel, or an unknown id for a role that may not run the model (refused first). */
async function ownJob(actor: ActorName): Promise<string> {
  if (!ROLE_PERMISSIONS[roleOf(actor)].includes('model:run')) return 'noSuchJob1';
  const res = await clients.get(actor)!.send('POST', '/api/model/runs', TINY_RUN);
  return res.json<{ id: string }>().id;
}

const SPECS: Record<string, RouteSpec> = {
  'POST /api/auth/login': {
    permission: 'public',
    targets: {
      uga: {
        make: () => ({ url: '/api/auth/login', body: { email: 'nobody@test.org', password: 'wrong password' } }),
        scoped: [401, 429],
        unscoped: [401, 429],
      },
    },
  },
  'POST /api/auth/logout': { permission: 'self', targets: { uga: { make: () => ({ url: '/api/auth/logout' }), scoped: 'ok' } } },
  'POST /api/auth/password': {
    permission: 'self',
    targets: {
      uga: {
        make: () => ({ url: '/api/auth/password', body: { currentPassword: 'not my password', newPassword: 'a new long password' } }),
        scoped: [400, 401, 403],
        unscoped: [400, 401, 403],
      },
    },
  },
  'POST /api/users': {
    permission: 'users:manage',
    targets: {
      uga: {
        make: () => ({ url: '/api/users', body: { email: `${unique('new')}@test.org`, role: 'viewer', scopes: ['UGA'], password: 'a long enough password' } }),
        scoped: 'ok',
      },
      ken: {
        make: () => ({ url: '/api/users', body: { email: `${unique('new')}@test.org`, role: 'viewer', scopes: ['KEN'], password: 'a long enough password' } }),
        scoped: UNKNOWN_OR_FORBIDDEN,
      },
      span: {
        make: () => ({ url: '/api/users', body: { email: `${unique('new')}@test.org`, role: 'admin', scopes: [], password: 'a long enough password' } }),
        scoped: UNKNOWN_OR_FORBIDDEN,
      },
    },
  },
  'PATCH /api/users/{id}': {
    permission: 'users:manage',
    targets: {
      uga: { make: async () => ({ url: `/api/users/${(await userOf(['UGA'])).id}`, body: { name: 'Renamed', disabled: true } }), scoped: 'ok' },
      ken: {
        make: async () => ({ url: `/api/users/${(await userOf(['KEN'])).id}`, body: { password: 'a new long password', scopes: ['UGA'] } }),
        scoped: [404],
      },
      // Widening one's own scope (for the unscoped admin: another user's).
      span: {
        make: (a) => ({ url: `/api/users/${users.get(a === 'admin' ? 'viewer' : a)!.id}`, body: { scopes: ['UGA', 'KEN'] } }),
        scoped: [403, 404],
        scopedAdmin: [403],
      },
      spanOwn: { make: async () => ({ url: `/api/users/${(await userOf(['UGA', 'KEN'])).id}`, body: { disabled: true } }), scoped: [403, 404] },
    },
  },
  'POST /api/tokens': {
    permission: 'users:manage',
    targets: {
      uga: { make: async () => ({ url: '/api/tokens', body: { name: 'x', email: (await userOf(['UGA'])).email } }), scoped: [403] },
      ken: { make: async () => ({ url: '/api/tokens', body: { name: 'x', email: (await userOf(['KEN'])).email } }), scoped: [403, 404] },
      span: { make: () => ({ url: '/api/tokens', body: { name: 'x', email: 'root@test.org' } }), scoped: [403, 404] },
    },
  },
  'DELETE /api/tokens/{id}': {
    permission: 'self',
    targets: {
      uga: { make: async () => ({ url: `/api/tokens/${(await userOf(['UGA'])).tokenId}` }), scoped: [403, 404], scopedAdmin: 'ok' },
      ken: { make: async () => ({ url: `/api/tokens/${(await userOf(['KEN'])).tokenId}` }), scoped: [403, 404] },
      span: { make: async () => ({ url: `/api/tokens/${(await userOf([])).tokenId}` }), scoped: [403, 404] },
    },
  },
  'PUT /api/sites/{id}/populations': {
    permission: 'registry:write',
    targets: {
      uga: { make: () => ({ url: `/api/sites/${ids.ugaSite}/populations`, body: [{ group: 'truck_drivers', sizeLow: 1, sizeHigh: 2 }] }), scoped: 'ok' },
      ken: { make: () => ({ url: `/api/sites/${ids.kenSite}/populations`, body: [{ group: 'truck_drivers', sizeLow: 1, sizeHigh: 2 }] }), scoped: [404] },
    },
  },
  'PUT /api/sites/{id}/services': {
    permission: 'registry:write',
    targets: {
      uga: { make: () => ({ url: `/api/sites/${ids.ugaSite}/services`, body: [{ service: 'hiv_testing', availability: 'full' }] }), scoped: 'ok' },
      ken: { make: () => ({ url: `/api/sites/${ids.kenSite}/services`, body: [{ service: 'hiv_testing', availability: 'full' }] }), scoped: [404] },
    },
  },
  'POST /api/taxonomy/{category}/options': {
    permission: 'reference:write',
    targets: {
      uga: { make: () => ({ url: '/api/taxonomy/occupation_sector/options', body: { code: unique('matrix_option_'), name: 'Matrix option' } }), scoped: 'ok' },
      span: { make: () => ({ url: '/api/taxonomy/occupation_sector/options', body: { code: ids.sectorOption, name: 'Renamed' } }), scoped: [403] },
    },
  },
  'POST /api/sites': {
    permission: 'registry:write',
    targets: {
      uga: { make: () => ({ url: '/api/sites', body: site('UGA') }), scoped: 'ok' },
      ken: { make: () => ({ url: '/api/sites', body: site('KEN') }), scoped: [403] },
    },
  },
  'DELETE /api/sites/{id}': {
    permission: 'registry:write',
    targets: {
      uga: { make: async () => ({ url: `/api/sites/${await created('/api/sites', site('UGA'))}` }), scoped: 'ok' },
      ken: { make: async () => ({ url: `/api/sites/${await created('/api/sites', site('KEN'))}` }), scoped: [404] },
    },
  },
  'PUT /api/sites/{id}': {
    permission: 'registry:write',
    targets: {
      uga: { make: () => ({ url: `/api/sites/${ids.ugaSite}`, body: { ...site('UGA'), name: 'Renamed' } }), scoped: 'ok' },
      ken: { make: () => ({ url: `/api/sites/${ids.kenSite}`, body: site('KEN') }), scoped: [404] },
      // Moving a Ugandan site into Kenya.
      span: { make: async () => ({ url: `/api/sites/${await created('/api/sites', site('UGA'))}`, body: site('KEN') }), scoped: [403] },
    },
  },
  'POST /api/population-groups': {
    permission: 'reference:write',
    targets: {
      uga: { make: () => ({ url: '/api/population-groups', body: { code: unique('matrix_group_'), name: 'Matrix group', options: {} } }), scoped: 'ok' },
    },
  },
  'DELETE /api/population-groups/{id}': {
    permission: 'reference:write',
    targets: {
      span: {
        make: async () => ({
          url: `/api/population-groups/${await created('/api/population-groups', { code: unique('matrix_shared_'), name: 'Shared', options: {} })}`,
        }),
        scoped: [403],
      },
    },
  },
  'PUT /api/population-groups/{id}': {
    permission: 'reference:write',
    targets: {
      span: {
        make: () => ({
          url: `/api/population-groups/${ids.group}`,
          body: { code: 'general_population', name: 'General population', options: { migrant_status: 'non_migrant' } },
        }),
        scoped: [403],
      },
    },
  },
  'POST /api/corridors': {
    permission: 'registry:write',
    targets: {
      uga: { make: () => ({ url: '/api/corridors', body: corridor(['UGA', 'UG-OWINO-MKT', 'UG-KATUNA-OSBP']) }), scoped: 'ok' },
      ken: { make: () => ({ url: '/api/corridors', body: corridor(['KE-MSA-PORT', 'KE-MALABA-OSBP']) }), scoped: UNKNOWN_OR_FORBIDDEN },
      // A new route to other countries adds a record and changes none.
      span: { make: () => ({ url: '/api/corridors', body: corridor(['UG-OWINO-MKT', 'RWA']) }), scoped: 'ok' },
    },
  },
  'DELETE /api/corridors/{id}': {
    permission: 'registry:write',
    targets: {
      uga: { make: async () => ({ url: `/api/corridors/${await created('/api/corridors', corridor(['UG-OWINO-MKT', 'UG-KATUNA-OSBP']))}` }), scoped: 'ok' },
      ken: { make: async () => ({ url: `/api/corridors/${await created('/api/corridors', corridor(['KE-MSA-PORT', 'KE-MALABA-OSBP']))}` }), scoped: [404] },
      span: {
        make: async (a) => ({
          url: `/api/corridors/${a === 'admin' ? await created('/api/corridors', corridor(['KE-MALABA-OSBP', 'UG-OWINO-MKT', 'RW-GATUNA-OSBP'])) : ids.northern}`,
        }),
        scoped: [403],
      },
    },
  },
  'PUT /api/corridors/{id}': {
    permission: 'registry:write',
    targets: {
      uga: {
        make: async () => ({
          url: `/api/corridors/${await created('/api/corridors', corridor(['UG-OWINO-MKT', 'UG-KATUNA-OSBP']))}`,
          body: corridor(['UG-KATUNA-OSBP', 'UG-OWINO-MKT']),
        }),
        scoped: 'ok',
      },
      ken: { make: () => ({ url: `/api/corridors/${ids.kenCorridor}`, body: corridor(['KE-MSA-PORT', 'KE-MALABA-OSBP']) }), scoped: [404] },
      // The Northern Corridor written back as a Uganda-scoped user sees it (its Ugandan places).
      span: {
        make: () => ({
          url: `/api/corridors/${ids.northern}`,
          body: { code: 'NORTHERN_CORRIDOR', name: 'Kampala loop', places: ['UG-OWINO-MKT', 'UG-LUKAYA-TS', 'UG-KATUNA-OSBP'] },
        }),
        scoped: [403],
      },
    },
  },
  'POST /api/flows': {
    permission: 'registry:write',
    targets: {
      uga: { make: () => ({ url: '/api/flows', body: flow('UG-OWINO-MKT', 'UG-KATUNA-OSBP') }), scoped: 'ok' },
      ken: { make: () => ({ url: '/api/flows', body: flow('KE-MSA-PORT', 'KE-MALABA-OSBP') }), scoped: UNKNOWN_OR_FORBIDDEN },
      span: { make: () => ({ url: '/api/flows', body: flow('UG-KATUNA-OSBP', 'RWA') }), scoped: 'ok' },
    },
  },
  'DELETE /api/flows/{id}': {
    permission: 'registry:write',
    targets: {
      uga: { make: async () => ({ url: `/api/flows/${await created('/api/flows', flow('UG-OWINO-MKT', 'UG-KATUNA-OSBP'))}` }), scoped: 'ok' },
      ken: { make: async () => ({ url: `/api/flows/${await created('/api/flows', flow('KE-MSA-PORT', 'KE-MALABA-OSBP'))}` }), scoped: [404] },
      span: { make: async () => ({ url: `/api/flows/${await created('/api/flows', flow('COD', 'UG-NYAKABANDE-TC'))}` }), scoped: [403] },
    },
  },
  'PUT /api/flows/{id}': {
    permission: 'registry:write',
    targets: {
      uga: {
        make: async () => ({
          url: `/api/flows/${await created('/api/flows', flow('UG-OWINO-MKT', 'UG-KATUNA-OSBP'))}`,
          body: flow('UG-KATUNA-OSBP', 'UG-OWINO-MKT'),
        }),
        scoped: 'ok',
      },
      ken: {
        make: async () => ({
          url: `/api/flows/${await created('/api/flows', flow('KE-MSA-PORT', 'KE-MALABA-OSBP'))}`,
          body: flow('KE-MALABA-OSBP', 'KE-MSA-PORT'),
        }),
        scoped: [404],
      },
      // A flow from the DR Congo is also the DR Congo's record, even written back with Ugandan ends.
      span: {
        make: async () => ({
          url: `/api/flows/${await created('/api/flows', flow('COD', 'UG-NYAKABANDE-TC'))}`,
          body: flow('UG-OWINO-MKT', 'UG-NYAKABANDE-TC'),
        }),
        scoped: [403],
      },
    },
  },
  'POST /api/projects': {
    permission: 'registry:write',
    targets: {
      uga: { make: () => ({ url: '/api/projects', body: project(['UGA'], ['UG-OWINO-MKT']) }), scoped: 'ok' },
      ken: { make: () => ({ url: '/api/projects', body: project(['KEN']) }), scoped: [403] },
      span: { make: () => ({ url: '/api/projects', body: project(['UGA', 'KEN'], ['UG-OWINO-MKT']) }), scoped: [403] },
    },
  },
  'DELETE /api/projects/{id}': {
    permission: 'registry:write',
    targets: {
      uga: { make: async () => ({ url: `/api/projects/${await created('/api/projects', project(['UGA']))}` }), scoped: 'ok' },
      ken: { make: async () => ({ url: `/api/projects/${await created('/api/projects', project(['KEN']))}` }), scoped: [404] },
      span: {
        make: async (a) => ({
          url: `/api/projects/${a === 'admin' ? await created('/api/projects', project(['UGA', 'KEN'], ['KE-DUNGA-BEACH'])) : ids.lakeVictoria}`,
        }),
        scoped: [403],
      },
    },
  },
  'PUT /api/projects/{id}': {
    permission: 'registry:write',
    targets: {
      uga: {
        make: async () => ({ url: `/api/projects/${await created('/api/projects', project(['UGA']))}`, body: project(['UGA'], ['UG-OWINO-MKT']) }),
        scoped: 'ok',
      },
      ken: { make: async () => ({ url: `/api/projects/${ids.kenProject}`, body: project(['UGA']) }), scoped: [404] },
      // Lake Victoria written back as a Uganda-scoped user sees it: its Ugandan part changes, the rest stays.
      span: { make: (a) => lakeVictoriaView(a, { sites: ['UG-GGABA-LANDING'] }), scoped: 'ok', unscoped: 'ok' },
      spanOwn: { make: (a) => lakeVictoriaView(a, { title: 'Kampala fishing' }), scoped: [403] },
    },
  },
  'POST /api/policies': {
    permission: 'registry:write',
    targets: {
      uga: { make: () => freePolicy('UGA'), scoped: 'ok' },
      ken: { make: () => freePolicy('KEN'), scoped: [403] },
    },
  },
  'DELETE /api/policies/{id}': {
    permission: 'registry:write',
    targets: {
      uga: { make: async () => ({ url: `/api/policies/${await policyOf('UGA')}` }), scoped: 'ok' },
      ken: { make: async () => ({ url: `/api/policies/${await policyOf('KEN')}` }), scoped: [404] },
    },
  },
  'PUT /api/policies/{id}': {
    permission: 'registry:write',
    targets: {
      uga: { make: async () => ({ url: `/api/policies/${await policyOf('UGA')}`, body: { ...policy('UGA'), citation: unique('c') } }), scoped: 'ok' },
      ken: { make: async () => ({ url: `/api/policies/${await policyOf('KEN')}`, body: { ...policy('KEN'), citation: unique('c') } }), scoped: [404] },
      // Moving a Ugandan policy to Kenya.
      span: { make: async () => ({ url: `/api/policies/${await policyOf('UGA')}`, body: policy('KEN') }), scoped: [403], unscoped: [200, 409] },
    },
  },
  'POST /api/metadata': {
    permission: 'reference:write',
    targets: {
      uga: {
        make: () => ({
          url: '/api/metadata',
          body: { dataElements: [{ id: unique('MatrixDe').padEnd(11, 'x'), name: unique('Matrix element '), valueType: 'NUMBER' }] },
        }),
        scoped: 'ok',
      },
      ken: {
        make: () => ({
          url: '/api/metadata',
          body: { organisationUnits: [{ id: unique('MatrixOu').padEnd(11, 'x'), name: 'Kenyan unit', parent: { id: ids.KEN } }] },
        }),
        scoped: [403],
      },
      // The data set assigned to places in several countries, sent with its Ugandan assignments only.
      span: { make: (a) => ({ url: '/api/metadata', body: { dataSets: [a === 'admin' ? dataSetWhole : dataSetView] } }), scoped: 'ok' },
      spanOwn: { make: () => ({ url: '/api/metadata', body: { dataElements: [{ ...element, name: unique('Renamed ') }] } }), scoped: [403] },
    },
  },
  // Model runs belong to no place: every role with model:run may start one and cancel its own (409 once it has finished).
  'POST /api/model/runs': { permission: 'model:run', targets: { uga: { make: () => ({ url: '/api/model/runs', body: TINY_RUN }), scoped: 'ok' } } },
  'DELETE /api/model/runs/{id}': {
    permission: 'model:run',
    targets: { uga: { make: async (a) => ({ url: `/api/model/runs/${await ownJob(a)}` }), scoped: [200, 409], unscoped: [200, 409] } },
  },
  'POST /api/dataValueSets': {
    permission: 'registry:import',
    targets: {
      uga: {
        make: () => ({
          url: '/api/dataValueSets',
          body: { ...unit(ids.reportingUga!, '2024Q1'), dataValues: [{ dataElement: 'CrdDeCondom', categoryOptionCombo: DEFAULT_COC, value: String(++n) }] },
        }),
        scoped: 'ok',
      },
      ken: {
        make: () => ({
          url: '/api/dataValueSets',
          body: { ...unit(ids.reportingKen!, '2024Q1'), dataValues: [{ dataElement: 'CrdDeCondom', categoryOptionCombo: DEFAULT_COC, value: String(++n) }] },
        }),
        scoped: [200, 409],
        unscoped: 'ok',
      },
      span: {
        make: () => ({
          url: '/api/dataValueSets',
          body: {
            dataSet: DATA_SET,
            period: '2024Q1',
            attributeOptionCombo: aoc,
            dataValues: [ids.reportingUga, ids.reportingKen].map((orgUnit) => ({
              orgUnit,
              dataElement: 'CrdDeCondom',
              categoryOptionCombo: DEFAULT_COC,
              value: String(++n),
            })),
          },
        }),
        scoped: [200, 409],
      },
    },
  },
  'PUT /api/dataEntry/values': {
    permission: 'registry:write',
    targets: {
      uga: {
        make: () => ({ url: '/api/dataEntry/values', body: { ...unit(ids.reportingUga!, '2024Q1'), dataElement: 'CrdDeCondom', value: String(++n) } }),
        scoped: 'ok',
      },
      ken: {
        make: () => ({ url: '/api/dataEntry/values', body: { ...unit(ids.reportingKen!, '2024Q1'), dataElement: 'CrdDeCondom', value: String(++n) } }),
        scoped: [404],
      },
    },
  },
  'POST /api/completeDataSetRegistrations': {
    permission: 'registry:write',
    targets: {
      uga: {
        make: async () => (await unitState(ids.reportingUga!, false), { url: '/api/completeDataSetRegistrations', body: unit(ids.reportingUga!) }),
        scoped: 'ok',
      },
      ken: {
        make: async () => (await unitState(ids.reportingKen!, false), { url: '/api/completeDataSetRegistrations', body: unit(ids.reportingKen!) }),
        scoped: [404],
      },
    },
  },
  'DELETE /api/completeDataSetRegistrations': {
    permission: 'registry:write',
    targets: {
      uga: {
        make: async () => (await unitState(ids.reportingUga!, true), { url: `/api/completeDataSetRegistrations?${unitQuery(ids.reportingUga!)}` }),
        scoped: 'ok',
      },
      ken: {
        make: async () => (await unitState(ids.reportingKen!, true), { url: `/api/completeDataSetRegistrations?${unitQuery(ids.reportingKen!)}` }),
        scoped: [404],
      },
    },
  },
  'POST /api/dataApprovals': {
    permission: 'data:approve',
    targets: {
      uga: {
        make: async () => (
          await root.send('DELETE', `/api/dataApprovals?${unitQuery(ids.reportingUga!)}`),
          { url: '/api/dataApprovals', body: unit(ids.reportingUga!) }
        ),
        scoped: 'ok',
      },
      ken: {
        make: async () => (
          await root.send('DELETE', `/api/dataApprovals?${unitQuery(ids.reportingKen!)}`),
          { url: '/api/dataApprovals', body: unit(ids.reportingKen!) }
        ),
        scoped: [404],
      },
    },
  },
  'DELETE /api/dataApprovals': {
    permission: 'data:approve',
    targets: {
      uga: {
        make: async () => (
          await root.send('POST', '/api/dataApprovals', unit(ids.reportingUga!)),
          { url: `/api/dataApprovals?${unitQuery(ids.reportingUga!)}` }
        ),
        scoped: 'ok',
      },
      ken: {
        make: async () => (
          await root.send('POST', '/api/dataApprovals', unit(ids.reportingKen!)),
          { url: `/api/dataApprovals?${unitQuery(ids.reportingKen!)}` }
        ),
        scoped: [404],
      },
    },
  },
  'PUT /api/minMaxValues': {
    permission: 'registry:write',
    targets: {
      uga: {
        make: () => ({
          url: '/api/minMaxValues',
          body: [{ dataElement: 'CrdDeCondom', orgUnit: ids.reportingUga, categoryOptionCombo: DEFAULT_COC, min: 0, max: 5000 + ++n }],
        }),
        scoped: 'ok',
      },
      ken: {
        make: () => ({
          url: '/api/minMaxValues',
          body: [{ dataElement: 'CrdDeCondom', orgUnit: ids.reportingKen, categoryOptionCombo: DEFAULT_COC, min: 0, max: 5000 + ++n }],
        }),
        scoped: [404],
      },
    },
  },
};

/**
 * A fingerprint of everything outside Uganda: key → hash of each record (for records spanning
 * Uganda and elsewhere, of their parts outside Uganda), and whether a new record with this key may
 * appear (one that also reaches Uganda, or shared reference data a scoped admin may add to).
 * Timestamps of writes and of token use are left out. To stay cheap, each part is computed again
 * only when one of its tables changed (its row count or newest row version, `xmin`).
 */
const WITH_UGANDA = `WITH u AS (SELECT id FROM places WHERE path LIKE $1)`;
const FINGERPRINT_PARTS: { tables: string[]; sql: string }[] = [
  {
    tables: ['places'],
    sql: `SELECT 'place:' || p.id AS k, md5(concat_ws('|', p.code, p.name, p.level, p.parent_id, p.path, p.iso2, p.min_lon, p.min_lat, p.max_lon, p.max_lat, p.source)) AS h, false AS mine FROM places p WHERE p.path NOT LIKE $1`,
  },
  {
    tables: ['site_populations', 'site_services', 'sites'],
    sql: `SELECT 'site:' || s.place_id, md5(to_jsonb(s)::text
    || coalesce((SELECT string_agg(to_jsonb(x)::text, ',' ORDER BY x.group_id) FROM site_populations x WHERE x.site_id = s.place_id), '')
    || coalesce((SELECT string_agg(to_jsonb(x)::text, ',' ORDER BY x.service) FROM site_services x WHERE x.site_id = s.place_id), '')), false
  FROM sites s WHERE s.place_id NOT IN (SELECT id FROM u)`,
  },
  {
    tables: ['corridor_places', 'corridors'],
    sql: `SELECT 'corridor:' || c.id, md5((to_jsonb(c) - 'created_at' - 'updated_at')::text || (SELECT string_agg(cp.place_id, ',' ORDER BY cp.seq) FROM corridor_places cp WHERE cp.corridor_id = c.id)),
    EXISTS (SELECT 1 FROM corridor_places cp WHERE cp.corridor_id = c.id AND cp.place_id IN (SELECT id FROM u))
  FROM corridors c WHERE EXISTS (SELECT 1 FROM corridor_places cp WHERE cp.corridor_id = c.id AND cp.place_id NOT IN (SELECT id FROM u))`,
  },
  {
    tables: ['flows'],
    sql: `SELECT 'flow:' || f.id, md5((to_jsonb(f) - 'created_at')::text), f.from_place_id IN (SELECT id FROM u) OR f.to_place_id IN (SELECT id FROM u)
  FROM flows f WHERE f.from_place_id NOT IN (SELECT id FROM u) OR f.to_place_id NOT IN (SELECT id FROM u)`,
  },
  {
    tables: ['project_countries', 'project_sites', 'projects'],
    sql: `SELECT 'project:' || pr.id, md5((to_jsonb(pr) - 'created_at' - 'updated_at')::text
    || coalesce((SELECT string_agg(x.country_id, ',' ORDER BY x.country_id) FROM project_countries x WHERE x.project_id = pr.id AND x.country_id NOT IN (SELECT id FROM u)), '') || '|'
    || coalesce((SELECT string_agg(x.site_id, ',' ORDER BY x.site_id) FROM project_sites x WHERE x.project_id = pr.id AND x.site_id NOT IN (SELECT id FROM u)), '')),
    EXISTS (SELECT 1 FROM project_countries x WHERE x.project_id = pr.id AND x.country_id IN (SELECT id FROM u))
  FROM projects pr WHERE EXISTS (SELECT 1 FROM project_countries x WHERE x.project_id = pr.id AND x.country_id NOT IN (SELECT id FROM u))
    OR EXISTS (SELECT 1 FROM project_sites x WHERE x.project_id = pr.id AND x.site_id NOT IN (SELECT id FROM u))`,
  },
  {
    tables: ['policies'],
    sql: `SELECT 'policy:' || p.id, md5((to_jsonb(p) - 'created_at' - 'updated_at')::text), false FROM policies p WHERE p.country_id NOT IN (SELECT id FROM u)`,
  },
  {
    tables: ['data_values', 'places'],
    sql: `SELECT 'data-values', count(*) || ':' || coalesce(sum(hashtext(concat_ws('|', v.de, v.pe, v.ou, v.coc, v.aoc, v.value, v.comment, v.followup, v.deleted, v.stored_by))::bigint), 0), false FROM data_values v JOIN places q ON q.num = v.ou WHERE q.path NOT LIKE $1`,
  },
  {
    tables: ['place_statistics', 'places'],
    sql: `SELECT 'statistics', count(*) || ':' || coalesce(sum(hashtext(v::text)::bigint), 0), false FROM place_statistics v JOIN places q ON q.id = v.place_id WHERE q.path NOT LIKE $1`,
  },
  {
    tables: ['data_set_places'],
    sql: `SELECT 'data-set-place:' || d.data_set_id || ':' || d.place_id, '', false FROM data_set_places d WHERE d.place_id NOT IN (SELECT id FROM u)`,
  },
  {
    tables: ['complete_registrations'],
    sql: `SELECT 'completion:' || md5(r::text), '', false FROM complete_registrations r WHERE r.place_id NOT IN (SELECT id FROM u)`,
  },
  { tables: ['data_approvals'], sql: `SELECT 'approval:' || md5(r::text), '', false FROM data_approvals r WHERE r.place_id NOT IN (SELECT id FROM u)` },
  {
    tables: ['min_max_values'],
    sql: `SELECT 'min-max:' || md5((to_jsonb(r) - 'updated_at')::text), '', false FROM min_max_values r WHERE r.place_id NOT IN (SELECT id FROM u)`,
  },
  {
    tables: ['data_set_elements', 'data_sets'],
    sql: `SELECT 'data-set:' || s.id, md5((to_jsonb(s) - 'updated_at')::text || coalesce((SELECT string_agg(e.data_element_id, ',' ORDER BY e.data_element_id) FROM data_set_elements e WHERE e.data_set_id = s.id), '')), true FROM data_sets s`,
  },
  { tables: ['data_elements'], sql: `SELECT 'data-element:' || x.id, md5((to_jsonb(x) - 'updated_at')::text), true FROM data_elements x` },
  { tables: ['category_options'], sql: `SELECT 'category-option:' || x.id, md5((to_jsonb(x) - 'updated_at')::text), true FROM category_options x` },
  {
    tables: ['category_category_options', 'categories'],
    sql: `SELECT 'category:' || x.id, md5((to_jsonb(x) - 'updated_at')::text || coalesce((SELECT string_agg(o.option_id, ',' ORDER BY o.sort_order) FROM category_category_options o WHERE o.category_id = x.id), '')), true FROM categories x`,
  },
  {
    tables: ['category_combo_categories', 'category_combos'],
    sql: `SELECT 'category-combo:' || x.id, md5((to_jsonb(x) - 'updated_at')::text || coalesce((SELECT string_agg(o.category_id, ',' ORDER BY o.sort_order) FROM category_combo_categories o WHERE o.combo_id = x.id), '')), true FROM category_combos x`,
  },
  {
    tables: ['category_option_combos', 'category_option_combo_options'],
    sql: `SELECT 'coc:' || c.id, md5(c.name || c.combo_id || coalesce(string_agg(o.option_id, ',' ORDER BY o.option_id), '')), true FROM category_option_combos c LEFT JOIN category_option_combo_options o ON o.coc_id = c.id GROUP BY c.id`,
  },
  { tables: ['indicators'], sql: `SELECT 'indicator:' || x.id, md5((to_jsonb(x) - 'updated_at')::text), true FROM indicators x` },
  { tables: ['validation_rules'], sql: `SELECT 'validation-rule:' || x.id, md5((to_jsonb(x) - 'updated_at')::text), true FROM validation_rules x` },
  { tables: ['taxonomy_options'], sql: `SELECT 'taxonomy-option:' || x.category || ':' || x.code, md5(to_jsonb(x)::text), true FROM taxonomy_options x` },
  {
    tables: ['population_groups'],
    sql: `SELECT 'population-group:' || x.id, md5((to_jsonb(x) - 'created_at' - 'updated_at')::text), true FROM population_groups x`,
  },
  {
    tables: ['user_scopes', 'users'],
    sql: `SELECT 'user:' || x.id, md5((to_jsonb(x) - 'created_at' - 'updated_at')::text || coalesce((SELECT string_agg(s.place_id, ',' ORDER BY s.place_id) FROM user_scopes s WHERE s.user_id = x.id), '')), false
  FROM users x WHERE NOT EXISTS (SELECT 1 FROM user_scopes s WHERE s.user_id = x.id) OR EXISTS (SELECT 1 FROM user_scopes s WHERE s.user_id = x.id AND s.place_id NOT IN (SELECT id FROM u))`,
  },
  {
    tables: ['api_tokens', 'user_scopes'],
    sql: `SELECT 'token:' || t.id, md5((to_jsonb(t) - 'last_used_at')::text), false FROM api_tokens t
  WHERE NOT EXISTS (SELECT 1 FROM user_scopes s WHERE s.user_id = t.user_id) OR EXISTS (SELECT 1 FROM user_scopes s WHERE s.user_id = t.user_id AND s.place_id NOT IN (SELECT id FROM u))`,
  },
  {
    tables: ['sessions', 'user_scopes'],
    sql: `SELECT 'session:' || x.id_hash, '', false FROM sessions x
  WHERE NOT EXISTS (SELECT 1 FROM user_scopes s WHERE s.user_id = x.user_id) OR EXISTS (SELECT 1 FROM user_scopes s WHERE s.user_id = x.user_id AND s.place_id NOT IN (SELECT id FROM u))`,
  },
];

const TABLES = [...new Set(FINGERPRINT_PARTS.flatMap((p) => p.tables))];
const VERSIONS = TABLES.map((t) => `SELECT '${t}' AS t, count(*) || ':' || coalesce(max(xmin::text::bigint), 0) AS v FROM ${t}`).join(' UNION ALL ');
const partCache = new Map<number, { version: string; rows: { k: string; h: string; mine: boolean }[] }>();

type Fingerprint = Map<string, { h: string; mine: boolean }>;
async function fingerprint(): Promise<Fingerprint> {
  const versions = new Map((await services.store.db.query<{ t: string; v: string }>(VERSIONS)).map((r) => [r.t, r.v]));
  const out: Fingerprint = new Map();
  for (const [i, part] of FINGERPRINT_PARTS.entries()) {
    const version = part.tables.map((t) => versions.get(t)).join(',');
    let cached = partCache.get(i);
    if (cached?.version !== version) {
      cached = {
        version,
        rows: await services.store.db.query<{ k: string; h: string; mine: boolean }>(`${WITH_UGANDA}\nSELECT * FROM (${part.sql}) AS part (k, h, mine)`, [
          `${ugaPath}%`,
        ]),
      };
      partCache.set(i, cached);
    }
    for (const r of cached.rows) out.set(r.k, { h: r.h, mine: r.mine });
  }
  return out;
}
/** What a write changed outside Uganda: records changed or removed, and new records wholly elsewhere. */
function outsideChanges(before: Fingerprint, after: Fingerprint): string[] {
  const out: string[] = [];
  for (const [k, v] of before) if (after.get(k)?.h !== v.h) out.push(after.has(k) ? `changed ${k}` : `removed ${k}`);
  for (const [k, v] of after) if (!before.has(k) && !v.mine) out.push(`added ${k}`);
  return out;
}

const roleOf = (a: ActorName): Role => (a === 'admin@UGA' ? 'admin' : a);
/** What the permission table and the scope rule say this actor gets for this target. */
function expected(actor: ActorName, spec: RouteSpec, target: Target): Outcome {
  if (actor === 'admin') return target.unscoped ?? 'ok';
  if (spec.permission !== 'self' && spec.permission !== 'public' && !ROLE_PERMISSIONS[roleOf(actor)].includes(spec.permission)) return [403];
  if (actor === 'admin@UGA' && target.scopedAdmin) return target.scopedAdmin;
  return target.scoped;
}
const matches = (status: number, o: Outcome) => (o === 'ok' ? status >= 200 && status < 300 : o.includes(status));

let routes: { method: Method; path: string }[] = [];

beforeAll(async () => {
  const fresh = await freshStore('pglite');
  drop = fresh.drop;
  services = await servicesFor(fresh.store);
  app = await buildServer(services);
  const unscoped = as(app, (await userWithToken(services, 'admin', [], 'root@test.org')).token);
  clients.set('admin', unscoped);
  // Fixtures are the unscoped admin's writes: count them, to know when to take a new fingerprint.
  root = { get: unscoped.get, send: (...a: Parameters<Client['send']>) => (rootWrites++, unscoped.send(...a)) };
  for (const a of ACTORS.filter((a) => a !== 'admin')) {
    const { user, token } = await userWithToken(services, roleOf(a), ['UGA'], `${a.replace('@', '-')}-uga@test.org`);
    clients.set(a, as(app, token));
    users.set(a, user);
  }
  const doc = (await root.get('/api/openapi.json')).json<{ paths: Record<string, Record<string, unknown>> }>();
  routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => m !== 'get')
      .map((m) => ({ method: m.toUpperCase() as Method, path })),
  );

  const places = services.store.repos.places;
  const uga = (await places.findByCode('UGA'))!;
  ugaPath = (await places.pathOf(uga.id))!;
  ids.KEN = (await places.findByCode('KEN'))!.id;
  const sites = (await root.get('/api/sites?limit=1000')).json<{ items: { id: string; code: string }[] }>().items;
  const siteId = (code: string) => sites.find((s) => s.code === code)!.id;
  ids.ugaSite = siteId('UG-OWINO-MKT');
  ids.kenSite = siteId('KE-MSA-PORT');
  ids.reportingUga = siteId('UG-MPONDWE-OSBP');
  ids.reportingKen = siteId('KE-MALABA-OSBP');
  const byCode = async (path: string, code: string) =>
    (await root.get(`${path}?limit=1000`)).json<{ items: { id: string; code: string }[] }>().items.find((x) => x.code === code)!.id;
  ids.northern = await byCode('/api/corridors', 'NORTHERN_CORRIDOR');
  ids.lakeVictoria = await byCode('/api/projects', 'DEMO-LAKE-VICTORIA');
  ids.kenCorridor = await created('/api/corridors', corridor(['KE-MSA-PORT', 'KE-MALABA-OSBP']));
  ids.kenProject = await created('/api/projects', project(['KEN']));
  ids.group = (await root.get('/api/population-groups'))
    .json<{ items: { id: string; code: string }[] }>()
    .items.find((g) => g.code === 'general_population')!.id;
  ids.sectorOption = (await root.get('/api/taxonomy'))
    .json<{ categories: { code: string; options: { code: string }[] }[] }>()
    .categories.find((c) => c.code === 'occupation_sector')!.options[0]!.code;
  const de = (await services.store.repos.metadata.dataElements())[0]!;
  element = { id: de.id, name: de.name, valueType: de.valueType, categoryCombo: { id: de.comboId } };
  const set = (await services.store.repos.metadata.dataSet(DATA_SET))!;
  const ugandan = (await services.store.repos.metadata.dataSetPlaces(set.id)).filter((p) => p.path.startsWith(ugaPath));
  expect(set.places.length).toBeGreaterThan(ugandan.length);
  dataSetView = {
    id: set.id,
    code: set.code,
    name: set.name,
    periodType: set.periodType,
    categoryCombo: { id: set.comboId },
    description: set.description ?? undefined,
    timelyDays: set.timelyDays,
    dataSetElements: set.elements.map((id) => ({ dataElement: { id } })),
    organisationUnits: ugandan.slice(1).map((p) => ({ id: p.id })),
  };
  dataSetWhole = { ...dataSetView, organisationUnits: set.places.map((id) => ({ id })) };
  const stored = (await root.get(`/api/dataValueSets?dataSet=${DATA_SET}&period=2024Q1&orgUnit=${ids.reportingUga}`)).json<{
    dataValues: { attributeOptionCombo: string }[];
  }>();
  aoc = stored.dataValues[0]!.attributeOptionCombo;
}, 120_000);
afterAll(async () => {
  await app?.close();
  await drop?.();
});

/** Runs the matrix over these routes: the answers that differ from the expectations, and the writes that changed something outside Uganda. */
async function runMatrix(selected: { method: Method; path: string }[]): Promise<{ wrong: string[]; leaks: string[] }> {
  const wrong: string[] = [];
  const leaks: string[] = [];
  // The scoped actors first (they must change nothing outside Uganda), the unscoped admin last, deletions at its end.
  const order = [...ACTORS.filter((a) => a !== 'admin'), 'admin' as const];
  let before: Fingerprint | null = null;
  for (const actor of order) {
    const list = actor === 'admin' ? [...selected].sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE')) : selected;
    for (const r of list) {
      const spec = SPECS[`${r.method} ${r.path}`]!;
      for (const [which, target] of Object.entries(spec.targets)) {
        const writes = rootWrites;
        const c = await target.make(actor);
        if (actor !== 'admin' && (before === null || rootWrites !== writes)) before = await fingerprint();
        const res = await clients.get(actor)!.send(r.method, c.url, c.body);
        const label = `${actor} ${r.method} ${r.path} (${which}) → ${res.statusCode} ${res.body.replace(/crd_[\w-]+/g, 'crd_…').slice(0, 160)}`;
        const want = expected(actor, spec, target);
        if (res.statusCode >= 500 || !matches(res.statusCode, want)) wrong.push(`${label}; expected ${want === 'ok' ? '2xx' : want.join('/')}`);
        if (actor !== 'admin') {
          const after = await fingerprint();
          const changes = outsideChanges(before!, after);
          if (changes.length > 0) leaks.push(`${label}: ${changes.slice(0, 5).join(', ')}`);
          before = after;
          // A user who gained a role or scope (until user management checks scope) is put back, so that one wrong row does not spoil the rest.
          const self = users.get(actor)!;
          if (r.path.startsWith('/api/users')) {
            await services.auth.updateUser(SYSTEM, self.id, { role: roleOf(actor), scopes: ['UGA'], disabled: false });
            before = null;
          }
        }
      }
    }
  }
  return { wrong, leaks };
}
/** User and token management (issue 10, defect 1: a scoped admin manages only users within its scope). */
const isAccessRoute = (path: string) => path.startsWith('/api/users') || path.startsWith('/api/tokens');

describe('write access matrix', () => {
  it('covers every write route of the API document', () => {
    expect(routes.length).toBeGreaterThan(30);
    const missing = routes.map((r) => `${r.method} ${r.path}`).filter((k) => !(k in SPECS));
    expect(missing, 'add these write routes to the body table of the write access matrix').toEqual([]);
    const stale = Object.keys(SPECS).filter((k) => !routes.some((r) => `${r.method} ${r.path}` === k));
    expect(stale, 'routes in the body table that the API no longer has').toEqual([]);
  });

  it('sees a change outside Uganda in its fingerprint, and none from a change within', async () => {
    const before = await fingerprint();
    expect(before.size).toBeGreaterThan(300);
    await root.send('PUT', `/api/sites/${ids.ugaSite}/services`, [{ service: 'condoms_lubricant', availability: 'partial' }]);
    expect(outsideChanges(before, await fingerprint())).toEqual([]);
    await root.send('PUT', `/api/sites/${ids.kenSite}/services`, [{ service: 'condoms_lubricant', availability: 'partial' }]);
    const after = await fingerprint();
    expect(outsideChanges(before, after)).toEqual([`changed site:${ids.kenSite}`]);
    await root.send('POST', '/api/dataValueSets', {
      ...unit(ids.reportingKen!, '2024Q1'),
      dataValues: [{ dataElement: 'CrdDeCondom', categoryOptionCombo: DEFAULT_COC, value: '4242' }],
    });
    expect(outsideChanges(after, await fingerprint())).toEqual(['changed data-values']);
  });

  it('answers every role by the permission table and the scope rule on registry, M&E and session routes, and no scoped write changes anything outside Uganda', async () => {
    const { wrong, leaks } = await runMatrix(routes.filter((r) => !isAccessRoute(r.path)));
    // leaks: writes that changed something outside the actor's scope; wrong: answers that differ from the permission table and scope rule.
    expect({ leaks, wrong }).toEqual({ leaks: [], wrong: [] });
  }, 300_000);

  it('lets a scoped admin manage only users within its scope, never widen its own, and mint tokens only for itself', async () => {
    const { wrong, leaks } = await runMatrix(routes.filter((r) => isAccessRoute(r.path)));
    // leaks: writes that changed something outside the actor's scope; wrong: answers that differ from the permission table and scope rule.
    expect({ leaks, wrong }).toEqual({ leaks: [], wrong: [] });
  }, 300_000);
});
