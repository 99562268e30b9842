import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../support/server.js';
import { adminSession, screenshot } from './browser.js';
import type { AdminSession } from './browser.js';

// Corridors and their flows edited in the web app (issue 11): before, a user told that a corridor
// still used a site had no way to change that corridor outside the API.

interface Corridor {
  id: string;
  code: string;
  name: string;
  places: { id: string; code: string | null; name: string }[];
}
interface Flow {
  id: string;
  from: string;
  to: string;
  corridor: string | null;
  count: number;
}

describe('corridors and flows in the web app (browser, real server)', () => {
  let server: RunningServer | undefined;
  let session: AdminSession | undefined;
  let page: Page;
  let created: Corridor | undefined;

  let call: AdminSession['call'];
  const flowsOf = async (code: string) => (await call<{ items: Flow[] }>('GET', `/api/flows?corridor=${encodeURIComponent(code)}`)).body.items;

  beforeAll(async () => {
    session = await adminSession();
    ({ server, call, page } = session);
  }, 180_000);

  afterAll(async () => {
    await session?.stop();
  }, 60_000);

  it("lists the demo world's corridors with their routes, from the main navigation", async () => {
    await page.goto(`${server!.url}/`);
    await page.locator('nav.site-nav a', { hasText: 'Corridors' }).click();
    const table = page.locator('[data-testid="corridors-table"]');
    await table.waitFor({ timeout: 30_000 });
    const northern = table.locator('tr', { hasText: 'Northern Corridor' });
    expect(await northern.count()).toBe(1);
    expect(await northern.innerText()).toMatch(/Mombasa.*→.*Malaba.*→.*Kampala/s);
    await northern.locator('a').click();
    await page.locator('[data-testid="corridor-route"]').waitFor({ timeout: 20_000 });
    // The corridor's flows load after its route.
    await page.locator('[data-testid="flows-table"] tbody tr').first().waitFor({ timeout: 20_000 });
  }, 90_000);

  it('creates a corridor through the form, after a failed save that names the route and takes focus', async () => {
    await page.goto(`${server!.url}/corridors`);
    await page.locator('[data-testid="corridor-new"]').click();
    const form = page.locator('[data-testid="corridor-form"]');
    await form.waitFor({ timeout: 30_000 });
    await form.locator('input[name="name"]').fill('Lake Victoria ferry route');
    await form.locator('input[name="code"]').fill('E2E-LAKE');
    const add = async (text: string) => {
      await form.locator('input[name="corridor-places-add"]').fill(text);
      await form.locator('[data-testid="corridor-add-place"]').click();
    };
    await add('KEN');
    await form.locator('[data-testid="corridor-save"]').click();
    // One place is not a route: the server says so under the places, and focus goes to the summary.
    await form.locator('[data-testid="field-error"][data-field="places"]').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.evaluate<string | null>('document.activeElement?.getAttribute("data-testid") ?? null')).toBe('form-summary');
    expect(await page.locator('[data-testid="form-summary"]').innerText()).toMatch(/Places on the route/);
    expect(await call<unknown>('GET', '/api/corridors').then((r) => JSON.stringify(r.body))).not.toContain('E2E-LAKE');

    await add('UGA');
    await add('TZA');
    // Reorder: Tanzania up one place, between Kenya and Uganda (its first button moves it up).
    await form.locator('li[data-code="TZA"] button').first().click();
    await form.locator('[data-testid="corridor-save"]').click();
    const pageRoot = page.locator('[data-testid="corridor-page"]');
    await pageRoot.waitFor({ timeout: 30_000 });
    const id = await pageRoot.getAttribute('data-corridor-id');
    created = (await call<Corridor>('GET', `/api/corridors/${id}`)).body;
    expect(created.code).toBe('E2E-LAKE');
    expect(created.places.map((p) => p.code)).toEqual(['KEN', 'TZA', 'UGA']);
    await screenshot(page, 'corridor-created');
  }, 90_000);

  it('renames the corridor', async () => {
    await page.locator('[data-testid="corridor-edit"]').click();
    const form = page.locator('[data-testid="corridor-form"]');
    await form.locator('input[name="name"]').fill('Lake Victoria ferries');
    await form.locator('[data-testid="corridor-save"]').click();
    await page.locator('[data-testid="save-notice"]').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.locator('[data-testid="corridor-name"]').innerText()).toContain('Lake Victoria ferries');
    expect((await call<Corridor>('GET', `/api/corridors/${created!.id}`)).body.name).toBe('Lake Victoria ferries');
  }, 60_000);

  it('adds a flow through the form, corrects its count, and deletes it', async () => {
    await page.locator('[data-testid="flow-add"]').click();
    const form = page.locator('[data-testid="flow-form"]');
    await form.waitFor({ timeout: 20_000 });
    await form.locator('select[name="from"]').selectOption('KEN');
    await form.locator('select[name="to"]').selectOption('UGA');
    await form.locator('input[name="periodStart"]').fill('2025-01-01');
    await form.locator('input[name="periodEnd"]').fill('2025-12-31');
    await form.locator('input[name="count"]').fill('1,200');
    await form.locator('select[name="reason"]').selectOption('trade');
    await form.locator('[data-testid="flow-save"]').click();
    const row = page.locator('[data-testid="flows-table"] tbody tr');
    await row.first().waitFor({ timeout: 20_000 });
    expect(await row.first().locator('[data-col="count"]').innerText()).toBe('1,200');
    let flows = await flowsOf('E2E-LAKE');
    expect(flows.map((f) => ({ from: f.from, to: f.to, count: f.count }))).toEqual([{ from: 'KEN', to: 'UGA', count: 1200 }]);

    await row.first().locator('[data-testid="flow-edit"]').click();
    await form.locator('input[name="count"]').fill('1500');
    await form.locator('[data-testid="flow-save"]').click();
    await expect.poll(() => row.first().locator('[data-col="count"]').innerText(), { timeout: 20_000 }).toBe('1,500');
    flows = await flowsOf('E2E-LAKE');
    expect(flows.map((f) => f.count)).toEqual([1500]);

    await row.first().locator('[data-testid="flow-delete"]').click();
    await page.locator('[data-testid="flows-table"]', { hasText: 'No flows are recorded' }).waitFor({ timeout: 20_000 });
    expect(await flowsOf('E2E-LAKE')).toEqual([]);
  }, 90_000);

  it('deletes the corridor and returns to the list', async () => {
    await page.locator('[data-testid="corridor-delete"]').click();
    await page.locator('[data-testid="corridors-table"]').waitFor({ timeout: 20_000 });
    expect(new URL(page.url()).pathname).toBe('/corridors');
    expect((await call('GET', `/api/corridors/${created!.id}`)).status).toBe(404);
  }, 60_000);

  it('shows a viewer the corridors without any button that changes them', async () => {
    const viewer = { email: 'corridor-viewer@test.org', password: 'viewer-password-1' };
    expect((await call('POST', '/api/users', { ...viewer, role: 'viewer', scopes: ['KEN', 'UGA'] })).status).toBe(201);
    const p = await session!.pageAs(viewer);
    const northern = (await call<{ items: Corridor[] }>('GET', '/api/corridors')).body.items.find((c) => c.name.includes('Northern Corridor'))!;
    await p.goto(`${server!.url}/corridors`);
    await p.locator('[data-testid="corridors-table"]').waitFor({ timeout: 30_000 });
    expect(await p.locator('[data-testid="corridor-new"]').count()).toBe(0);
    await p.goto(`${server!.url}/corridors/${northern.id}`);
    await p.locator('[data-testid="corridor-route"]').waitFor({ timeout: 30_000 });
    await p.locator('[data-testid="flows-table"]').waitFor({ timeout: 30_000 });
    for (const testId of ['corridor-edit', 'corridor-delete', 'flow-add', 'flow-edit', 'flow-delete'])
      expect(await p.locator(`[data-testid="${testId}"]`).count(), testId).toBe(0);
    expect(await p.locator('[data-testid="read-only"]').count()).toBe(1);
    await p.context().close();
  }, 90_000);
});
