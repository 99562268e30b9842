import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const fixture = (name: string) => path.join('test', 'fixtures', 'registry', name);
let tmp: string;
let demoDir: string;
let emptyDir: string;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'corridor-registry-'));
  demoDir = path.join(tmp, 'demo');
  emptyDir = path.join(tmp, 'empty');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A failure is one readable line on stderr and a non-zero exit. */
function expectOneLineError(res: { code: number; stderr: string }, pattern: RegExp) {
  expect(res.code).not.toBe(0);
  expect(res.stderr.trim().split('\n')).toHaveLength(1);
  expect(res.stderr).toMatch(pattern);
}

type Feature = { properties: Record<string, unknown> & { code: string }; geometry: { coordinates: number[] } };

describe('corridor sites export / import', () => {
  it('round-trips: the GeoJSON export imported into an empty data directory gives the same sites', async () => {
    const exported = path.join(tmp, 'sites.geojson');
    const out = await runCli(['sites', 'export', '--format', 'geojson', '--out', exported, '--data-dir', demoDir]);
    expect(out.code).toBe(0);
    const first = JSON.parse(readFileSync(exported, 'utf8')) as { features: Feature[] };
    expect(first.features.length).toBeGreaterThanOrEqual(30);

    const imported = await runCli(['sites', 'import', exported, '--data-dir', emptyDir, '--no-demo']);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toMatch(new RegExp(`${first.features.length} sites created, 0 updated`));

    const again = await runCli(['sites', 'export', '--format', 'geojson', '--data-dir', emptyDir, '--no-demo']);
    const second = JSON.parse(again.stdout) as { features: Feature[] };
    // Ids are the new directory's own; everything a user entered is the same.
    const strip = (fc: { features: Feature[] }) =>
      fc.features.map((f) => ({ ...f, id: undefined })).sort((a, b) => a.properties.code.localeCompare(b.properties.code));
    expect(strip(second)).toEqual(strip(first));
  });

  it('writes HXL and CSV, and reads its own CSV back', async () => {
    const hxl = await runCli(['sites', 'export', '--format', 'hxl', '--data-dir', demoDir]);
    expect(hxl.stdout.split('\n')[1]).toMatch(/^#loc\+code,#loc\+name,#loc\+type/);
    const csvFile = path.join(tmp, 'sites.csv');
    await runCli(['sites', 'export', '--format', 'csv', '--out', csvFile, '--data-dir', demoDir]);
    const res = await runCli(['sites', 'import', csvFile, '--data-dir', demoDir]);
    expect(res.stdout).toMatch(/0 sites created, \d+ updated/);
    // An HXL export imports too: its hashtag row names the columns, and the fields it lacks
    // (hours, venue, notes…) are kept, not wiped.
    const hxlFile = path.join(tmp, 'sites-hxl.csv');
    await runCli(['sites', 'export', '--format', 'hxl', '--out', hxlFile, '--data-dir', demoDir]);
    const before = (await runCli(['sites', 'export', '--format', 'csv', '--data-dir', demoDir])).stdout;
    const fromHxl = await runCli(['sites', 'import', hxlFile, '--data-dir', demoDir]);
    expect(fromHxl.stdout).toMatch(/0 sites created, \d+ updated/);
    expect((await runCli(['sites', 'export', '--format', 'csv', '--data-dir', demoDir])).stdout).toBe(before);
  });

  it('refuses a CSV with a bad row naming the line, and stores no row of it', async () => {
    const res = await runCli(['sites', 'import', fixture('sites-bad.csv'), '--data-dir', demoDir]);
    expectOneLineError(res, /sites-bad\.csv: line 3: Latitude \(field "latitude"\) must be at most 90 \(value 123\)/);
    const list = await runCli(['sites', 'export', '--format', 'csv', '--data-dir', demoDir]);
    expect(list.stdout).not.toMatch(/KE-TEST-1/);
  });
});

describe('corridor flows import and demo load', () => {
  it('imports flows, refusing a file with a bad row whole', async () => {
    expectOneLineError(
      await runCli(['flows', 'import', fixture('flows-bad.csv'), '--data-dir', demoDir]),
      /flows-bad\.csv: line 3: Number of people \(field "count"\) must be at least 0 \(value -5\)/,
    );
    const ok = await runCli(['flows', 'import', fixture('flows.csv'), '--data-dir', demoDir, '--json']);
    expect(JSON.parse(ok.stdout)).toEqual({ created: 2 });
  });

  it('loads the demo world again without duplicating it', async () => {
    const before = (await runCli(['sites', 'export', '--format', 'csv', '--data-dir', demoDir])).stdout.trim().split('\n').length;
    const res = await runCli(['demo', 'load', '--data-dir', demoDir, '--json']);
    expect(res.code).toBe(0);
    const counts = JSON.parse(res.stdout) as { sites: number; corridors: number };
    expect(counts.corridors).toBeGreaterThanOrEqual(3);
    const after = (await runCli(['sites', 'export', '--format', 'csv', '--data-dir', demoDir])).stdout.trim().split('\n').length;
    expect(after).toBe(before);
  });
});
