import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../support/server.js';
import { CHROMIUM, CHROMIUM_ARGS, VIEWPORT, logInThroughPage, screenshot } from './browser.js';

interface CountryState {
  code: string;
  name: string;
  value: string;
  fill: string;
}

/** Code, name, prevalence and fill of every country path, as the page shows them now. */
function countries(page: Page): Promise<CountryState[]> {
  return page.$$eval('[data-testid="world-map"] path[data-code]', (paths) =>
    paths.map((p) => ({
      code: p.getAttribute('data-code') ?? '',
      name: p.getAttribute('data-name') ?? '',
      value: p.getAttribute('data-value') ?? '',
      fill: p.getAttribute('fill') ?? '',
    })),
  );
}

function byCode(states: CountryState[], code: string): CountryState {
  const state = states.find((s) => s.code === code);
  if (!state) throw new Error(`the map has no path with data-code="${code}"`);
  return state;
}

describe('world map of HIV prevalence (browser, real server)', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];
  const failedRequests: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    // Every page but /login and /about needs a session: log in once, through the login page; the
    // pages of this context share its cookie.
    context = await browser.newContext({ viewport: VIEWPORT });
    await logInThroughPage(context, server.url);
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
    page.on('requestfailed', (request) => failedRequests.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText ?? 'failed'}`));
    page.on('response', (response) => {
      if (response.status() >= 400) failedRequests.push(`${response.request().method()} ${response.url()}: HTTP ${response.status()}`);
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  }, 60_000);

  it('loads the app and draws every country, shaded for the latest year', async () => {
    const response = await page.goto(`${server!.url}/`);
    expect(response?.ok()).toBe(true);
    expect(await page.title()).toBe('Corridor');
    await page.waitForSelector('[data-testid="world-map"] path[data-code="KEN"]', { timeout: 90_000 });

    const states = await countries(page);
    expect(states.filter((s) => s.code !== '').length).toBeGreaterThanOrEqual(170);
    for (const code of ['KEN', 'UGA', 'COD']) expect(byCode(states, code).name).not.toBe('');

    expect(await page.inputValue('[data-testid="year-select"]')).toBe('2023');

    const legend = page.locator('[data-testid="map-legend"]');
    expect(await legend.isVisible()).toBe(true);
    const noData = await legend.locator('[data-class="no-data"]').getAttribute('data-color');
    const classColours = await legend
      .locator('[data-class]:not([data-class="no-data"])')
      .evaluateAll((items) => items.map((i) => i.getAttribute('data-color')));
    expect(noData).toMatch(/^#[0-9a-f]{6}$/i);
    expect(classColours).toHaveLength(8);

    const kenya = byCode(states, 'KEN');
    expect(Number(kenya.value)).toBeGreaterThan(0);
    expect(kenya.fill).not.toBe(noData);
    expect(classColours).toContain(kenya.fill);
    // Kenya's adult prevalence has been between 2 and 5 % since 2015.
    expect(Number(kenya.value)).toBeGreaterThanOrEqual(2);
    expect(Number(kenya.value)).toBeLessThan(5);
    // A path with no estimate for the year carries the "No data" fill and an empty data-value.
    for (const s of states.filter((c) => c.value === '')) expect(s.fill).toBe(noData);

    await screenshot(page, 'map');
  }, 120_000);

  it('reshades the map when the year changes', async () => {
    const in2023 = await countries(page);
    await page.selectOption('[data-testid="year-select"]', '1990');
    await expect
      .poll(async () => (await page.getAttribute('path[data-code="KEN"]', 'data-value')) ?? '', { timeout: 10_000 })
      .not.toBe(byCode(in2023, 'KEN').value);
    const in1990 = await countries(page);

    expect(Number(byCode(in1990, 'KEN').value)).toBeGreaterThan(0);
    expect(byCode(in1990, 'KEN').value).not.toBe(byCode(in2023, 'KEN').value);
    // Southern Africa's epidemic grew from about 1 % in 1990 to over 15 % in 2023.
    for (const code of ['ZAF', 'BWA']) {
      expect(byCode(in1990, code).fill).not.toBe(byCode(in2023, code).fill);
      expect(Number(byCode(in1990, code).value)).toBeLessThan(Number(byCode(in2023, code).value));
    }
    const fills = (states: CountryState[]) => states.map((s) => `${s.code}/${s.name}=${s.fill}`).join('\n');
    expect(fills(in1990)).not.toBe(fills(in2023));
    expect(await page.isVisible('[data-testid="map-legend"]')).toBe(true);
  }, 60_000);

  it('shows a country’s details when it is clicked', async () => {
    // Click inside Kenya's outline (its bounding-box centre lies on land).
    await page.click('path[data-code="KEN"]');
    const panel = page.locator('[data-testid="country-panel"]');
    await panel.waitFor({ timeout: 10_000 });
    const text = await panel.innerText();
    expect(text).toContain('Kenya');
    expect(text).toContain('KEN');
    expect(text).toContain('KE');
    // UN DESA migrant stock, 2020: 1,050,147 people born abroad (2.0 % of the population).
    const migrants = page.locator('[data-testid="migrant-stock"]');
    await migrants.waitFor({ timeout: 10_000 });
    expect(await migrants.innerText()).toMatch(/2020[\s\S]*1,050,147 \(2\.0\s?% of the population\)/);
  }, 60_000);

  it('shows the about page with the data sources, in-app and when loaded directly', async () => {
    await page.click('nav >> text=About & data sources');
    const about = page.locator('[data-testid="about-page"]');
    await about.waitFor({ timeout: 10_000 });
    expect(new URL(page.url()).pathname).toBe('/about');
    let text = await about.innerText();
    expect(text).toContain('Natural Earth');
    expect(text).toContain('UNAIDS');

    // The server falls back to index.html for app paths, so /about works as a first page too.
    const response = await page.goto(`${server!.url}/about`);
    expect(response?.ok()).toBe(true);
    await about.waitFor({ timeout: 30_000 });
    text = await about.innerText();
    expect(text).toContain('Natural Earth');
    expect(text).toContain('UNAIDS');
  }, 60_000);

  it('produced no console errors and no failed requests', () => {
    expect(consoleErrors).toEqual([]);
    expect(failedRequests).toEqual([]);
  });
});
