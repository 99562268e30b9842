import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../support/databases.js';
import { login, startServer, type RunningServer } from '../support/server.js';

// `corridor serve` as `npm start` runs it: first on the embedded database, then on PostgreSQL.
describe.each(['pglite', 'postgresql'] as const)('corridor serve [%s]', (engine) => {
  let server: RunningServer | undefined;
  let dropDb: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await server?.stop();
    await dropDb?.();
  });

  it('starts on a fresh database, loads the world and serves the API and the app', async () => {
    let databaseUrl: string | undefined;
    if (engine === 'postgresql') {
      const db = await createPostgresDatabase();
      databaseUrl = db.url;
      dropDb = db.drop;
    }
    server = await startServer(databaseUrl ? { databaseUrl } : {});
    const health = await (await fetch(`${server.url}/api/health`)).json();
    expect(health).toMatchObject({ status: 'ok', database: engine });
    // Everything but health, the API document and login needs an account.
    expect((await fetch(`${server.url}/api/places?level=country`)).status).toBe(401);
    const { cookie } = await login(server.url);
    const countries = (await (await fetch(`${server.url}/api/places?level=country`, { headers: { cookie } })).json()) as { items: { code: string }[] };
    expect(countries.items.length).toBeGreaterThanOrEqual(170);
    expect(countries.items.map((c) => c.code)).toEqual(expect.arrayContaining(['KEN', 'UGA', 'COD']));
    const page = await fetch(`${server.url}/about`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
  });
});
