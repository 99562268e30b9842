import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { servicesFor, type Services } from '../../src/app.js';
import { SYSTEM, type Role } from '../../src/domain/access.js';
import { as, userWithToken } from '../support/auth.js';
import { freshStore } from '../support/databases.js';

/**
 * Who manages whom (docs/access.md, "Managing users"): a scoped admin manages only the users whose
 * scope lies within its own, grants nothing beyond its own, never changes itself and never acts
 * as another user. Also: a password reset revokes the user's tokens, and no answer echoes a secret.
 */
let app: FastifyInstance;
let services: Services;
let drop: () => Promise<void>;
const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'taken over by uganda admin';

type Who = { id: string; email: string; token: string; tokenId: string; client: ReturnType<typeof as> };
let root: Who; // admin, everywhere
let ugAdmin: Who; // admin, UGA
let areaAdmin: Who; // admin, UG-102 (Kampala, an admin1 of Uganda)
let ugEntry: Who; // data entry, UGA
let areaEntry: Who; // data entry, UG-102
let kenEntry: Who; // data entry, KEN
let kenAdmin: Who; // admin, KEN
let both: Who; // viewer, KEN and UGA

async function make(role: Role, scopes: string[], email: string): Promise<Who> {
  const { user, token } = await userWithToken(services, role, scopes, email);
  const tokenId = (await services.store.repos.users.tokens(user.id))[0]!.id;
  return { id: user.id, email: user.email, token, tokenId, client: as(app, token) };
}

let address = 0;
/** Logs in from a fresh address each time, and forgets the account's failures, so that the failure limiter never gets in the way. */
async function login(email: string, password: string) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password },
    remoteAddress: `10.77.${Math.floor(address / 200)}.${address++ % 200}`,
  });
  services.auth.limiter.succeed(`account:${email}`);
  return res;
}

/** Everything user management can change: users (role, scope, status), password hashes, tokens. */
async function snapshot() {
  const repo = services.store.repos.users;
  const users = await repo.list();
  return {
    users,
    hashes: await Promise.all(users.map((u) => repo.passwordHash(u.id))),
    tokens: (await repo.tokens()).map(({ lastUsedAt: _used, ...t }) => t),
    sessions: (await services.store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions'))[0]!.n,
  };
}

beforeAll(async () => {
  const fresh = await freshStore('pglite');
  drop = fresh.drop;
  services = await servicesFor(fresh.store);
  app = await buildServer(services);
  root = await make('admin', [], 'root@corridor.test');
  ugAdmin = await make('admin', ['UGA'], 'admin@health.go.ug');
  areaAdmin = await make('admin', ['UG-102'], 'admin@kampala.go.ug');
  ugEntry = await make('data_entry', ['UGA'], 'entry@health.go.ug');
  areaEntry = await make('data_entry', ['UG-102'], 'entry@kampala.go.ug');
  kenEntry = await make('data_entry', ['KEN'], 'entry@health.go.ke');
  kenAdmin = await make('admin', ['KEN'], 'admin@health.go.ke');
  both = await make('viewer', ['KEN', 'UGA'], 'viewer@unaids.org');
}, 120_000);
afterAll(async () => {
  await app?.close();
  await drop?.();
});

type Attack = [label: string, client: () => Who, method: 'POST' | 'PATCH' | 'DELETE', url: () => string, body: unknown, status: number];
const newUser = (role: Role, scopes: string[]) => ({ email: `rogue-${Math.random().toString(36).slice(2)}@corridor.test`, role, scopes, password: PASSWORD });

const ATTACKS: Attack[] = [
  ['mint a token for the global admin', () => ugAdmin, 'POST', () => '/api/tokens', { name: 'x', email: 'root@corridor.test' }, 403],
  ['mint a token for a Kenyan user', () => ugAdmin, 'POST', () => '/api/tokens', { name: 'x', email: 'entry@health.go.ke' }, 403],
  ['mint a token for a Ugandan user (acting as them)', () => ugAdmin, 'POST', () => '/api/tokens', { name: 'x', email: 'entry@health.go.ug' }, 403],
  ['widen its own scope to everywhere', () => ugAdmin, 'PATCH', () => `/api/users/${ugAdmin.id}`, { scopes: [] }, 403],
  ['add Kenya to its own scope', () => ugAdmin, 'PATCH', () => `/api/users/${ugAdmin.id}`, { scopes: ['UGA', 'KEN'] }, 403],
  ['change its own role', () => ugAdmin, 'PATCH', () => `/api/users/${ugAdmin.id}`, { role: 'viewer' }, 403],
  ['reset its own password without the current one', () => ugAdmin, 'PATCH', () => `/api/users/${ugAdmin.id}`, { password: NEW_PASSWORD }, 403],
  ['create an unscoped admin', () => ugAdmin, 'POST', () => '/api/users', newUser('admin', []), 403],
  ['create a Kenyan admin', () => ugAdmin, 'POST', () => '/api/users', newUser('admin', ['KEN']), 403],
  ['create a user in Uganda and Kenya', () => ugAdmin, 'POST', () => '/api/users', newUser('data_entry', ['UGA', 'KEN']), 403],
  ['create a user in a Kenyan county', () => ugAdmin, 'POST', () => '/api/users', newUser('viewer', ['KE-04']), 403],
  ['probe for an area code', () => ugAdmin, 'POST', () => '/api/users', newUser('viewer', ['ATLANTIS']), 403],
  ['create a viewer without a scope', () => ugAdmin, 'POST', () => '/api/users', newUser('viewer', []), 403],
  ["reset the global admin's password", () => ugAdmin, 'PATCH', () => `/api/users/${root.id}`, { password: NEW_PASSWORD }, 404],
  ['disable the global admin', () => ugAdmin, 'PATCH', () => `/api/users/${root.id}`, { disabled: true }, 404],
  ['demote the global admin', () => ugAdmin, 'PATCH', () => `/api/users/${root.id}`, { role: 'viewer', scopes: ['UGA'] }, 404],
  ["reset a Kenyan user's password", () => ugAdmin, 'PATCH', () => `/api/users/${kenEntry.id}`, { password: NEW_PASSWORD }, 404],
  ['disable a Kenyan user', () => ugAdmin, 'PATCH', () => `/api/users/${kenEntry.id}`, { disabled: true }, 404],
  ['pull a Kenyan user into Uganda', () => ugAdmin, 'PATCH', () => `/api/users/${kenEntry.id}`, { scopes: ['UGA'] }, 404],
  ['disable the Kenyan admin', () => ugAdmin, 'PATCH', () => `/api/users/${kenAdmin.id}`, { disabled: true }, 404],
  ['change a user who is also in Kenya', () => ugAdmin, 'PATCH', () => `/api/users/${both.id}`, { role: 'analyst' }, 404],
  ['move its own user to Kenya', () => ugAdmin, 'PATCH', () => `/api/users/${ugEntry.id}`, { scopes: ['KEN'] }, 403],
  ['give its own user Kenya too', () => ugAdmin, 'PATCH', () => `/api/users/${ugEntry.id}`, { scopes: ['UGA', 'KEN'] }, 403],
  ['make its own user an unscoped admin', () => ugAdmin, 'PATCH', () => `/api/users/${ugEntry.id}`, { role: 'admin', scopes: [] }, 403],
  ["revoke the global admin's token", () => ugAdmin, 'DELETE', () => `/api/tokens/${root.tokenId}`, undefined, 404],
  ["revoke a Kenyan user's token", () => ugAdmin, 'DELETE', () => `/api/tokens/${kenEntry.tokenId}`, undefined, 404],
  ['revoke a token of a user also in Kenya', () => ugAdmin, 'DELETE', () => `/api/tokens/${both.tokenId}`, undefined, 404],
  ['(area admin) change a user of the whole of Uganda', () => areaAdmin, 'PATCH', () => `/api/users/${ugEntry.id}`, { disabled: true }, 404],
  ['(area admin) change the Uganda admin', () => areaAdmin, 'PATCH', () => `/api/users/${ugAdmin.id}`, { password: NEW_PASSWORD }, 404],
  ['(area admin) create a user of the whole of Uganda', () => areaAdmin, 'POST', () => '/api/users', newUser('data_entry', ['UGA']), 403],
  ['(area admin) widen its user to the whole of Uganda', () => areaAdmin, 'PATCH', () => `/api/users/${areaEntry.id}`, { scopes: ['UGA'] }, 403],
  ['(area admin) widen itself to the whole of Uganda', () => areaAdmin, 'PATCH', () => `/api/users/${areaAdmin.id}`, { scopes: ['UGA'] }, 403],
  ['(area admin) revoke a token of a user of the whole of Uganda', () => areaAdmin, 'DELETE', () => `/api/tokens/${ugEntry.tokenId}`, undefined, 404],
  ['(global admin) demote itself', () => root, 'PATCH', () => `/api/users/${root.id}`, { role: 'viewer', scopes: ['UGA'] }, 403],
  ['(global admin) disable itself', () => root, 'PATCH', () => `/api/users/${root.id}`, { disabled: true }, 403],
  ['(global admin) narrow its own scope', () => root, 'PATCH', () => `/api/users/${root.id}`, { scopes: ['UGA'] }, 403],
];

describe('a scoped admin', () => {
  it.each(ATTACKS)('cannot %s, and nothing changes', async (label, who, method, url, body, status) => {
    const before = await snapshot();
    const res = await who().client.send(method, url(), body);
    expect(res.statusCode, `${label}: ${res.body}`).toBe(status);
    expect(res.json()).toMatchObject({ error: { code: status === 404 ? 'NOT_FOUND' : 'FORBIDDEN' } });
    expect(await snapshot(), label).toEqual(before);
    if (body && typeof body === 'object' && 'password' in body) {
      for (const target of [root, ugAdmin, areaAdmin, kenEntry])
        expect((await login(target.email, NEW_PASSWORD)).statusCode, `${label}: ${target.email}`).toBe(401);
    }
  });

  it('answers for a user outside its scope exactly as for one who does not exist', async () => {
    const outside = await ugAdmin.client.send('PATCH', `/api/users/${root.id}`, { name: 'x' });
    const none = await ugAdmin.client.send('PATCH', `/api/users/noSuchUser`, { name: 'x' });
    expect(outside.statusCode).toBe(404);
    expect(outside.json<{ error: { message: string } }>().error.message).toBe(
      none.json<{ error: { message: string } }>().error.message.replace('noSuchUser', root.id),
    );
  });

  it('explains a refusal in plain words', async () => {
    const wider = await ugAdmin.client.send('POST', '/api/users', newUser('viewer', ['UGA', 'KEN']));
    expect(wider.json<{ error: { message: string } }>().error.message).toBe('scope "KEN" is not a country or area within your own scope (UGA)');
    const empty = await ugAdmin.client.send('POST', '/api/users', newUser('admin', []));
    expect(empty.json<{ error: { message: string } }>().error.message).toMatch(/may not give an empty scope \(everywhere\)/);
    const self = await ugAdmin.client.send('PATCH', `/api/users/${ugAdmin.id}`, { scopes: [] });
    expect(self.json<{ error: { message: string } }>().error.message).toMatch(/may not change your own role, scope or status/);
    const token = await ugAdmin.client.send('POST', '/api/tokens', { name: 'x', email: root.email });
    expect(token.json<{ error: { message: string } }>().error.message).toMatch(/only an admin without a scope may create a token for another user/);
  });

  it('leaves the attacked accounts as they were: old passwords and tokens work, new ones do not', async () => {
    for (const target of [root, kenEntry, ugAdmin, ugEntry]) {
      expect((await login(target.email, NEW_PASSWORD)).statusCode, target.email).toBe(401);
      expect((await login(target.email, PASSWORD)).statusCode, target.email).toBe(200);
      expect((await target.client.get('/api/auth/me')).statusCode, target.email).toBe(200);
    }
    // The global admin still acts everywhere.
    expect((await root.client.get('/api/users')).json<{ items: unknown[] }>().items.length).toBeGreaterThanOrEqual(8);
    expect((await services.store.repos.users.byId(ugAdmin.id))!.scopes).toEqual(['UGA']);
  });

  it('lists only the users, and the tokens of the users, within its scope', async () => {
    const users = (await ugAdmin.client.get('/api/users')).json<{ items: { email: string }[] }>().items.map((u) => u.email);
    expect(users).toEqual(expect.arrayContaining([ugAdmin.email, areaAdmin.email, ugEntry.email, areaEntry.email]));
    expect(users).not.toEqual(expect.arrayContaining([root.email]));
    for (const outside of [root, kenEntry, kenAdmin, both]) expect(users, outside.email).not.toContain(outside.email);
    const tokens = (await ugAdmin.client.get('/api/tokens?all=true')).json<{ items: { email: string; id: string }[] }>().items;
    expect(tokens.map((t) => t.id)).toContain(ugEntry.tokenId);
    expect(tokens.map((t) => t.email).filter((e) => !users.includes(e))).toEqual([]);

    const area = (await areaAdmin.client.get('/api/users'))
      .json<{ items: { email: string }[] }>()
      .items.map((u) => u.email)
      .sort();
    expect(area).toEqual([areaAdmin.email, areaEntry.email].sort());
    const areaTokens = (await areaAdmin.client.get('/api/tokens?all=true')).json<{ items: { email: string }[] }>().items.map((t) => t.email);
    expect([...new Set(areaTokens)].sort()).toEqual([areaAdmin.email, areaEntry.email].sort());
    // An unscoped admin still sees everyone.
    const all = (await root.client.get('/api/users')).json<{ items: { email: string }[] }>().items.map((u) => u.email);
    for (const u of [root, kenEntry, both, ugAdmin]) expect(all).toContain(u.email);
  });

  it('still creates a Uganda data-entry user, resets their password (revoking their tokens), disables them and revokes their tokens', async () => {
    const created = await ugAdmin.client.send('POST', '/api/users', { email: 'clerk@health.go.ug', role: 'data_entry', scopes: ['UGA'], password: PASSWORD });
    expect(created.statusCode, created.body).toBe(201);
    const clerk = created.json<{ id: string; email: string; scopes: string[] }>();
    expect(clerk.scopes).toEqual(['UGA']);
    const { token } = await services.auth.createToken(SYSTEM, 'laptop', clerk.email);
    const spare = await services.auth.createToken(SYSTEM, 'spare', clerk.email);
    expect((await as(app, token).get('/api/auth/me')).statusCode).toBe(200);

    expect((await ugAdmin.client.send('DELETE', `/api/tokens/${spare.id}`)).statusCode).toBe(204);
    expect((await as(app, spare.token).get('/api/auth/me')).statusCode).toBe(401);

    const reset = await ugAdmin.client.send('PATCH', `/api/users/${clerk.id}`, { password: NEW_PASSWORD });
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json()).toMatchObject({ email: clerk.email, revokedTokens: 1 });
    expect((await as(app, token).get('/api/auth/me')).statusCode).toBe(401);
    expect((await login(clerk.email, NEW_PASSWORD)).statusCode).toBe(200);

    const disabled = await ugAdmin.client.send('PATCH', `/api/users/${clerk.id}`, { disabled: true });
    expect(disabled.json()).toMatchObject({ disabled: true, revokedTokens: 0 });
    expect((await login(clerk.email, NEW_PASSWORD)).statusCode).toBe(401);

    // Within its scope it may narrow a user to an area and promote them, up to its own role.
    const moved = await ugAdmin.client.send('PATCH', `/api/users/${clerk.id}`, { scopes: ['UG-102'], role: 'admin', disabled: false });
    expect(moved.json()).toMatchObject({ scopes: ['UG-102'], role: 'admin', disabled: false });
  });

  it('scoped to an area, manages users of that area only', async () => {
    const created = await areaAdmin.client.send('POST', '/api/users', { email: 'clerk@kampala.go.ug', role: 'viewer', scopes: ['UG-102'], password: PASSWORD });
    expect(created.statusCode, created.body).toBe(201);
    const renamed = await areaAdmin.client.send('PATCH', `/api/users/${areaEntry.id}`, { name: 'Kampala clerk' });
    expect(renamed.json()).toMatchObject({ name: 'Kampala clerk' });
    // A user of the whole of Uganda is not within Kampala: it does not exist for the area admin.
    const national = await areaAdmin.client.send('PATCH', `/api/users/${ugEntry.id}`, { name: 'Renamed from Kampala' });
    expect(national.statusCode).toBe(404);
    expect((await services.store.repos.users.byId(ugEntry.id))!.name).not.toBe('Renamed from Kampala');
    // A Uganda admin manages the area's users too: the area lies within Uganda.
    const byCountry = await ugAdmin.client.send('PATCH', `/api/users/${areaEntry.id}`, { role: 'viewer' });
    expect(byCountry.json()).toMatchObject({ role: 'viewer', scopes: ['UG-102'] });
    // And the area admin itself, but not its own scope or role (see the attacks above).
    const areaSelf = await ugAdmin.client.send('PATCH', `/api/users/${areaAdmin.id}`, { name: 'Kampala admin' });
    expect(areaSelf.statusCode).toBe(200);
  });
});

describe('a password reset', () => {
  it("revokes the user's tokens and ends their sessions in the same change, audited; the answer says how many", async () => {
    const user = await make('country_manager', ['KEN'], 'manager@health.go.ke');
    const second = await services.auth.createToken(SYSTEM, 'script', user.email);
    const old = await services.auth.createToken(SYSTEM, 'old', user.email);
    await services.auth.revokeToken(SYSTEM, old.id);
    const session = String((await login(user.email, PASSWORD)).headers['set-cookie']).split(';')[0]!;
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: session } })).statusCode).toBe(200);

    const res = await root.client.send('PATCH', `/api/users/${user.id}`, { password: NEW_PASSWORD });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ revokedTokens: 2 });
    for (const t of [user.token, second.token]) expect((await as(app, t).get('/api/auth/me')).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: session } })).statusCode).toBe(401);
    expect((await services.store.repos.users.tokens(user.id)).every((t) => t.revokedAt)).toBe(true);

    const audit = await services.store.repos.audit.recent(10);
    expect(audit.find((e) => e.action === 'password-reset' && e.objectId === user.id)).toMatchObject({ actor: root.email, details: { revokedTokens: 2 } });
    const revoked = audit.filter(
      (e) => e.action === 'revoke' && e.objectType === 'api-token' && (e.details as { reason?: string } | null)?.reason === 'password-reset',
    );
    expect(revoked.map((e) => e.objectId).sort()).toEqual([user.tokenId, second.id].sort());
  });

  it("of one's own password (with the current one) keeps one's tokens, as documented", async () => {
    const user = await make('viewer', ['UGA'], 'reader@health.go.ug');
    const res = await user.client.send('POST', '/api/auth/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(res.statusCode, res.body).toBe(204);
    expect((await user.client.get('/api/auth/me')).statusCode).toBe(200);
  });
});

describe('secrets in error answers', () => {
  const SECRET = 'MySecret9';
  const LONG = 'Sup3rSecretValue'.repeat(70);

  async function refused(res: { statusCode: number; body: string }, ...secrets: string[]) {
    expect(res.statusCode, res.body).toBe(400);
    for (const s of secrets) expect(res.body).not.toContain(s);
  }

  it('never echoes a password given to create or change a user', async () => {
    await refused(await root.client.send('POST', '/api/users', { email: 'short@corridor.test', role: 'viewer', scopes: ['UGA'], password: SECRET }), SECRET);
    const res = await root.client.send('POST', '/api/users', { email: 'short@corridor.test', role: 'viewer', scopes: ['UGA'], password: SECRET });
    expect(res.json()).toMatchObject({
      error: {
        code: 'VALIDATION_FAILED',
        message: expect.stringMatching(/field "password": must be at least 10 characters/),
        details: [{ field: 'password' }],
      },
    });
    await refused(await root.client.send('PATCH', `/api/users/${ugEntry.id}`, { password: SECRET }), SECRET);
    await refused(await root.client.send('PATCH', `/api/users/${ugEntry.id}`, { password: LONG }), LONG.slice(0, 32));
    await refused(await root.client.send('PATCH', `/api/users/${ugEntry.id}`, { password: 1234567890123 }), '1234567890123');
    expect((await login(ugEntry.email, PASSWORD)).statusCode).toBe(200);
  });

  it('never echoes the current or new password of a password change', async () => {
    await refused(await kenEntry.client.send('POST', '/api/auth/password', { currentPassword: PASSWORD, newPassword: SECRET }), SECRET, PASSWORD);
    await refused(await kenEntry.client.send('POST', '/api/auth/password', { currentPassword: LONG, newPassword: 'a fine new password' }), LONG.slice(0, 32));
    await refused(
      await kenEntry.client.send('POST', '/api/auth/password', { currentPassword: 'not my password', newPassword: SECRET }),
      SECRET,
      'not my password',
    );
  });

  it('never echoes the password of a login', async () => {
    await refused(await login(root.email, LONG), LONG.slice(0, 32));
    await refused(await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: root.email, password: ['Array', SECRET] } }), SECRET);
  });
});
