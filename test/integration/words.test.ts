import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { servicesFor, type Services } from '../../src/app.js';
import { CATALOGUES } from '../../src/cli/i18n.js';
import { as, userWithToken } from '../support/auth.js';
import { runCli } from '../support/cli.js';
import { freshStore } from '../support/databases.js';

/**
 * Issue 11: messages speak the user's words (field and option labels, names), while the API keeps
 * field paths, issue codes and allowed codes in `details`; the CLI speaks English or French.
 */
type Details = { field: string; code?: string; allowed?: string[]; label?: string; message: string }[];

describe('API messages in the user’s words', () => {
  let app: FastifyInstance;
  let services: Services;
  let drop: () => Promise<void>;
  let admin: ReturnType<typeof as>;
  const site = { code: 'UG-WORDS-1', name: 'Busia words post', type: 'land_border_post', country: 'UGA', latitude: 0.46, longitude: 34.09 };

  beforeAll(async () => {
    const fresh = await freshStore('pglite');
    drop = fresh.drop;
    services = await servicesFor(fresh.store);
    app = await buildServer(services);
    admin = as(app, (await userWithToken(services, 'admin', [], 'words@test.org')).token);
  });
  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  it('names the size estimates by their labels, not sizeLow and sizeHigh', async () => {
    const created = await admin.send('POST', '/api/sites', site);
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    const res = await admin.send('PUT', `/api/sites/${id}/populations`, [{ group: 'truck_drivers', sizeLow: 500, sizeHigh: 100 }]);
    expect(res.statusCode).toBe(400);
    const { message, details } = res.json<{ error: { message: string; details: Details } }>().error;
    expect(message).toContain('Lowest size estimate (population 1) must not exceed the highest (value 500)');
    expect(message).not.toMatch(/sizeLow|sizeHigh/);
    expect(details[0]).toMatchObject({ field: '0.sizeLow', code: 'custom', value: 500 });
  });

  it('lists site types by name, keeping their codes in details; an empty country choice says "Choose a country"', async () => {
    const res = await admin.send('POST', '/api/sites', { ...site, code: 'UG-WORDS-2', type: 'harbour', country: '' });
    expect(res.statusCode).toBe(400);
    const { message, details } = res.json<{ error: { message: string; details: Details } }>().error;
    expect(message).toContain('Site type must be one of Land border post, Port, Mine, Construction site');
    expect(message).toContain('Choose a country');
    expect(message).not.toMatch(/land_border_post|ISO 3166/);
    const type = details.find((d) => d.field === 'type')!;
    expect(type).toMatchObject({ code: 'invalid_value', label: 'Site type' });
    expect(type.allowed).toContain('land_border_post');
    expect(details.find((d) => d.field === 'country')).toMatchObject({ message: 'Choose a country', value: '' });
  });

  it('names the corridors that still use a site by their names, the codes staying in details', async () => {
    const id = (await admin.get('/api/sites?q=UG-WORDS-1')).json<{ items: { id: string }[] }>().items[0]!.id;
    const corridor = await admin.send('POST', '/api/corridors', { code: 'WORDS-C', name: 'Busia–Kampala road', places: ['UG-WORDS-1', 'UGA'] });
    expect(corridor.statusCode, corridor.body).toBe(201);
    const res = await admin.send('DELETE', `/api/sites/${id}`);
    expect(res.statusCode).toBe(409);
    const { message, details } = res.json<{ error: { message: string; details: { corridors: { id: string; code: string; name: string }[] } } }>().error;
    expect(message).toBe('the site “Busia words post” is still used by the corridor “Busia–Kampala road”; remove it there first');
    expect(details.corridors).toEqual([{ id: corridor.json<{ id: string }>().id, code: 'WORDS-C', name: 'Busia–Kampala road' }]);
  });

  it('names an unknown place on a corridor route by its position', async () => {
    const res = await admin.send('POST', '/api/corridors', { code: 'WORDS-D', name: 'Nowhere road', places: ['UGA', 'NOWHERE-9'] });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { message: string } }>().error.message).toBe('invalid corridor: Place 2 is not the code of a known place (value "NOWHERE-9")');
  });
});

describe('CLI messages in the user’s words, in English and French', () => {
  let tmp: string;
  let dataDir: string;
  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'corridor-words-'));
    dataDir = path.join(tmp, 'data');
    expect((await runCli(['places', 'list', '--limit', '1', '--data-dir', dataDir, '--no-demo'])).code).toBe(0);
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('names a bad site type by the type names and an empty country as "Choose a country"', async () => {
    const file = path.join(tmp, 'bad-sites.geojson');
    const feature = (properties: object, coordinates: number[]) => ({ type: 'Feature', geometry: { type: 'Point', coordinates }, properties });
    writeFileSync(
      file,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          feature({ code: 'UG-W-1', name: 'Busia', type: 'harbour', country: 'UGA' }, [34.09, 0.46]),
          feature({ code: 'UG-W-2', name: 'Tororo', type: 'truck_stop', country: '' }, [34.18, 0.69]),
        ],
      }),
    );
    const res = await runCli(['sites', 'import', file, '--data-dir', dataDir, '--no-demo']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('feature 1: Site type (field "type") must be one of Land border post, Port, Mine');
    expect(res.stderr).toContain('feature 2: Choose a country (value "")');
    expect(res.stderr).not.toMatch(/land_border_post|ISO 3166/);
  });

  it('shows help, summaries and errors in French with --lang fr', async () => {
    const help = await runCli(['--lang', 'fr', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Utilisation : corridor');
    const words = help.stdout.replace(/\s+/g, ' ');
    expect(words).toContain(CATALOGUES.fr.program.json);
    expect(words).toContain(CATALOGUES.fr.places.description);
    expect(words).not.toContain(CATALOGUES.en.places.description);

    const csv = path.join(tmp, 'good-sites.csv');
    writeFileSync(csv, 'code,name,type,country,latitude,longitude\nUG-W-3,Malaba,land_border_post,UGA,0.63,34.27\n');
    const imported = await runCli(['sites', 'import', csv, '--lang', 'fr', '--data-dir', dataDir, '--no-demo']);
    expect(imported.stderr).toBe('');
    expect(imported.stdout.trim()).toBe('good-sites.csv : 1 site créé, 0 mis à jour');

    const wrong = await runCli(['--lang', 'fr', 'places', 'lst']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr.trim()).toBe("corridor : commande inconnue 'lst' (Vouliez-vous dire list ?)");
  });

  it('follows LANG=fr_FR.UTF-8 (and CORRIDOR_LANG over it), with numbers written the French way', async () => {
    const env = { CORRIDOR_LANG: undefined, LC_ALL: undefined, LC_MESSAGES: undefined, LANG: 'fr_FR.UTF-8' };
    const list = await runCli(['places', 'list', '--limit', '2', '--data-dir', dataDir, '--no-demo'], { env });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^CODE +NOM +NIVEAU +ID$/m);
    const total = /^2 sur (\d+) lieux$/m.exec(list.stdout);
    expect(total, list.stdout).not.toBeNull();
    const json = await runCli(['places', 'list', '--limit', '2', '--json', '--data-dir', dataDir, '--no-demo'], { env });
    expect((JSON.parse(json.stdout) as { total: number }).total).toBe(Number(total![1]));
    // Numbers for people the French way: 1 970 (narrow no-break space) and 0,854; --json keeps plain numbers.
    const bench = await runCli(['model', 'bench', '--agents', '2000', '--years', '1'], { env });
    expect(bench.stdout).toMatch(/^1\u202f\d{3} agents × 208 pas hebdomadaires en \d+,\d+ s : /m);
    const benchJson = JSON.parse((await runCli(['model', 'bench', '--agents', '2000', '--years', '1', '--json'], { env })).stdout) as {
      agents: number;
      seconds: number;
    };
    expect(typeof benchJson.agents).toBe('number');

    const missing = await runCli(['sites', 'import', path.join(tmp, 'absent.csv'), '--data-dir', dataDir], { env });
    expect(missing.stderr.trim()).toBe(`corridor : ${path.join(tmp, 'absent.csv')} : fichier introuvable`);

    const english = await runCli(['places', 'list', '--limit', '2', '--data-dir', dataDir, '--no-demo'], { env: { ...env, CORRIDOR_LANG: 'en' } });
    expect(english.stdout).toMatch(new RegExp(`^2 of ${total![1]} places$`, 'm'));
  });
});
