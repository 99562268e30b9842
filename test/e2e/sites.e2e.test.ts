import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../support/server.js';
import { adminSession, screenshot } from './browser.js';
import type { AdminSession } from './browser.js';

// The defects a programme officer met on the site screens (issue 11): condoms available drawn in
// the risk colour, a hint promising a code made from the name, focus left behind after a failed
// save, and a refused delete that pointed at corridors the web app could not open.

describe('site screens: the defects found by trying them (browser, real server)', () => {
  let server: RunningServer | undefined;
  let session: AdminSession | undefined;
  let page: Page;

  let call: AdminSession['call'];

  beforeAll(async () => {
    session = await adminSession();
    ({ server, call, page } = session);
  }, 180_000);

  afterAll(async () => {
    await session?.stop();
  }, 60_000);

  it('draws "condoms available" as the good answer and a risk factor present as a risk', async () => {
    const venue = { alcoholOnSite: true, sexOnSite: false, transactionalSexReported: null, condomsAvailableAtVisit: true };
    const created = await call<{ id: string }>('POST', '/api/sites', {
      name: 'Venue test bar',
      type: 'truck_stop',
      country: 'KEN',
      latitude: -1.28,
      longitude: 36.82,
      venue,
    });
    expect(created.status).toBe(201);
    await page.goto(`${server!.url}/sites/${created.body.id}`);
    const item = (key: string) => page.locator(`.venue__item[data-venue="${key}"]`);
    await item('condoms').waitFor({ timeout: 30_000 });
    const look = async (key: string) => ({
      className: (await item(key).getAttribute('class')) ?? '',
      background: await page.evaluate<string>(`getComputedStyle(document.querySelector('.venue__item[data-venue="${key}"]')).backgroundColor`),
    });
    const condoms = await look('condoms');
    const alcohol = await look('alcoholOnSite');
    const noSex = await look('sexOnSite');
    expect(await item('condoms').innerText()).toMatch(/Condoms available at visit: Yes/);
    expect(condoms.className).toContain('venue__item--good');
    expect(alcohol.className).toContain('venue__item--risk');
    // "Condoms: yes" looks like "no sex on site" (good), not like "alcohol on site" (risk).
    expect(condoms.background).toBe(noSex.background);
    expect(condoms.background).not.toBe(alcohol.background);
    await screenshot(page, 'site-venue-colours');
    expect((await call('DELETE', `/api/sites/${created.body.id}`)).status).toBe(204);
  }, 90_000);

  it('moves focus to the error summary after a failed save, then creates the site with a readable code', async () => {
    await page.goto(`${server!.url}/sites`);
    await page.locator('[data-testid="site-new"]').click();
    const form = page.locator('[data-testid="site-edit-form"]');
    await form.waitFor({ timeout: 30_000 });
    expect(await form.innerText()).toMatch(/a readable code is made from the country and the name/);
    await form.locator('input[name="name"]').fill('Lwakhakha Border Post');
    await form.locator('[data-testid="site-save"]').click();
    const summary = page.locator('[data-testid="form-summary"]');
    await summary.waitFor({ timeout: 20_000 });
    await expect.poll(() => page.evaluate<string | null>('document.activeElement?.getAttribute("data-testid") ?? null')).toBe('form-summary');
    // Its words are the form's labels, not the API's field names.
    expect(await summary.innerText()).toMatch(/Type/);
    expect(await summary.innerText()).not.toMatch(/latitude must|\bcountry\b:/);

    await form.locator('select[name="type"]').selectOption('land_border_post');
    await form.locator('select[name="country"]').selectOption('KEN');
    await form.locator('input[name="latitude"]').fill('0.79');
    await form.locator('input[name="longitude"]').fill('34.39');
    await form.locator('[data-testid="site-save"]').click();
    const profile = page.locator('[data-testid="site-profile"]');
    await profile.waitFor({ timeout: 30_000 });
    expect(await profile.locator('.profile-header__sub code').innerText()).toBe('KEN-LWAKHAKHA-BORDER-POST');
    const id = await profile.getAttribute('data-site-id');
    expect((await call<{ code: string }>('GET', `/api/sites/${id}`)).body.code).toBe('KEN-LWAKHAKHA-BORDER-POST');
    expect((await call('DELETE', `/api/sites/${id}`)).status).toBe(204);
  }, 90_000);

  it('refuses to delete a site that a corridor uses, and links to that corridor', async () => {
    const malaba = (await call<{ items: { id: string; name: string }[] }>('GET', '/api/sites?q=Malaba&country=KEN')).body.items[0]!;
    const corridors = (await call<{ items: { id: string; name: string; places: { id: string }[] }[] }>('GET', '/api/corridors')).body.items;
    const using = corridors.filter((c) => c.places.some((p) => p.id === malaba.id));
    expect(using.length).toBeGreaterThan(0);
    await page.goto(`${server!.url}/sites/${malaba.id}`);
    await page.locator('[data-testid="site-delete"]').click();
    const refusal = page.locator('[data-testid="delete-refused"]');
    await refusal.waitFor({ timeout: 20_000 });
    expect(await refusal.getAttribute('role')).toBe('alert');
    const links = await page.evaluate<string[]>(`[...document.querySelectorAll('[data-testid="delete-refused"] a')].map((a) => a.getAttribute('href'))`);
    expect(links.sort()).toEqual(using.map((c) => `/corridors/${c.id}`).sort());
    expect(await refusal.innerText()).toContain(using[0]!.name);
    await screenshot(page, 'site-delete-refused');
    await refusal.locator('a').first().click();
    await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/corridors\//);
    expect((await call('GET', `/api/sites/${malaba.id}`)).status).toBe(200);
  }, 90_000);
});
