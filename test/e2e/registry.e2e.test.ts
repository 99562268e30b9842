import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startServer, type RunningServer } from '../support/server.js';
import { CHROMIUM, CHROMIUM_ARGS, VIEWPORT, logInThroughPage, screenshot } from './browser.js';

interface SiteSummary {
  id: string;
  code: string;
  name: string;
  parentId: string;
  latitude: number;
  longitude: number;
}

/** A number as the tables print it ("1,500" → 1500). */
function num(text: string | null): number {
  return Number((text ?? '').replace(/[^\d.-]/g, ''));
}

describe('registry screens (browser, real server)', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let site: SiteSummary;
  /** The admin's session for the test's own API reads (the browser has its own). */
  let auth: { cookie: string; csrf: string };
  const consoleErrors: { text: string; url: string }[] = [];
  const failedRequests: { method: string; url: string; status: number | null; text: string }[] = [];

  async function api<T>(path: string): Promise<T> {
    const response = await fetch(`${server!.url}${path}`, { headers: { cookie: auth.cookie } });
    expect(response.status, `GET ${path}`).toBe(200);
    return (await response.json()) as T;
  }

  /** Reloads once the page's requests are done, so that none is cut short (and counted as failed). */
  async function reload() {
    await page.waitForLoadState('networkidle');
    await page.reload();
  }

  async function shot(name: string) {
    await screenshot(page, name);
  }

  beforeAll(async () => {
    server = await startServer();
    auth = await login(server.url);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    // Every page but /login and /about needs a session: log in once, through the login page, as
    // the first admin (who may edit every site); the pages of this context share its cookie.
    context = await browser.newContext({ viewport: VIEWPORT });
    await logInThroughPage(context, server.url);
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push({ text: message.text(), url: message.location().url });
    });
    page.on('pageerror', (error) => consoleErrors.push({ text: `uncaught: ${error.message}`, url: '' }));
    page.on('requestfailed', (request) =>
      failedRequests.push({ method: request.method(), url: request.url(), status: null, text: request.failure()?.errorText ?? 'failed' }),
    );
    page.on('response', (response) => {
      if (response.status() >= 400) {
        failedRequests.push({ method: response.request().method(), url: response.url(), status: response.status(), text: `HTTP ${response.status()}` });
      }
    });
    // The demo world's Malaba border post (Kenya side): a site with populations, services and gaps.
    const found = await api<{ items: SiteSummary[] }>('/api/sites?q=Malaba&country=KEN');
    expect(found.items.length).toBeGreaterThan(0);
    site = found.items[0]!;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  }, 60_000);

  it('shows sites by type, corridors and flows on the map, with a legend of site types', async () => {
    const response = await page.goto(`${server!.url}/`);
    expect(response?.ok()).toBe(true);
    await page.waitForSelector('[data-testid="world-map"] path[data-code="KEN"]', { timeout: 90_000 });
    await expect.poll(() => page.locator('[data-testid="site-marker"]').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(30);
    await expect.poll(() => page.locator('[data-testid="corridor-line"]').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    await expect.poll(() => page.locator('[data-testid="flow-line"]').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(1);

    const markers = await page.$$eval('[data-testid="site-marker"]', (els) =>
      els.map((e) => ({ id: e.getAttribute('data-site-id') ?? '', type: e.getAttribute('data-type') ?? '' })),
    );
    expect(new Set(markers.map((m) => m.id)).size).toBe(markers.length);
    expect(markers.every((m) => m.id !== '' && m.type !== '')).toBe(true);
    const types = new Set(markers.map((m) => m.type));
    expect(types.size).toBeGreaterThanOrEqual(6);
    // Each type has its own colour and shape.
    const looks = await page.$$eval('[data-testid="site-marker"]', (els) => {
      const byType = new Map<string, string>();
      for (const e of els) byType.set(e.getAttribute('data-type') ?? '', `${e.getAttribute('fill')}|${e.getAttribute('d')?.length ?? 0}`);
      return [...byType.values()];
    });
    expect(new Set(looks.map((l) => l.split('|')[0])).size).toBe(looks.length);

    // The legend lists the types with their counts, which add up to the markers drawn.
    const legend = page.locator('[data-testid="site-legend"]');
    expect(await legend.isVisible()).toBe(true);
    const legendItems = await legend
      .locator('li[data-type]')
      .evaluateAll((items) =>
        items.map((i) => ({ type: i.getAttribute('data-type') ?? '', count: Number(i.getAttribute('data-count')), text: i.textContent ?? '' })),
      );
    expect(new Set(legendItems.map((i) => i.type))).toEqual(types);
    expect(legendItems.reduce((sum, i) => sum + i.count, 0)).toBe(markers.length);
    expect(legendItems.find((i) => i.type === 'land_border_post')?.text).toContain('Land border post');

    const corridorCodes = await page.$$eval('[data-testid="corridor-line"]', (els) => els.map((e) => e.getAttribute('data-code') ?? ''));
    const corridors = await api<{ items: { code: string }[] }>('/api/corridors');
    expect(corridorCodes.sort()).toEqual(corridors.items.map((c) => c.code).sort());

    // Flow lines are wider for larger counts.
    const flows = await page.$$eval('[data-testid="flow-line"]', (els) =>
      els.map((e) => ({ count: Number(e.getAttribute('data-count')), width: Number(e.getAttribute('stroke-width')) })),
    );
    expect(flows.every((f) => f.count > 0 && f.width > 0)).toBe(true);
    const sorted = [...flows].sort((a, b) => a.count - b.count);
    expect(sorted[sorted.length - 1]!.width).toBeGreaterThan(sorted[0]!.width);
    expect(await page.isVisible('[data-testid="flow-legend"]')).toBe(true);

    // The map has moved to where the sites are: Kenya fills a good part of it.
    const kenya = await page.locator('path[data-code="KEN"]').boundingBox();
    expect(kenya!.width).toBeGreaterThan(100);

    await shot('registry-map');
  }, 150_000);

  it('hides the markers of a site type when its box is unticked', async () => {
    const all = await page.locator('[data-testid="site-marker"]').count();
    const borderPosts = await page.locator('[data-testid="site-marker"][data-type="land_border_post"]').count();
    expect(borderPosts).toBeGreaterThan(0);

    await page.locator('[data-testid="site-legend"] input[value="land_border_post"]').uncheck();
    await expect.poll(() => page.locator('[data-testid="site-marker"][data-type="land_border_post"]').count()).toBe(0);
    expect(await page.locator('[data-testid="site-marker"]').count()).toBe(all - borderPosts);

    await page.locator('[data-testid="site-legend"] input[value="land_border_post"]').check();
    await expect.poll(() => page.locator('[data-testid="site-marker"]').count()).toBe(all);

    // The layer switch hides every site at once.
    await page.locator('[data-testid="layer-sites"]').uncheck();
    await expect.poll(() => page.locator('[data-testid="site-marker"]').count()).toBe(0);
    await page.locator('[data-testid="layer-sites"]').check();
    await expect.poll(() => page.locator('[data-testid="site-marker"]').count()).toBe(all);
  }, 60_000);

  it('opens a site’s details from its symbol and links to its profile', async () => {
    const marker = page.locator(`[data-testid="site-marker"][data-site-id="${site.id}"]`);
    // Click where the symbol is, as a user would; other symbols may lie on top, so use the keyboard if needed.
    const box = await marker.boundingBox();
    expect(box).not.toBeNull();
    const onTop = await marker.evaluate((el) => {
      const r = el.getBoundingClientRect();
      const top = el.ownerDocument.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return top === el;
    });
    if (onTop) await page.mouse.click(box!.x + box!.width / 2, box!.y + box!.height / 2);
    else {
      await marker.focus();
      await page.keyboard.press('Enter');
    }
    const panel = page.locator('[data-testid="site-panel"]');
    await panel.waitFor({ timeout: 10_000 });
    const text = await panel.innerText();
    expect(text).toContain(site.name);
    expect(text).toContain('Land border post');
    expect(text).toContain('Kenya');
    expect(await panel.locator('[data-testid="site-panel-population"]').innerText()).toMatch(/^[\d,]+–[\d,]+$/);
    // The panel's count is the profile's list of gaps (the demo's Malaba post has some).
    const { gaps } = await api<{ gaps: unknown[] }>(`/api/sites/${site.id}`);
    expect(gaps.length).toBeGreaterThan(0);
    expect(Number(await panel.locator('[data-testid="site-panel-gaps"]').innerText())).toBe(gaps.length);
    expect(await marker.getAttribute('aria-pressed')).toBe('true');

    await panel.locator('[data-testid="site-profile-link"]').click();
    await page.locator('[data-testid="site-profile"]').waitFor({ timeout: 20_000 });
    expect(new URL(page.url()).pathname).toBe(`/sites/${site.id}`);
  }, 60_000);

  it('lists a site’s populations with low–high estimates, its services and its gaps', async () => {
    const profile = page.locator('[data-testid="site-profile"]');
    await profile.locator('[data-testid="populations-table"] tbody tr').first().waitFor({ timeout: 20_000 });
    expect(await profile.locator('h1').innerText()).toContain(site.name);
    expect(await profile.innerText()).toContain('Illustrative'.toUpperCase());

    const rows = await profile.locator('[data-testid="populations-table"] tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({
        group: tr.querySelector('th')?.textContent ?? '',
        low: tr.querySelector('[data-col="sizeLow"]')?.textContent ?? '',
        high: tr.querySelector('[data-col="sizeHigh"]')?.textContent ?? '',
        estimate: tr.querySelector('[data-col="sizeEstimate"]')?.textContent ?? '',
      })),
    );
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const r of rows) {
      expect(r.group).not.toBe('');
      expect(num(r.low)).toBeLessThanOrEqual(num(r.high));
      expect(num(r.estimate)).toBeCloseTo((num(r.low) + num(r.high)) / 2, 0);
    }
    // Totals: sums of lows and highs, estimate their midpoint.
    const total = await profile.locator('[data-testid="populations-total"] td').allInnerTexts();
    const lows = rows.reduce((a, r) => a + num(r.low), 0);
    const highs = rows.reduce((a, r) => a + num(r.high), 0);
    expect(num(total[0]!)).toBe(lows);
    expect(num(total[1]!)).toBe(highs);
    expect(num(total[2]!)).toBeCloseTo((lows + highs) / 2, 0);

    const services = profile.locator('[data-testid="services-table"] tbody tr');
    expect(await services.count()).toBeGreaterThanOrEqual(1);
    const availability = await profile
      .locator('[data-testid="services-table"] [data-availability]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-availability')));
    expect(availability.every((a) => a === 'none' || a === 'partial' || a === 'full')).toBe(true);
    expect(await profile.locator('[data-testid="services-table"]').innerText()).toMatch(/Serves undocumented migrants/i);

    const gaps = await profile
      .locator('[data-testid="gaps-list"] [data-testid="gap"]')
      .evaluateAll((els) => els.map((e) => ({ severity: e.getAttribute('data-severity'), text: e.textContent ?? '' })));
    const detail = await api<{ gaps: { severity: string }[] }>(`/api/sites/${site.id}`);
    expect(gaps.length).toBe(detail.gaps.length);
    expect(gaps.length).toBeGreaterThan(0);
    expect(gaps.every((g) => g.severity === 'missing' || g.severity === 'partial')).toBe(true);

    await shot('site-profile');
  }, 60_000);

  it('saves an edited site name, and shows the server’s message under latitude without saving', async () => {
    const profile = page.locator('[data-testid="site-profile"]');
    const newName = `${site.name} – renamed in test`;

    await profile.locator('[data-testid="site-edit"]').click();
    const form = page.locator('[data-testid="site-edit-form"]');
    await form.waitFor({ timeout: 20_000 });
    expect(await form.locator('input[name="latitude"]').inputValue()).toBe(String(site.latitude));
    await form.locator('input[name="name"]').fill(newName);
    await form.locator('[data-testid="site-save"]').click();
    await page.locator('[data-testid="save-notice"]').waitFor({ timeout: 20_000 });
    await expect.poll(() => profile.locator('h1').innerText()).toContain(newName);

    await reload();
    await page.locator('[data-testid="site-profile"] h1').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid="site-profile"] h1').innerText()).toContain(newName);
    // The site kept its place in the admin hierarchy (a full replace must carry it).
    const saved = await api<SiteSummary>(`/api/sites/${site.id}`);
    expect(saved.name).toBe(newName);
    expect(saved.parentId).toBe(site.parentId);

    await page.locator('[data-testid="site-edit"]').click();
    await form.waitFor({ timeout: 20_000 });
    await form.locator('input[name="latitude"]').fill('123');
    await form.locator('[data-testid="site-save"]').click();
    const error = form.locator('[data-testid="field-error"][data-field="latitude"]');
    await error.waitFor({ timeout: 20_000 });
    expect(await error.innerText()).toMatch(/latitude/i);
    expect(await error.innerText()).toContain('90');
    expect(await form.locator('input[name="latitude"]').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('[data-testid="form-summary"]').innerText()).toMatch(/Nothing was saved/);
    await shot('site-edit-error');

    await reload();
    const coordinates = page.locator('[data-testid="site-coordinates"]');
    await coordinates.waitFor({ timeout: 20_000 });
    expect(Number(await coordinates.getAttribute('data-latitude'))).toBe(site.latitude);
    expect((await api<SiteSummary>(`/api/sites/${site.id}`)).latitude).toBe(site.latitude);
  }, 90_000);

  it('edits populations, showing the server’s message when low exceeds high', async () => {
    const profile = page.locator('[data-testid="site-profile"]');
    await profile.locator('[data-testid="populations-edit"]').click();
    const form = page.locator('[data-testid="populations-form"]');
    await form.waitFor({ timeout: 20_000 });

    await form.locator('input[name="populations.0.sizeLow"]').fill('5000');
    await form.locator('input[name="populations.0.sizeHigh"]').fill('100');
    await form.locator('[data-testid="populations-save"]').click();
    const error = form.locator('[data-testid="field-error"][data-field="populations.0.sizeLow"]');
    await error.waitFor({ timeout: 20_000 });
    expect(await error.innerText()).toMatch(/sizeHigh|high/i);

    // A valid range is saved and the table follows.
    const group = await form.locator('select[name="populations.0.group"]').inputValue();
    await form.locator('input[name="populations.0.sizeLow"]').fill('100');
    await form.locator('input[name="populations.0.sizeHigh"]').fill('300');
    await form.locator('[data-testid="populations-save"]').click();
    await page.locator('[data-testid="save-notice"]').waitFor({ timeout: 20_000 });
    const first = profile.locator(`[data-testid="populations-table"] tbody tr[data-group="${group}"]`);
    await first.waitFor({ timeout: 20_000 });
    // The table shows the saved range once the profile is read again after the write.
    await expect.poll(async () => num(await first.locator('[data-col="sizeLow"]').innerText()), { timeout: 20_000 }).toBe(100);
    expect(num(await first.locator('[data-col="sizeHigh"]').innerText())).toBe(300);
    expect(num(await first.locator('[data-col="sizeEstimate"]').innerText())).toBe(200);
  }, 60_000);

  it('lists and filters sites, linking to their profiles', async () => {
    await page.click('nav >> text=Sites');
    const table = page.locator('[data-testid="sites-table"]');
    await table.waitFor({ timeout: 20_000 });
    expect(await table.locator('tbody tr').count()).toBeGreaterThanOrEqual(10);
    expect(await page.locator('[data-testid="sites-summary"]').innerText()).toMatch(/of \d+ sites/);
    await shot('sites-list');

    const all = await table.locator('tbody tr').count();
    // Every row shown matches, and there is at least one (a list still loading has none).
    const allMatch = (test: (row: string) => boolean) => async () => {
      const rows = await page.locator('[data-testid="sites-table"] tbody tr').allInnerTexts();
      return rows.length > 0 && rows.every(test);
    };
    await page.fill('#sites-q', 'Malaba');
    await expect
      .poll(
        allMatch((row) => /malaba/i.test(row)),
        { timeout: 10_000 },
      )
      .toBe(true);
    expect(await table.locator('tbody tr').count()).toBeLessThan(all);
    expect(new URL(page.url()).search).toBe('?q=Malaba');
    await page.fill('#sites-q', '');
    await page.selectOption('#sites-type', 'port');
    await expect
      .poll(
        allMatch((row) => row.includes('Port')),
        { timeout: 10_000 },
      )
      .toBe(true);
  }, 60_000);

  it('colours countries by restriction status and lists policies with citations', async () => {
    await page.click('nav >> text=Policies');
    const map = page.locator('[data-testid="policy-map"]');
    await map.locator('path[data-code="KEN"]').waitFor({ timeout: 60_000 });
    await expect.poll(() => map.locator('path[data-status="restrictions"]').count(), { timeout: 20_000 }).toBeGreaterThan(0);

    const statuses = await map
      .locator('path[data-code]')
      .evaluateAll((paths) => paths.map((p) => ({ code: p.getAttribute('data-code'), status: p.getAttribute('data-status'), fill: p.getAttribute('fill') })));
    const byCountry = await api<{ items: { country: string; status: string }[] }>('/api/policies/status-by-country');
    for (const c of byCountry.items) {
      expect(statuses.find((s) => s.code === c.country)?.status, c.country).toBe(c.status);
    }
    expect(statuses.find((s) => s.code === 'KEN')?.status).toBe('none');
    // One colour per status, as the legend shows it.
    const legend = await page
      .locator('[data-testid="policy-legend"] [data-status]')
      .evaluateAll((items) => items.map((i) => ({ status: i.getAttribute('data-status'), color: i.getAttribute('data-color') })));
    expect(legend.map((l) => l.status)).toEqual(['restrictions', 'unclear', 'none', 'no-data']);
    for (const s of statuses) expect(s.fill).toBe(legend.find((l) => l.status === s.status)?.color);
    expect(new Set(legend.map((l) => l.color)).size).toBe(4);

    const rows = page.locator('[data-testid="policies-table"] tbody tr');
    await rows.first().waitFor({ timeout: 20_000 });
    const policies = await api<{ total: number; items: unknown[] }>('/api/policies');
    expect(await rows.count()).toBe(policies.items.length);
    const citations = await page.locator('[data-testid="policy-citation"]').allInnerTexts();
    expect(citations.every((c) => c.trim().length > 10)).toBe(true);
    expect(await page.locator('[data-testid="policies-table"]').innerText()).toMatch(/Entry ban|Restriction on/);

    // Beside the table, the published counts with their sources.
    const references = page.locator('[data-testid="reference-list"] li');
    expect(await references.count()).toBeGreaterThanOrEqual(10);
    expect(await page.locator('[data-testid="reference-counts"]').innerText()).toContain('UNAIDS');
    await shot('policies');

    // Selecting a country on the map lists its policies only.
    await map.locator('path[data-code="KEN"]').dispatchEvent('click');
    expect(await page.inputValue('#policies-country')).toBe('KEN');
    await expect
      .poll(
        async () => {
          const countries = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-country')));
          return countries.length > 0 && countries.every((c) => c === 'KEN');
        },
        { timeout: 10_000 },
      )
      .toBe(true);
    expect(await page.locator('[data-testid="policies-table"]').innerText()).toContain('Kenya');
  }, 120_000);

  it('lists the projects with their funding, donors and beneficiaries', async () => {
    await page.click('nav >> text=Projects');
    const list = page.locator('[data-testid="projects-list"]');
    await list.locator('[data-testid="project"]').first().waitFor({ timeout: 20_000 });
    const projects = await api<{ items: { code: string; title: string; totalUsd: number }[] }>('/api/projects');
    expect(await list.locator('[data-testid="project"]').count()).toBe(projects.items.length);
    const first = projects.items[0]!;
    const card = list.locator(`[data-testid="project"][data-code="${first.code}"]`);
    expect(await card.innerText()).toContain(first.title);
    expect(num(await card.locator('[data-testid="project-total"]').innerText())).toBe(first.totalUsd);
    expect(await card.locator('[data-testid="project-total"]').innerText()).toMatch(/^\$[\d,]+$/);
    expect(await list.innerText()).toMatch(/Donors/);
    expect(await list.innerText()).toMatch(/Beneficiary groups/);
    await shot('projects');
  }, 60_000);

  it('produced no console errors and no failed requests besides the deliberate invalid saves', () => {
    const deliberate = (url: string) => new RegExp(`/api/sites/${site.id}(/populations)?$`).test(new URL(url).pathname);
    const expectedFailures = failedRequests.filter((r) => r.method === 'PUT' && r.status === 400 && deliberate(r.url));
    expect(expectedFailures.length).toBe(2);
    expect(failedRequests.filter((r) => !expectedFailures.includes(r))).toEqual([]);
    // Chrome logs each 4xx answer as a console error naming its URL.
    const unexpectedConsole = consoleErrors.filter((e) => !(/status of 400/.test(e.text) && e.url && deliberate(e.url)));
    expect(unexpectedConsole).toEqual([]);
  });
});
