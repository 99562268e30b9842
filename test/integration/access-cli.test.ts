import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/lib/csv.js';
import { runCli } from '../support/cli.js';
import { startServer, type RunningServer } from '../support/server.js';

let dataDir: string;
let server: RunningServer | undefined;
const cli = (...args: string[]) => runCli([...args, '--data-dir', dataDir]);

beforeAll(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'corridor-access-'));
});
afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('users and tokens from the command line', () => {
  let token = '';
  let tokenId = '';

  it('creates users with a role and a scope, and lists them', async () => {
    const res = await runCli(['users', 'create', 'officer@moh.go.ug', '--role', 'data_entry', '--scope', 'UGA', '--password-stdin', '--data-dir', dataDir], {
      input: 'a long secret passphrase\n',
    });
    expect(res.stderr).toBe('');
    expect(res.stdout).toMatch(/created officer@moh\.go\.ug \(data_entry, scope UGA\)/);
    const random = await cli('users', 'create', 'viewer@unaids.org', '--role', 'viewer', '--scope', 'KEN,UGA');
    expect(random.stdout).toMatch(/password \(shown once\): \S{12,}/);
    const list = JSON.parse((await cli('users', 'list', '--json')).stdout) as { email: string; role: string; scopes: string[] }[];
    expect(list.map((u) => [u.email, u.role, u.scopes])).toEqual([
      ['officer@moh.go.ug', 'data_entry', ['UGA']],
      ['viewer@unaids.org', 'viewer', ['KEN', 'UGA']],
    ]);
  });

  it('refuses bad users in one line', async () => {
    const bad = await cli('users', 'create', 'x@y.org', '--role', 'emperor');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/--role.*emperor/);
    const noScope = await cli('users', 'create', 'x@y.org', '--role', 'viewer');
    expect(noScope.stderr).toMatch(/scopes: a user other than an admin needs at least one country/);
    const unknown = await cli('users', 'create', 'x@y.org', '--role', 'viewer', '--scope', 'ATLANTIS');
    expect(unknown.stderr).toMatch(/scopes\.0: no country or admin area has this code \(value "ATLANTIS"\)/);
  });

  it('prints a token once; the server accepts it for --server commands, sees only the scope, and refuses it once revoked', async () => {
    const created = JSON.parse((await cli('tokens', 'create', 'officer@moh.go.ug', '--name', 'laptop', '--json')).stdout) as { id: string; token: string };
    token = created.token;
    tokenId = created.id;
    expect(token).toMatch(/^crd_/);
    const listed = (await cli('tokens', 'list')).stdout;
    expect(listed).toMatch(/laptop/);
    expect(listed).not.toContain(token);

    server = await startServer({ dataDir });
    const sites = await runCli(['sites', 'export', '--format', 'csv', '--server', server.url, '--token', token]);
    expect(sites.code).toBe(0);
    const rows = parseCsv(sites.stdout).slice(1);
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.map((r) => r.fields[3]).filter((c) => c !== 'UGA')).toEqual([]);
    const places = JSON.parse(
      (await runCli(['places', 'list', '--level', 'country', '--json', '--server', server.url], { env: { CORRIDOR_TOKEN: token } })).stdout,
    ) as { total: number };
    expect(places.total).toBeGreaterThan(170);
    // Managing users is an admin's job.
    const denied = await runCli(['users', 'list', '--server', server.url, '--token', token]);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toMatch(/may not do this \(users:manage\)/);
    await server.stop();
    server = undefined;

    expect((await cli('tokens', 'revoke', tokenId)).stdout).toMatch(/revoked/);
    server = await startServer({ dataDir });
    const refused = await runCli(['places', 'list', '--server', server.url, '--token', token]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/API token is not valid/);
  });
});

describe('passwords from the command line', () => {
  it('never echoes a password it refuses', async () => {
    // The server of the test above holds the data directory.
    await server?.stop();
    server = undefined;
    const create = await runCli(['users', 'create', 'short@moh.go.ug', '--role', 'viewer', '--scope', 'UGA', '--password-stdin', '--data-dir', dataDir], {
      input: 'MySecret9\n',
    });
    expect(create.code).not.toBe(0);
    expect(create.stderr.trim().split('\n')).toHaveLength(1);
    expect(create.stderr).toMatch(/password: must be at least 10 characters/);
    expect(create.stdout + create.stderr).not.toContain('MySecret9');
    const reset = await runCli(['users', 'set', 'officer@moh.go.ug', '--password-stdin', '--json', '--data-dir', dataDir], { input: 'Short9\n' });
    expect(reset.code).not.toBe(0);
    expect(reset.stderr).toMatch(/password: must be at least 10 characters/);
    expect(reset.stdout + reset.stderr).not.toContain('Short9');
  });

  it("resets a password, revoking the user's tokens, and says how many", async () => {
    const created = JSON.parse((await cli('tokens', 'create', 'officer@moh.go.ug', '--name', 'script', '--json')).stdout) as { id: string };
    const reset = await runCli(['users', 'set', 'officer@moh.go.ug', '--password-stdin', '--data-dir', dataDir], { input: 'a brand new passphrase\n' });
    expect(reset.stderr).toBe('');
    expect(reset.stdout).toMatch(/^officer@moh\.go\.ug: data_entry, UGA, active; password reset, 1 API token revoked$/m);
    const list = JSON.parse((await cli('tokens', 'list', '--json')).stdout) as { id: string; revokedAt: string | null }[];
    expect(list.find((t) => t.id === created.id)?.revokedAt).toBeTruthy();
  });
});
