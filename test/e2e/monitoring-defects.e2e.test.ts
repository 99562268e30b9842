import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startServer, type RunningServer } from '../support/server.js';
import { CHROMIUM, CHROMIUM_ARGS, VIEWPORT, logInThroughPage } from './browser.js';

// Defects of the monitoring pages found by using them (issue 11), each checked in a real browser
// against a real server with the demo programme.

interface DataSetDetail {
  id: string;
  categoryCombos: { id: string; cocs: { id: string }[] }[];
  organisationUnits: { id: string; name: string }[];
}
interface DataValue {
  dataElement: string;
  orgUnit: string;
  categoryOptionCombo: string;
  attributeOptionCombo: string;
  value: string | null;
}

const QUARTERLY = 'CRD_MIGRANT_HIV_QUARTERLY';
const TESTED = 'CrdDeTstRes';
/** A quarter the demo has values for, and another the tests write into. */
const PERIOD = '2025Q4';
const WRITE_PERIOD = '2023Q2';

describe('monitoring defects (browser, real server)', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let auth: { cookie: string; csrf: string };
  let ds: DataSetDetail;
  let site: { id: string; name: string };
  let aoc: string;

  async function api<T>(p: string): Promise<T> {
    const response = await fetch(`${server!.url}${p}`, { headers: { cookie: auth.cookie } });
    expect(response.status, `GET ${p}`).toBe(200);
    return (await response.json()) as T;
  }
  const entry = (period: string, extra = '') => `${server!.url}/monitoring/entry?dataSet=${ds.id}&orgUnit=${site.id}&period=${period}&aoc=${aoc}${extra}`;
  const cell = (coc: string): Locator => page.locator(`[data-testid="entry-grid"] [data-cell][data-de="${TESTED}"][data-coc="${coc}"]`);
  async function stored(period: string): Promise<DataValue[]> {
    const q = new URLSearchParams({ dataSet: ds.id, period, orgUnit: site.id });
    return (await api<{ dataValues: DataValue[] }>(`/api/dataValueSets?${q.toString()}`)).dataValues.filter((v) => v.attributeOptionCombo === aoc);
  }
  /** Opens the form of WRITE_PERIOD; the cocs of the empty cells of TESTED shown. */
  async function openWritableForm(): Promise<string[]> {
    await page.goto(entry(WRITE_PERIOD));
    await page.locator('[data-testid="entry-form"]').waitFor({ timeout: 60_000 });
    const table = page.locator(`[data-testid="entry-element"][data-de="${TESTED}"]`);
    return table
      .locator('[data-cell]')
      .evaluateAll((els) => els.filter((e) => (e as unknown as { value: string }).value === '').map((e) => e.getAttribute('data-coc')!));
  }

  beforeAll(async () => {
    server = await startServer();
    auth = await login(server.url);
    ds = await api<DataSetDetail>(`/api/metadata/dataSets/${QUARTERLY}`);
    const all = (await api<{ dataValues: DataValue[] }>(`/api/dataValueSets?dataSet=${ds.id}&period=${PERIOD}`)).dataValues;
    const best = all.find((v) => v.dataElement === TESTED);
    expect(best, `the demo has no values of ${TESTED} in ${PERIOD}`).toBeDefined();
    site = { id: best!.orgUnit, name: ds.organisationUnits.find((o) => o.id === best!.orgUnit)!.name };
    aoc = best!.attributeOptionCombo;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: VIEWPORT });
    await logInThroughPage(context, server.url);
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  }, 60_000);

  it('shows the pickers again when the "Data entry" link is clicked with a form open (only the query string changes)', async () => {
    const dataSets = (await api<{ dataSets: unknown[] }>('/api/metadata/dataSets')).dataSets;
    await page.goto(entry(PERIOD));
    await page.locator('[data-testid="entry-form"]').waitFor({ timeout: 60_000 });
    await page.locator('nav[aria-label="Monitoring"] a', { hasText: 'Data entry' }).click();
    await page.waitForURL((u) => u.pathname === '/monitoring/entry' && !u.searchParams.has('orgUnit'), { timeout: 30_000 });
    await page.locator('[data-testid="entry-form"]').waitFor({ state: 'detached', timeout: 30_000 });
    const picker = page.locator('[data-testid="entry-picker"]');
    await picker.waitFor({ timeout: 30_000 });
    if (dataSets.length > 1) expect(await picker.locator('select[name="dataSet"]').inputValue()).toBe('');
    expect(await page.locator('.entry-page .empty').innerText()).toMatch(/^Choose .+ to open the form\.$/);
  }, 90_000);

  it('counts the saved values in "N values entered"', async () => {
    const empty = await openWritableForm();
    expect(empty.length).toBeGreaterThan(2);
    const counter = page.locator('[data-testid="values-entered"]');
    const before = Number(await counter.getAttribute('data-count'));
    expect(before).toBe((await stored(WRITE_PERIOD)).filter((v) => v.value !== null && v.value !== '').length);
    for (const [i, coc] of empty.slice(0, 2).entries()) {
      await cell(coc).fill(String(5 + i));
      await cell(coc).press('Tab');
      await page.locator(`[data-cell][data-de="${TESTED}"][data-coc="${coc}"][data-state="saved"]`).waitFor({ timeout: 30_000 });
    }
    await page.locator(`[data-testid="values-entered"][data-count="${before + 2}"]`).waitFor({ timeout: 10_000 });
    expect(await counter.innerText()).toBe(`${before + 2} values entered`);
    // Emptying a cell deletes its value: one fewer.
    await cell(empty[0]!).fill('');
    await cell(empty[0]!).press('Tab');
    await page.locator(`[data-testid="values-entered"][data-count="${before + 1}"]`).waitFor({ timeout: 30_000 });
  }, 90_000);

  it('lists the data-quality places in hierarchical order: each area followed by its own places', async () => {
    await page.goto(`${server!.url}/monitoring/quality?dataSet=${ds.id}&period=${PERIOD}`);
    const select = page.locator('[data-testid="quality-picker"] select[name="orgUnit"]');
    await select.locator('option[data-depth="2"]').first().waitFor({ state: 'attached', timeout: 60_000 });
    const options = await select.locator('option[data-depth]').evaluateAll((els) =>
      els.map((e) => ({
        id: (e as unknown as { value: string }).value,
        depth: Number(e.getAttribute('data-depth')),
        parent: e.getAttribute('data-parent'),
        group: e.parentElement!.getAttribute('label'),
      })),
    );
    // At least one country with two areas holding places, else the order could not be wrong.
    const areas = options.filter((o) => o.depth === 1 && options.some((c) => c.parent === o.id));
    expect(areas.length).toBeGreaterThan(1);
    for (const [i, o] of options.entries()) {
      if (o.depth === 0) continue;
      // The nearest option above with a smaller depth is the place's parent.
      const above = options
        .slice(0, i)
        .reverse()
        .find((p) => p.depth < o.depth && p.group === o.group);
      expect(above?.id, `option ${o.id} is not listed under its parent ${o.parent}`).toBe(o.parent);
      expect(above!.depth).toBe(o.depth - 1);
    }
  }, 90_000);

  it('moves focus to the error summary after a failed action on the form', async () => {
    await page.goto(entry(PERIOD));
    await page.locator('[data-testid="entry-form"]').waitFor({ timeout: 60_000 });
    // The server refuses the completion (as it would for a form approved meanwhile).
    await page.route('**/api/completeDataSetRegistrations', (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({
            status: 409,
            contentType: 'application/json',
            body: JSON.stringify({ error: { code: 'DATA_APPROVED', message: 'The data is approved and locked.' } }),
          })
        : route.continue(),
    );
    try {
      const complete = page.locator('[data-testid="complete-button"]');
      await complete.focus();
      await complete.click();
      const summary = page.locator('[data-testid="status-error"]');
      await summary.waitFor({ timeout: 30_000 });
      expect(await summary.innerText()).toContain('The data is approved and locked.');
      await page.waitForFunction("document.activeElement?.getAttribute('data-testid') === 'status-error'", undefined, { timeout: 5_000 });
    } finally {
      await page.unroute('**/api/completeDataSetRegistrations');
    }
  }, 90_000);

  it('says which id of a data-entry link is unknown or out of scope, in English and in French', async () => {
    const places = (await api<{ items: { id: string; level: string }[] }>('/api/places?level=country&limit=5')).items;
    const notAssigned = places.find((p) => !ds.organisationUnits.some((o) => o.id === p.id))!;
    const cases: { url: string; which: string; en: RegExp; fr: RegExp }[] = [
      {
        url: `/monitoring/entry?dataSet=NoSuchSet01&orgUnit=${site.id}&period=${PERIOD}`,
        which: 'dataSet',
        en: /^Data set “NoSuchSet01”: not found or not in your scope\./,
        fr: /^Ensemble de données « NoSuchSet01 »\s?: introuvable ou hors de votre périmètre\./,
      },
      {
        url: `/monitoring/entry?dataSet=${ds.id}&orgUnit=${notAssigned.id}&period=${PERIOD}&aoc=${aoc}`,
        which: 'orgUnit',
        en: new RegExp(`^Place “${notAssigned.id}”: not found or not in your scope`),
        fr: new RegExp(`^Lieu « ${notAssigned.id} »\\s?: introuvable ou hors de votre périmètre`),
      },
      {
        url: `/monitoring/entry?dataSet=${ds.id}&orgUnit=${site.id}&period=2025W07&aoc=${aoc}`,
        which: 'period',
        en: /^Period “2025W07”: not a valid quarterly period/,
        fr: /^Période « 2025W07 »\s?: ce n’est pas une période valide \(trimestriel/,
      },
      {
        url: `/monitoring/entry?dataSet=${ds.id}&orgUnit=${site.id}&period=${PERIOD}&aoc=NoSuchAoc01`,
        which: 'aoc',
        en: /“NoSuchAoc01”: not found or not in your scope\./,
        fr: /« NoSuchAoc01 »\s?: introuvable ou hors de votre périmètre\./,
      },
    ];
    for (const language of ['en', 'fr'] as const) {
      await page.goto(`${server!.url}/about`);
      await page.evaluate(`localStorage.setItem('corridor.language', '${language}')`);
      for (const c of cases) {
        await page.goto(`${server!.url}${c.url}`);
        const message = page.locator(`[data-testid="entry-not-found"][data-which="${c.which}"]`);
        await message.waitFor({ timeout: 60_000 });
        expect(await message.locator('p').first().innerText()).toMatch(c[language]);
        expect(await page.locator('[data-testid="entry-form"]').count()).toBe(0);
      }
    }
    await page.evaluate("localStorage.setItem('corridor.language', 'en')");
  }, 120_000);

  it('reads a number typed in French and stores it plain (1 234 → 1234)', async () => {
    await page.goto(`${server!.url}/about`);
    await page.evaluate("localStorage.setItem('corridor.language', 'fr')");
    try {
      const empty = await openWritableFormFr();
      const coc = empty[0]!;
      await cell(coc).fill('1 234');
      await cell(coc).press('Tab');
      await page.locator(`[data-cell][data-de="${TESTED}"][data-coc="${coc}"][data-state="saved"]`).waitFor({ timeout: 30_000 });
      expect((await stored(WRITE_PERIOD)).find((v) => v.dataElement === TESTED && v.categoryOptionCombo === coc)?.value).toBe('1234');
    } finally {
      await page.evaluate("localStorage.setItem('corridor.language', 'en')");
    }
  }, 90_000);

  /** As openWritableForm, in French. */
  async function openWritableFormFr(): Promise<string[]> {
    await page.goto(entry(WRITE_PERIOD));
    await page.locator('[data-testid="entry-form"]').waitFor({ timeout: 60_000 });
    const table = page.locator(`[data-testid="entry-element"][data-de="${TESTED}"]`);
    return table
      .locator('[data-cell]')
      .evaluateAll((els) => els.filter((e) => (e as unknown as { value: string }).value === '').map((e) => e.getAttribute('data-coc')!));
  }
});
