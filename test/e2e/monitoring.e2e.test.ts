import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN, login, startServer, type RunningServer } from '../support/server.js';
import { CHROMIUM, CHROMIUM_ARGS, VIEWPORT, logInThroughPage, screenshot, watch } from './browser.js';
import type { PageProblems } from './browser.js';

interface DataValue {
  dataElement: string;
  period: string;
  orgUnit: string;
  categoryOptionCombo: string;
  attributeOptionCombo: string;
  value: string | null;
}

interface DataSetDetail {
  id: string;
  name: string;
  categoryCombos: { id: string; cocs: { id: string; name: string }[] }[];
  organisationUnits: { id: string; name: string }[];
}

/** The shipped standard quarterly data set and its "HIV tests performed with results returned" (sex × age × migrant status × group). */
const QUARTERLY = 'CRD_MIGRANT_HIV_QUARTERLY';
const TESTED = 'CrdDeTstRes';
const BIG_COMBO = 'CrdCmbSAMPG';
/** A quarter the demo has values for (its illustrative data runs 2023Q1–2025Q4). */
const PERIOD = '2025Q4';
const IMPORT_PERIOD = '2024Q1';

/** A number as the pages print it ("1,500" → 1500; "—" → 0). */
function num(text: string | null): number {
  const n = Number((text ?? '').replace(/[^\d.-]/g, ''));
  return Number.isFinite(n) ? n : 0;
}

describe('monitoring screens (browser, real server)', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let problems: PageProblems;
  let auth: { cookie: string; csrf: string };
  let tmp: string;
  let ds: DataSetDetail;
  /** The demo site and project with the most values in PERIOD. */
  let site: { id: string; name: string };
  let aoc: string;
  let country: { id: string; name: string };
  let entryUrl: string;

  async function api<T>(p: string): Promise<T> {
    const response = await fetch(`${server!.url}${p}`, { headers: { cookie: auth.cookie } });
    expect(response.status, `GET ${p}`).toBe(200);
    return (await response.json()) as T;
  }

  async function values(period: string): Promise<DataValue[]> {
    const q = new URLSearchParams({ dataSet: ds.id, period, orgUnit: site.id });
    return (await api<{ dataValues: DataValue[] }>(`/api/dataValueSets?${q.toString()}`)).dataValues.filter((v) => v.attributeOptionCombo === aoc);
  }

  /** The input of one cell of the grid. */
  const cell = (de: string, coc: string): Locator => page.locator(`[data-testid="entry-grid"] [data-cell][data-de="${de}"][data-coc="${coc}"]`);

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'corridor-monitoring-e2e-'));
    server = await startServer();
    auth = await login(server.url);
    ds = await api<DataSetDetail>(`/api/metadata/dataSets/${QUARTERLY}`);
    const all = (await api<{ dataValues: DataValue[] }>(`/api/dataValueSets?dataSet=${ds.id}&period=${PERIOD}`)).dataValues;
    const counts = new Map<string, number>();
    for (const v of all)
      if (v.dataElement === TESTED) counts.set(`${v.orgUnit}|${v.attributeOptionCombo}`, (counts.get(`${v.orgUnit}|${v.attributeOptionCombo}`) ?? 0) + 1);
    const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
    expect(best, `the demo has no values of ${TESTED} in ${PERIOD}`).toBeDefined();
    const [siteId, aocId] = best![0].split('|') as [string, string];
    site = { id: siteId, name: ds.organisationUnits.find((o) => o.id === siteId)!.name };
    aoc = aocId;
    // The country of the site (walking up the parents).
    let place = await api<{ id: string; name: string; level: string; parentId: string | null }>(`/api/places/${site.id}`);
    while (place.level !== 'country' && place.parentId) place = await api(`/api/places/${place.parentId}`);
    country = { id: place.id, name: place.name };
    entryUrl = `${server.url}/monitoring/entry?dataSet=${ds.id}&orgUnit=${site.id}&period=${PERIOD}&aoc=${aoc}`;

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: VIEWPORT });
    await logInThroughPage(context, server.url);
    page = await context.newPage();
    problems = watch(page);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }, 60_000);

  it('reaches the monitoring section from the main navigation', async () => {
    await page.goto(`${server!.url}/about`);
    await page.locator('nav[aria-label="Main"] a', { hasText: 'Monitoring' }).click();
    await page.waitForURL((u) => u.pathname === '/monitoring', { timeout: 30_000 });
    await page.locator('[data-testid="monitoring-data-sets"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid="monitoring-data-sets"]').innerText()).toContain('Migrant HIV programme — quarterly');
    await page.locator('nav[aria-label="Monitoring"] a', { hasText: 'Data entry' }).click();
    await page.locator('[data-testid="entry-picker"]').waitFor({ timeout: 30_000 });
  }, 60_000);

  it('opens the data entry form of a demo site and shows its values in the grid', async () => {
    await page.waitForLoadState('networkidle');
    await page.goto(entryUrl);
    const form = page.locator('[data-testid="entry-form"]');
    await form.waitFor({ timeout: 60_000 });
    expect(await form.getAttribute('data-locked')).toBe('false');
    expect(await page.locator('.entry-form__head h2').innerText()).toContain(site.name);
    // The picker shows what is open.
    expect(await page.locator('[data-testid="entry-picker"] select[name="orgUnit"]').inputValue()).toBe(site.id);
    expect(await page.locator('[data-testid="entry-picker"] select[name="period"]').inputValue()).toBe(PERIOD);
    expect(await page.locator('[data-testid="entry-picker"] select[name="attributeOptionCombo"]').inputValue()).toBe(aoc);

    // The stored values are in their cells (the large disaggregation starts on the rows with values).
    const stored = (await values(PERIOD)).filter((v) => v.dataElement === TESTED);
    expect(stored.length).toBeGreaterThan(0);
    for (const v of stored.slice(0, 5)) expect(await cell(TESTED, v.categoryOptionCombo).inputValue()).toBe(v.value);
    const table = page.locator(`[data-testid="entry-element"][data-de="${TESTED}"]`);
    const total = stored.reduce((s, v) => s + Number(v.value), 0);
    expect(num(await table.locator('[data-testid="element-total"]').innerText())).toBe(total);
    // 1,024 disaggregations, filtered to the rows that have values.
    const rowCount = await page.locator('[data-testid="row-count"]').first().innerText();
    expect(rowCount).toMatch(/of 128 rows \(population group × migrant status\)/);
    await screenshot(page, 'data-entry');
  }, 90_000);

  it('saves a value typed into an empty cell (it is there after a reload)', async () => {
    const table = page.locator(`[data-testid="entry-element"][data-de="${TESTED}"]`);
    const before = num(await table.locator('[data-testid="element-total"]').innerText());
    const empty = await table
      .locator('[data-cell]')
      .evaluateAll((els) => els.filter((e) => (e as unknown as { value: string }).value === '').map((e) => e.getAttribute('data-coc')!));
    expect(empty.length).toBeGreaterThan(1);
    const coc = empty[0]!;
    const input = cell(TESTED, coc);
    await input.fill('17');
    await input.press('Enter');
    await page.locator(`[data-cell][data-de="${TESTED}"][data-coc="${coc}"][data-state="saved"]`).waitFor({ timeout: 30_000 });
    expect(num(await table.locator('[data-testid="element-total"]').innerText())).toBe(before + 17);
    expect((await values(PERIOD)).find((v) => v.dataElement === TESTED && v.categoryOptionCombo === coc)?.value).toBe('17');

    await page.waitForLoadState('networkidle');
    await page.reload();
    await page.locator('[data-testid="entry-form"]').waitFor({ timeout: 60_000 });
    expect(await cell(TESTED, coc).inputValue()).toBe('17');
  }, 90_000);

  it('shows the server’s message beside a cell that holds "abc", keeps what was typed and saves nothing', async () => {
    const table = page.locator(`[data-testid="entry-element"][data-de="${TESTED}"]`);
    const empty = await table
      .locator('[data-cell]')
      .evaluateAll((els) => els.filter((e) => (e as unknown as { value: string }).value === '').map((e) => e.getAttribute('data-coc')!));
    const coc = empty[0]!;
    const input = cell(TESTED, coc);
    await input.fill('abc');
    await input.press('Tab');
    const td = input.locator('xpath=ancestor::td[1]');
    const error = td.locator('[data-testid="cell-error"]');
    await error.waitFor({ timeout: 30_000 });
    expect(await error.innerText()).toMatch(/"abc".*must be a whole number/);
    // Named, not by its id.
    expect(await error.innerText()).toContain('HIV tests performed with results returned');
    expect(await input.inputValue()).toBe('abc');
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    expect(await input.getAttribute('data-state')).toBe('error');
    expect((await values(PERIOD)).some((v) => v.dataElement === TESTED && v.categoryOptionCombo === coc)).toBe(false);
    await screenshot(page, 'data-entry-error');
    // Escape goes back to what is stored.
    await input.focus();
    await input.press('Escape');
    expect(await input.inputValue()).toBe('');
    expect(await td.locator('[data-testid="cell-error"]').count()).toBe(0);
  }, 60_000);

  it('completes the form, approves it (locked, read-only) and unapproves it', async () => {
    await page.locator('[data-testid="complete-button"]').click();
    const completion = page.locator('[data-testid="completion"][data-completed="true"]');
    await completion.waitFor({ timeout: 30_000 });
    expect(await completion.innerText()).toContain(`marked by ${TEST_ADMIN.email}`);
    expect(await page.locator('[data-testid="reopen-button"]').isVisible()).toBe(true);

    await page.locator('[data-testid="approve-button"]').click();
    const banner = page.locator('[data-testid="locked-banner"]');
    await banner.waitFor({ timeout: 30_000 });
    expect(await banner.innerText()).toMatch(new RegExp(`Approved by ${TEST_ADMIN.email.replace('.', '\\.')} on .* — values are locked`));
    expect(await page.locator('[data-testid="entry-form"]').getAttribute('data-locked')).toBe('true');
    const anyCell = page.locator(`[data-testid="entry-grid"] [data-cell][data-de="${TESTED}"]`).first();
    expect(await anyCell.getAttribute('readonly')).not.toBeNull();
    expect(await anyCell.isEditable()).toBe(false);
    expect(await page.locator('[data-testid="reopen-button"]').isDisabled()).toBe(true);
    await screenshot(page, 'data-entry-approved');

    await page.locator('[data-testid="unapprove-button"]').click();
    await page.locator('[data-testid="entry-form"][data-locked="false"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid="locked-banner"]').count()).toBe(0);
    expect(await page.locator(`[data-testid="entry-grid"] [data-cell][data-de="${TESTED}"]`).first().isEditable()).toBe(true);
    expect(await page.locator('[data-testid="approve-button"]').isVisible()).toBe(true);
  }, 90_000);

  it('checks an import file (dry run: ERROR naming the bad value), then imports the corrected file', async () => {
    // Two disaggregations of the site that have no value in IMPORT_PERIOD.
    const taken = new Set((await values(IMPORT_PERIOD)).filter((v) => v.dataElement === TESTED).map((v) => v.categoryOptionCombo));
    const free = ds.categoryCombos
      .find((c) => c.id === BIG_COMBO)!
      .cocs.filter((c) => !taken.has(c.id))
      .slice(0, 2);
    const set = (second: string) => ({
      dataSet: ds.id,
      period: IMPORT_PERIOD,
      orgUnit: site.id,
      attributeOptionCombo: aoc,
      dataValues: [
        { dataElement: TESTED, categoryOptionCombo: free[0]!.id, value: '12' },
        { dataElement: TESTED, categoryOptionCombo: free[1]!.id, value: second },
      ],
    });
    const bad = path.join(tmp, 'quarter-with-typo.json');
    const good = path.join(tmp, 'quarter.json');
    writeFileSync(bad, JSON.stringify(set('2O')));
    writeFileSync(good, JSON.stringify(set('20')));

    await page.waitForLoadState('networkidle');
    await page.goto(`${server!.url}/monitoring/import`);
    const fileInput = page.locator('[data-testid="import-form"] input[type="file"]');
    await fileInput.waitFor({ timeout: 30_000 });
    await fileInput.setInputFiles(bad);
    await page.locator('[data-testid="import-file"][data-format="json"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="import-run"]').isDisabled()).toBe(true);
    await page.locator('[data-testid="import-check"]').click();
    const summary = page.locator('[data-testid="import-summary"][data-dry-run="true"]');
    await summary.waitFor({ timeout: 30_000 });
    expect(await summary.getAttribute('data-status')).toBe('ERROR');
    const conflict = page.locator('[data-testid="conflicts-table"] tbody tr');
    expect(await conflict.count()).toBe(1);
    const conflictText = await conflict.innerText();
    expect(conflictText).toContain('2O');
    expect(conflictText).toContain('value 2');
    expect(conflictText).toMatch(/must be a whole number/);
    // Under "import nothing" a file with problems cannot be imported.
    expect(await page.locator('[data-testid="import-run"]').isDisabled()).toBe(true);
    await screenshot(page, 'import-dry-run-error');

    await fileInput.setInputFiles(good);
    await page.locator('[data-testid="import-check"]').click();
    await page.locator('[data-testid="import-summary"][data-dry-run="true"][data-status="SUCCESS"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid="count-imported"]').getAttribute('data-count')).toBe('2');
    // A dry run stores nothing.
    expect((await values(IMPORT_PERIOD)).filter((v) => free.some((f) => f.id === v.categoryOptionCombo))).toHaveLength(0);

    await page.locator('[data-testid="import-run"]').click();
    const final = page.locator('[data-testid="import-summary"][data-dry-run="false"]');
    await final.waitFor({ timeout: 30_000 });
    expect(await final.getAttribute('data-status')).toBe('SUCCESS');
    expect(await page.locator('[data-testid="count-imported"]').getAttribute('data-count')).toBe('2');
    expect(await final.innerText()).toContain('The values are stored.');
    const stored = (await values(IMPORT_PERIOD)).filter((v) => free.some((f) => f.id === v.categoryOptionCombo));
    expect(stored.map((v) => v.value).sort()).toEqual(['12', '20']);
    await screenshot(page, 'import-done');
  }, 90_000);

  it('lists the WHO indicators on the metadata page, HTS.1 among them, and finds it by search', async () => {
    await page.waitForLoadState('networkidle');
    await page.goto(`${server!.url}/monitoring/metadata?tab=indicators`);
    const row = page.locator('[data-testid="metadata-table"][data-tab="indicators"] tr[data-code="HTS.1"]');
    await row.waitFor({ timeout: 30_000 });
    const text = await row.innerText();
    expect(text).toContain('People living with HIV who know their HIV status');
    // The numerator and denominator read as data element names.
    expect(text).toContain('People living with HIV (estimated)');
    expect(text).toContain('× 100');
    await page.locator('[data-testid="metadata-search"]').fill('HTS.1');
    expect(await page.locator('[data-testid="metadata-table"] tbody tr').count()).toBe(1);
    expect(await page.locator('[data-testid="metadata-summary"]').innerText()).toMatch(/^1 of \d+ indicators match/);
    await page.locator('[data-testid="metadata-search"]').fill('');
    await screenshot(page, 'metadata-indicators');
    await page.locator('button[role="tab"][data-tab="dataSets"]').click();
    const dataSet = page.locator(`[data-testid="metadata-table"][data-tab="dataSets"] tr[data-id="${ds.id}"]`);
    await dataSet.waitFor({ timeout: 10_000 });
    expect(await dataSet.innerText()).toContain('Quarterly');
  }, 60_000);

  it('shows completeness and validation results on the data quality page, and refuses a country approval before its sites', async () => {
    await page.waitForLoadState('networkidle');
    await page.goto(`${server!.url}/monitoring/quality?dataSet=${ds.id}&orgUnit=${country.id}&period=${PERIOD}&aoc=${aoc}`);
    const rate = page.locator('[data-testid="completeness-rate"]');
    await rate.waitFor({ timeout: 60_000 });
    expect(await rate.innerText()).toMatch(/\d+(\.\d)?%/);
    // The site completed above counts.
    const row = page.locator(`[data-testid="completeness-table"] tr[data-place-id="${site.id}"]`);
    expect(await row.getAttribute('data-completed')).toBe('true');
    const completeness = await api<{ completeness: number; expected: number; completed: number }>(
      `/api/completeness?dataSet=${ds.id}&orgUnit=${country.id}&period=${PERIOD}&attributeOptionCombo=${aoc}`,
    );
    expect(completeness.completed).toBeGreaterThan(0);
    expect(await rate.innerText()).toContain(`${completeness.completed} of ${completeness.expected}`);

    const results = page.locator('[data-testid="validation-results"]');
    await results.waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid="validation-summary"]').innerText()).toMatch(/rules? checked/);
    const tables = page.locator('[data-testid="violations-table"], [data-testid="outliers-table"]');
    expect(await tables.count()).toBeGreaterThan(0);
    // Each row leads to the form of its place and period.
    const link = tables.first().locator('tbody tr a', { hasText: 'Open form' }).first();
    expect(await link.getAttribute('href')).toMatch(new RegExp(`^/monitoring/entry\\?dataSet=${ds.id}&orgUnit=\\w+&period=${PERIOD}`));

    // The site reported and is not approved: the country cannot be approved yet (bottom-up).
    await page.locator('[data-testid="quality-approve"]').click();
    const refusal = page.locator('[data-testid="approval-error"]');
    await refusal.waitFor({ timeout: 30_000 });
    expect(await refusal.innerText()).toMatch(new RegExp(`approve the places below first \\(bottom-up\\): .+ reported ${PERIOD} and are not approved`));
    await screenshot(page, 'data-quality');

    // An outlier's link opens the form on its row, with its cell in view.
    const outlierLink = page.locator('[data-testid="outliers-table"] tbody tr a', { hasText: 'Open form' }).first();
    const target = (await outlierLink.count()) > 0 ? outlierLink : link;
    const href = new URL((await target.getAttribute('href'))!, server!.url);
    await page.waitForLoadState('networkidle');
    await target.click();
    await page.waitForURL((u) => u.pathname === '/monitoring/entry', { timeout: 30_000 });
    await page.locator('[data-testid="entry-form"]').waitFor({ timeout: 60_000 });
    const de = href.searchParams.get('de');
    const coc = href.searchParams.get('coc');
    if (de && coc) {
      const focused = cell(de, coc);
      await focused.waitFor({ timeout: 30_000 });
      expect(await focused.isVisible()).toBe(true);
    }
  }, 120_000);

  it('had no unexpected console errors or failed requests', async () => {
    await page.waitForLoadState('networkidle');
    // Deliberate: the "abc" cell (400) and the country approval before its sites (409).
    const deliberate = (r: { method: string; url: string; status: number | null }) =>
      (r.method === 'PUT' && r.status === 400 && r.url.endsWith('/api/dataEntry/values')) ||
      (r.method === 'POST' && r.status === 409 && r.url.endsWith('/api/dataApprovals'));
    expect(problems.failedRequests.filter((r) => !deliberate(r))).toEqual([]);
    expect(problems.consoleErrors.filter((e) => !/status of (400|409)/.test(e.text))).toEqual([]);
  });
});
