import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAdx } from '../../src/monitoring/interop/adx.js';
import { parseDhis2Csv } from '../../src/monitoring/interop/dhis2-csv.js';
import { parseDhis2Xml } from '../../src/monitoring/interop/dhis2-xml.js';
import { runCli } from '../support/cli.js';
import { startServer, type RunningServer } from '../support/server.js';

/** The DHIS2 DXF2 sample and the metadata it needs (shared with dhis2.test.ts). */
const SAMPLE = path.join('test', 'fixtures', 'dhis2', 'dataValueSetA.xml');
const SAMPLE_METADATA = path.join('test', 'fixtures', 'dhis2', 'dataValueSetA.metadata.json');
const DEFAULT_COC = 'HllvX50cXC0';

let tmp: string;
let base: string;
let dirs = 0;
let server: RunningServer | undefined;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'corridor-dhis2-cli-'));
  // A new data directory loads the world's countries once; each test starts from a copy of it.
  base = path.join(tmp, 'base');
  const made = await runCli(['export', 'dhis2', '--data-dir', base, '--no-demo']);
  expect(made.code, made.stderr).toBe(0);
});
afterAll(async () => {
  await server?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

/** A `corridor` runner on a fresh data directory of its own (countries only, no M&E data). */
function freshCli() {
  const dataDir = path.join(tmp, `data-${++dirs}`);
  cpSync(base, dataDir, { recursive: true });
  return { dataDir, run: (...args: string[]) => runCli([...args, '--data-dir', dataDir, '--no-demo']) };
}

/** Writes a file in the test's temporary directory; returns its path. */
function file(name: string, text: string): string {
  const p = path.join(tmp, name);
  writeFileSync(p, text);
  return p;
}

/** A failure is one readable line on stderr and a non-zero exit. */
function expectOneLineError(res: { code: number; stderr: string }, pattern: RegExp) {
  expect(res.code).not.toBe(0);
  expect(res.stderr.trim().split('\n')).toHaveLength(1);
  expect(res.stderr).toMatch(pattern);
}

type Value = { dataElement: string; period?: string; orgUnit?: string; categoryOptionCombo?: string; attributeOptionCombo?: string; value?: unknown };
/** Each value's key and value, with the default combos filled in, sorted. */
const tuples = (values: Value[]) =>
  values
    .map((v) => [v.dataElement, v.period, v.orgUnit, v.categoryOptionCombo ?? DEFAULT_COC, v.attributeOptionCombo ?? DEFAULT_COC, v.value].join('|'))
    .sort();
const sampleTuples = tuples(parseDhis2Xml(readFileSync(SAMPLE, 'utf8')).dataValues);

/** A data set of the sample's data element at its two org units (ADX groups values by data set). */
const DATA_SET = JSON.stringify({
  dataSets: [
    {
      id: 'TestDataSet',
      name: 'Test set',
      code: 'TEST_SET',
      periodType: 'Monthly',
      dataSetElements: [{ dataElement: { id: 'f7n9E0hX8qk' } }],
      organisationUnits: [{ id: 'DiszpKrYNg8' }, { id: 'BdfsJfj87js' }],
    },
  ],
});

/** The sample's three values, the second made bad. */
const BAD_CSV = [
  'dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value',
  'f7n9E0hX8qk,201201,DiszpKrYNg8,,,10001',
  'f7n9E0hX8qk,201201,BdfsJfj87js,,,many',
  'f7n9E0hX8qk,201202,DiszpKrYNg8,,,10003',
].join('\n');

describe('corridor import dhis2-metadata / import dhis2 / export dhis2', () => {
  it('imports the DHIS2 XML sample after its metadata, and exports the same values as XML and CSV', async () => {
    const { run } = freshCli();
    const md = await run('import', 'dhis2-metadata', SAMPLE_METADATA);
    expect(md.stderr).toBe('');
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^dataValueSetA\.metadata\.json: 3 created, 0 updated$/m);
    expect(md.stdout).toMatch(/^ {2}OrganisationUnit +2 created, 0 updated$/m);
    expect(md.stdout).toMatch(/^ {2}DataElement +1 created, 0 updated$/m);

    const imported = await run('import', 'dhis2', SAMPLE);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout.trim()).toBe('dataValueSetA.xml: SUCCESS: 3 imported, 0 updated, 0 ignored, 0 deleted');

    const xml = await run('export', 'dhis2', '--data-element', 'f7n9E0hX8qk', '--format', 'xml');
    expect(xml.code).toBe(0);
    expect(tuples(parseDhis2Xml(xml.stdout).dataValues)).toEqual(sampleTuples);
    // --out with a .csv name writes CSV; the period filter narrows.
    const out = path.join(tmp, 'export-201201.csv');
    const csv = await run('export', 'dhis2', '--period', '201201', '--out', out);
    expect(csv.stderr).toMatch(/wrote .*export-201201\.csv/);
    expect(tuples(parseDhis2Csv(readFileSync(out, 'utf8')).dataValues)).toEqual(sampleTuples.filter((t) => t.includes('|201201|')));
    // The export imports back unchanged: every value is ignored.
    const again = await run('import', 'dhis2', out, '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'SUCCESS', importCount: { imported: 0, updated: 0, ignored: 2, deleted: 0 } });
  });

  it('exits 1 with ERROR and stores nothing when a value is bad under --atomic all; stores the rest with WARNING under --atomic none', async () => {
    const { run } = freshCli();
    expect((await run('import', 'dhis2-metadata', SAMPLE_METADATA)).code).toBe(0);
    const bad = file('bad-value.csv', BAD_CSV);

    const all = await run('import', 'dhis2', bad);
    expect(all.code).toBe(1);
    expect(all.stderr).toBe('');
    expect(all.stdout).toMatch(/^bad-value\.csv: ERROR: 0 imported, 0 updated, 3 ignored, 0 deleted$/m);
    expect(all.stdout).toMatch(/^Nothing was imported: the import is all or nothing, and a value has a conflict$/m);
    expect(all.stdout).not.toMatch(/atomicMode/);
    expect(all.stdout).toMatch(/^ {2}dataValues\[1\]: value "many" of data element "f7n9E0hX8qk" \(NUMBER\) must be a number$/m);
    expect(JSON.parse((await run('export', 'dhis2')).stdout)).toEqual({ dataValues: [] });

    const none = await run('import', 'dhis2', bad, '--atomic', 'none');
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/^bad-value\.csv: WARNING: 2 imported, 0 updated, 1 ignored, 0 deleted$/m);
    expect(none.stdout).toMatch(/^ {2}dataValues\[1\]: value "many"/m);
    const stored = JSON.parse((await run('export', 'dhis2')).stdout) as { dataValues: Value[] };
    expect(tuples(stored.dataValues)).toEqual(sampleTuples.filter((t) => !t.includes('BdfsJfj87js')));
  });

  it('stores nothing on --dry-run, and reports what an import would do', async () => {
    const { run } = freshCli();
    expect((await run('import', 'dhis2-metadata', SAMPLE_METADATA)).code).toBe(0);
    const dry = await run('import', 'dhis2', SAMPLE, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/SUCCESS \(dry run: nothing stored\): 3 imported/);
    expect(JSON.parse((await run('export', 'dhis2', '--format', 'json')).stdout)).toEqual({ dataValues: [] });
    expect((await run('export', 'dhis2', '--format', 'xml')).stdout).not.toMatch(/<dataValue /);
  });

  it('prints the import summary and the metadata report as JSON with --json, and reads id schemes and strategies', async () => {
    const { run } = freshCli();
    const md = await run('import', 'dhis2-metadata', SAMPLE_METADATA, '--json');
    expect(JSON.parse(md.stdout)).toMatchObject({ status: 'OK', stats: { created: 3, updated: 0 } });
    const res = await run('import', 'dhis2', SAMPLE, '--json');
    expect(res.code).toBe(0);
    const summary = JSON.parse(res.stdout) as { status: string; dryRun: boolean; importCount: Record<string, number>; conflicts: unknown[] };
    expect(summary).toEqual({ status: 'SUCCESS', dryRun: false, importCount: { imported: 3, updated: 0, ignored: 0, deleted: 0 }, conflicts: [] });
    // Org units by code (the sample's Ngelehun CHC is OU_559), CSV with a short header.
    const byCode = file('by-code.csv', 'de,pe,ou,coc,acoc,value\nf7n9E0hX8qk,201201,OU_559,,,42\n');
    const upd = JSON.parse((await run('import', 'dhis2', byCode, '--org-unit-id-scheme', 'code', '--json')).stdout) as typeof summary;
    expect(upd).toMatchObject({ status: 'SUCCESS', importCount: { imported: 0, updated: 1 } });
    const create = JSON.parse((await run('import', 'dhis2', SAMPLE, '--strategy', 'create', '--json')).stdout) as typeof summary;
    expect(create.importCount).toEqual({ imported: 0, updated: 0, ignored: 3, deleted: 0 });
    const error = await run('import', 'dhis2', file('bad-json.csv', BAD_CSV), '--json');
    expect(error.code).toBe(1);
    expect(JSON.parse(error.stdout)).toMatchObject({ status: 'ERROR', conflicts: [{ object: 'f7n9E0hX8qk', property: 'value', value: 'many' }] });
  });

  it('exports ADX for a data set and imports it back into another data directory', async () => {
    const dataSet = file('data-set.json', DATA_SET);
    const first = freshCli();
    for (const md of [SAMPLE_METADATA, dataSet]) expect((await first.run('import', 'dhis2-metadata', md)).code).toBe(0);
    expect((await first.run('import', 'dhis2', SAMPLE)).code).toBe(0);
    expectOneLineError(await first.run('export', 'dhis2', '--format', 'adx'), /--format adx needs --data-set/);
    const adx = path.join(tmp, 'sample.adx.xml');
    expect((await first.run('export', 'dhis2', '--data-set', 'TEST_SET', '--out', adx)).code).toBe(0);
    const doc = parseAdx(readFileSync(adx, 'utf8'));
    expect(doc.groups.flatMap((g) => g.dataValues.map((v) => `${g.orgUnit}/${g.period}=${v.value}`)).sort()).toEqual([
      'BdfsJfj87js/201201=10002',
      'OU_559/201201=10001',
      'OU_559/201202=10003',
    ]);

    const second = freshCli();
    for (const md of [SAMPLE_METADATA, dataSet]) expect((await second.run('import', 'dhis2-metadata', md)).code).toBe(0);
    const imported = await second.run('import', 'dhis2', adx);
    expect(imported.stdout.trim()).toBe('sample.adx.xml: SUCCESS: 3 imported, 0 updated, 0 ignored, 0 deleted');
    expect(tuples(parseDhis2Xml((await second.run('export', 'dhis2', '--format', 'xml')).stdout).dataValues)).toEqual(sampleTuples);
    // A bad value is named by its ADX line; a malformed document is one line naming the line.
    const bad = file('bad.adx', readFileSync(adx, 'utf8').replace('value="10002"', 'value="lots"'));
    const res = await second.run('import', 'dhis2', bad);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/^ {2}ADX line \d+: value "lots" of data element "f7n9E0hX8qk" \(NUMBER\) must be a number$/m);
    expectOneLineError(
      await second.run('import', 'dhis2', file('malformed.adx', '<adx xmlns="urn:ihe:qrph:adx:2015">\n<group orgUnit="OU_559" dataSet="TEST_SET"/>\n</adx>\n')),
      /malformed\.adx: ADX line 2: .*period/,
    );
  });

  it('refuses a malformed file, an unknown file type or invalid metadata in one line naming the file and where', async () => {
    const { run } = freshCli();
    expectOneLineError(
      await run('import', 'dhis2', file('malformed.csv', 'de,pe,ou,coc,acoc,value\nf7n9E0hX8qk,201201,DiszpKrYNg8,,,1\nf7n9E0hX8qk,,DiszpKrYNg8,,,1\n')),
      /^corridor: malformed\.csv: CSV line 3: period is missing$/m,
    );
    expectOneLineError(
      await run('import', 'dhis2', file('malformed.xml', '<dataValueSet>\n<dataValue dataElement="f7n9E0hX8qk" value="1 & 2"/>\n</dataValueSet>')),
      /malformed\.xml: XML line 2/,
    );
    expectOneLineError(await run('import', 'dhis2', file('values.txt', BAD_CSV)), /values\.txt: unknown file type "\.txt"/);
    expectOneLineError(await run('import', 'dhis2', file('values.dat', BAD_CSV), '--format', 'yaml'), /--format.*yaml/);
    expectOneLineError(await run('import', 'dhis2', file('broken.json', '{\n  "dataValues": [,]\n}')), /broken\.json: not valid JSON: line 2/);
    expectOneLineError(await run('import', 'dhis2', path.join(tmp, 'missing.xml')), /missing\.xml: no such file/);
    const badType = await run(
      'import',
      'dhis2-metadata',
      file('md-type.json', JSON.stringify({ dataElements: [{ id: 'BadType0001', name: 'x', valueType: 'FLOAT' }] })),
    );
    expect(badType.code).toBe(1);
    expectOneLineError(badType, /md-type\.json: invalid metadata: field "dataElements\.0\.valueType"/);
    const badRef = await run(
      'import',
      'dhis2-metadata',
      file('md-ref.json', JSON.stringify({ dataElements: [{ id: 'BadCombo001', name: 'x', valueType: 'NUMBER', categoryCombo: { id: 'NoSuchCombo' } }] })),
    );
    expect(badRef.code).toBe(1);
    expectOneLineError(badRef, /md-ref\.json: invalid metadata: dataElements\[0\]\.categoryCombo\.id: no category combo/);
  });

  it('imports and exports on a running server with --server and --token', async () => {
    const { dataDir, run } = freshCli();
    const user = await runCli(['users', 'create', 'dhis2@moh.example.org', '--role', 'admin', '--password-stdin', '--data-dir', dataDir, '--no-demo'], {
      input: 'a long secret passphrase\n',
    });
    expect(user.code, user.stderr).toBe(0);
    const { token } = JSON.parse((await run('tokens', 'create', 'dhis2@moh.example.org', '--json')).stdout) as { token: string };
    server = await startServer({ dataDir });
    const remote = (...args: string[]) => runCli([...args, '--server', server!.url, '--token', token]);

    expect((await remote('import', 'dhis2-metadata', SAMPLE_METADATA)).stdout).toMatch(/3 created, 0 updated/);
    expect((await remote('import', 'dhis2-metadata', file('remote-data-set.json', DATA_SET))).stdout).toMatch(/1 created, 0 updated/);
    const dry = await remote('import', 'dhis2', SAMPLE, '--dry-run', '--json');
    expect(JSON.parse(dry.stdout)).toMatchObject({ status: 'SUCCESS', dryRun: true, importCount: { imported: 3 } });
    const bad = await remote('import', 'dhis2', file('remote-bad.csv', BAD_CSV));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/ERROR: 0 imported/);
    const ok = await remote('import', 'dhis2', SAMPLE);
    expect(ok.stdout.trim()).toBe('dataValueSetA.xml: SUCCESS: 3 imported, 0 updated, 0 ignored, 0 deleted');
    const xml = await remote('export', 'dhis2', '--org-unit', 'DiszpKrYNg8', '--format', 'xml');
    expect(tuples(parseDhis2Xml(xml.stdout).dataValues)).toEqual(sampleTuples.filter((t) => t.includes('DiszpKrYNg8')));
    const json = JSON.parse((await remote('export', 'dhis2', '--period', '201202')).stdout) as { dataValues: Value[] };
    expect(tuples(json.dataValues)).toEqual(sampleTuples.filter((t) => t.includes('|201202|')));
    const adx = parseAdx((await remote('export', 'dhis2', '--data-set', 'TEST_SET', '--format', 'adx')).stdout);
    expect(adx.groups.flatMap((g) => g.dataValues)).toHaveLength(3);
    expectOneLineError(await remote('import', 'dhis2', file('remote-malformed.csv', 'de,pe,ou\nf7n9E0hX8qk,,DiszpKrYNg8\n')), /CSV line 2: period is missing/);
  });
});
