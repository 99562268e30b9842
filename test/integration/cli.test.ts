import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { runCli } from '../support/cli.js';

const fixture = (name: string) => path.join('test', 'fixtures', 'places', name);
let dataDir: string;
// A directory without the demo world: these tests are about the place hierarchy itself.
const cli = (...args: string[]) => runCli([...args, '--data-dir', dataDir, '--no-demo']);

beforeAll(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'corridor-cli-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** A failure is one readable line on stderr and a non-zero exit. */
function expectOneLineError(res: { code: number; stdout: string; stderr: string }, pattern: RegExp) {
  expect(res.code).not.toBe(0);
  const lines = res.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^corridor: /);
  expect(lines[0]).toMatch(pattern);
}

describe('corridor CLI', () => {
  it('migrates a new data directory and reports the schema version', async () => {
    const res = await cli('db', 'migrate', '--json');
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ database: 'pglite', schemaVersion: MIGRATIONS.at(-1)!.version, applied: MIGRATIONS.map((m) => m.version) });
    const again = await cli('db', 'migrate');
    expect(again.stdout).toMatch(/already up to date/);
  });

  it('lists the bundled countries, as a table and as JSON', async () => {
    const table = await cli('places', 'list', '--level', 'country');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^KEN\s+Kenya\s+country/m);
    const json = JSON.parse((await cli('places', 'list', '--level', 'country', '--json')).stdout) as { total: number; items: { code: string }[] };
    expect(json.total).toBeGreaterThanOrEqual(170);
    expect(json.items.map((p) => p.code)).toEqual(expect.arrayContaining(['KEN', 'UGA', 'COD']));
  });

  it('imports a CSV of counties and sites under Kenya, and lists them by parent', async () => {
    const res = await cli('places', 'import', fixture('kenya-counties.csv'));
    expect(res.stderr).toBe('');
    expect(res.stdout).toMatch(/4 places created, 0 updated/);
    const counties = JSON.parse((await cli('places', 'list', '--parent', 'KEN', '--json')).stdout) as { items: { code: string; level: string }[] };
    expect(counties.items.map((p) => p.code).sort()).toEqual(['KE-001', 'KE-040']);
    const sites = JSON.parse((await cli('places', 'list', '--level', 'site', '--json')).stdout) as { items: { code: string; bbox: number[] }[] };
    expect(sites.items.find((s) => s.code === 'KE-040-OSBP')!.bbox).toEqual([34.0906, 0.4636, 34.0906, 0.4636]);
    const again = await cli('places', 'import', fixture('kenya-counties.csv'));
    expect(again.stdout).toMatch(/0 places created, 4 updated/);
  });

  it('imports GeoJSON with --parent for features that name no parent', async () => {
    const res = await cli('places', 'import', fixture('uganda-districts.geojson'), '--parent', 'UGA', '--json');
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ created: 2, updated: 0 });
  });

  it('refuses a file with a bad row whole, naming line, field and value', async () => {
    const before = JSON.parse((await cli('places', 'list', '--level', 'site', '--json')).stdout) as { total: number };
    const res = await cli('places', 'import', fixture('bad-coordinates.csv'));
    expectOneLineError(res, /bad-coordinates\.csv: line 3, field "latitude": .*\(value "123\.4"\)/);
    const after = JSON.parse((await cli('places', 'list', '--level', 'site', '--json')).stdout) as { total: number; items: { code: string }[] };
    expect(after.total).toBe(before.total);
    expect(after.items.map((p) => p.code)).not.toContain('KE-MAL');

    // The first row is valid on its own; the second names a parent nobody has: neither lands.
    const orphan = await cli('places', 'import', fixture('unknown-parent.csv'));
    expectOneLineError(orphan, /unknown-parent\.csv: line 3, field "parent": no place has this code.*\(value "KE-999"\)/);
    const counties = JSON.parse((await cli('places', 'list', '--parent', 'KEN', '--json')).stdout) as { items: { code: string }[] };
    expect(counties.items.map((p) => p.code)).not.toContain('KE-042');
  });

  it('explains malformed JSON, unknown parents, missing files and bad options in one line', async () => {
    expectOneLineError(await cli('places', 'import', fixture('malformed.geojson')), /malformed\.geojson: not valid JSON: line 4, column \d+/);
    expectOneLineError(await cli('places', 'import', fixture('kenya-counties.csv'), '--parent', 'XXX'), /--parent "XXX": no place has this code/);
    expectOneLineError(await cli('places', 'import', 'no/such/file.csv'), /no such file/);
    expectOneLineError(await cli('places', 'list', '--level', 'planet'), /--level.*must be one of country/);
    expectOneLineError(await cli('places', 'lst'), /unknown command 'lst'/);
  });

  it('refuses a second process on the same embedded data directory while the first holds it', async () => {
    const { spawn } = await import('node:child_process');
    const server = spawn(process.execPath, ['bin/corridor.js', 'serve', '--port', '0', '--data-dir', dataDir, '--no-demo']);
    try {
      await new Promise<void>((resolve, reject) => {
        server.stdout.on('data', (d: Buffer) => d.toString().includes('Corridor is running') && resolve());
        server.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
      });
      expectOneLineError(await cli('places', 'list'), /in use by another Corridor process/);
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
    expect((await cli('places', 'list', '--level', 'country')).code).toBe(0);
  });

  it('has --help on every command', async () => {
    const commands: string[][] = [];
    const walk = (c: Command, prefix: string[]) => {
      for (const sub of c.commands) {
        commands.push([...prefix, sub.name()]);
        walk(sub, [...prefix, sub.name()]);
      }
    };
    walk(buildProgram(), []);
    expect(commands.length).toBeGreaterThanOrEqual(5);
    for (const cmd of commands) {
      const res = await runCli([...cmd, '--help']);
      expect(res.code, cmd.join(' ')).toBe(0);
      expect(res.stdout).toMatch(/^Usage: corridor /);
    }
  });
});
