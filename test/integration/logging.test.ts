import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { servicesFor } from '../../src/app.js';
import { as, userWithToken } from '../support/auth.js';
import { createPostgresDatabase, freshStore } from '../support/databases.js';
import { login, startServer, type RunningServer } from '../support/server.js';

/**
 * Failures in the log (issue 10, defect 6): a failed statement is logged by its SQLSTATE and
 * kind, with the request id, never with its parameters or a message that quotes them; and the
 * default `corridor serve` logs every 500.
 */
const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA';

describe('the failure log', () => {
  it('logs a failed statement with its code and the request id, never its parameters', async () => {
    const { store, drop } = await freshStore('pglite');
    try {
      const services = await servicesFor(store, { demo: false });
      const lines: string[] = [];
      const app = await buildServer(services, { logger: 'errors', logStream: { write: (l: string) => void lines.push(l) } });
      const { token } = await userWithToken(services, 'admin', [], 'log@test.org');
      // A broken repository: a statement PostgreSQL refuses, quoting its parameter in the message.
      vi.spyOn(services.sites, 'list').mockImplementation(() => services.store.db.query('SELECT $1::int AS n', [HASH]) as never);
      const res = await as(app, token).get('/api/sites');
      expect(res.statusCode).toBe(500);
      const requestId = res.json().error.details.requestId as string;
      expect(requestId).toBeTruthy();
      const log = lines.join('');
      expect(log).toContain(requestId);
      expect(log).toContain('"sqlState":"22P02"');
      expect(log).toContain('"statement":"SELECT"');
      expect(log).not.toContain('argon2id');
      expect(log).not.toContain('c2FsdHNhbHRzYWx0');
      await app.close();
    } finally {
      vi.restoreAllMocks();
      await drop();
    }
  }, 120_000);

  describe('with the default corridor serve', () => {
    let server: RunningServer | undefined;
    let db: { url: string; drop(): Promise<void> } | undefined;
    afterAll(async () => {
      await server?.stop();
      await db?.drop();
    });

    it('logs a 500 with its request id, and not the statement parameters', async () => {
      db = await createPostgresDatabase();
      server = await startServer({ databaseUrl: db.url });
      const auth = await login(server.url);
      // Break the database under the server: the sites query then fails.
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        await client.query('ALTER TABLE places RENAME COLUMN name TO name_gone');
      } finally {
        await client.end();
      }
      const res = await fetch(`${server.url}/api/sites?q=${encodeURIComponent(HASH)}`, { headers: { cookie: auth.cookie } });
      expect(res.status).toBe(500);
      const { error } = (await res.json()) as { error: { details: { requestId: string } } };
      const logged = () =>
        server!
          .output()
          .split('\n')
          .find((l) => l.includes('unexpected error'));
      for (let i = 0; i < 500 && !logged(); i++) await new Promise((r) => setTimeout(r, 20));
      expect(logged()).toContain(`"reqId":"${error.details.requestId}"`);
      expect(logged()).toContain('"sqlState":"42703"');
      expect(server.output()).not.toContain('argon2id');
    }, 240_000);
  });
});
