import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../support/server.js';
import { adminSession, screenshot } from './browser.js';
import type { AdminSession } from './browser.js';

// Projects and policies edited in the web app (issue 11): before, the Projects and Policies pages
// offered no way to add one, and only the API could change them.

interface Project {
  id: string;
  code: string;
  title: string;
  status: string;
  countries: string[];
  sites: string[];
  donors: { name: string; amountUsd: number }[];
  objectives: string[];
  beneficiaryGroups: string[];
  targets: { indicator: string; target: number; year?: number }[];
}
interface Policy {
  id: string;
  country: string;
  restriction: string;
  status: string;
  citation: string;
  lastVerified: string;
}

describe('projects and policies in the web app (browser, real server)', () => {
  let server: RunningServer | undefined;
  let session: AdminSession | undefined;
  let page: Page;
  let call: AdminSession['call'];
  let project: Project | undefined;
  let policy: Policy | undefined;

  const projects = async () => (await call<{ items: Project[] }>('GET', '/api/projects?limit=1000')).body.items;
  const policies = async () => (await call<{ items: Policy[] }>('GET', '/api/policies?limit=5000')).body.items;
  const focused = (p: Page) => p.evaluate<string | null>('document.activeElement?.getAttribute("data-testid") ?? null');

  beforeAll(async () => {
    session = await adminSession();
    ({ server, call, page } = session);
  }, 180_000);

  afterAll(async () => {
    await session?.stop();
  }, 60_000);

  it('creates a project through the form, after a failed save that names the missing countries and the bad amount', async () => {
    await page.goto(`${server!.url}/projects`);
    await page.locator('[data-testid="project-new"]').click();
    const form = page.locator('[data-testid="project-form"]');
    await form.waitFor({ timeout: 30_000 });
    await form.locator('input[name="title"]').fill('Truckers’ wellness along the Northern Corridor');
    await form.locator('input[name="code"]').fill('E2E-TRUCKERS');
    await form.locator('select[name="status"]').selectOption('active');
    await form.locator('input[name="startDate"]').fill('2026-01-01');
    await form.locator('[data-testid="project-add-donors"]').click();
    await form.locator('input[name="donors.0.name"]').fill('PEPFAR');
    await form.locator('input[name="donors.0.amountUsd"]').fill('a lot');
    await form.locator('[data-testid="project-save"]').click();

    // No country, and an amount that is not a number: both named in the user's words, focus on the summary.
    const summary = page.locator('[data-testid="form-summary"]');
    await summary.waitFor({ timeout: 20_000 });
    await expect.poll(() => focused(page)).toBe('form-summary');
    const text = await summary.innerText();
    expect(text).toMatch(/Countries/);
    expect(text).toMatch(/Donors · row 1 · Amount \(USD\)/);
    expect(await form.locator('[data-testid="field-error"][data-field="donors.0.amountUsd"]').count()).toBe(1);
    expect((await projects()).some((p) => p.code === 'E2E-TRUCKERS')).toBe(false);

    const add = async (list: 'country' | 'site', text: string) => {
      await form.locator(`input[name="project-${list === 'country' ? 'countries' : 'sites'}-add"]`).fill(text);
      await form.locator(`[data-testid="project-add-${list}"]`).click();
    };
    await add('country', 'Kenya');
    await add('country', 'UGA');
    await add('site', 'KE-MALABA-OSBP');
    await form.locator('input[name="donors.0.amountUsd"]').fill('250,000');
    await form.locator('[data-testid="project-objectives"] input[value="service_delivery_capacity_building"]').check();
    await form.locator('[data-testid="project-beneficiaryGroups"] input[value="truck_drivers"]').check();
    await form.locator('[data-testid="project-add-targets"]').click();
    await form.locator('input[name="targets.0.indicator"]').fill('Truck drivers tested');
    await form.locator('input[name="targets.0.target"]').fill('12,000');
    await form.locator('input[name="targets.0.year"]').fill('2027');
    await form.locator('[data-testid="project-save"]').click();

    // Back on the list, which shows the new project with its total.
    const card = page.locator('[data-testid="project"][data-code="E2E-TRUCKERS"]');
    await card.waitFor({ timeout: 30_000 });
    expect(await card.locator('[data-testid="project-total"]').innerText()).toBe('$250,000');
    project = (await projects()).find((p) => p.code === 'E2E-TRUCKERS');
    expect(project).toMatchObject({
      status: 'active',
      countries: ['KEN', 'UGA'],
      sites: ['KE-MALABA-OSBP'],
      donors: [{ name: 'PEPFAR', amountUsd: 250000 }],
      objectives: ['service_delivery_capacity_building'],
      beneficiaryGroups: ['truck_drivers'],
      targets: [{ indicator: 'Truck drivers tested', target: 12000, year: 2027 }],
    });
    await screenshot(page, 'project-created');
  }, 120_000);

  it('edits the project: closes it and removes a country', async () => {
    await page.locator('[data-testid="project"][data-code="E2E-TRUCKERS"] [data-testid="project-edit"]').click();
    const form = page.locator('[data-testid="project-form"]');
    await form.waitFor({ timeout: 30_000 });
    expect(await form.locator('input[name="donors.0.amountUsd"]').inputValue()).toBe('250000');
    await form.locator('select[name="status"]').selectOption('closed');
    await form.locator('input[name="endDate"]').fill('2026-06-30');
    await form.locator('[data-testid="project-countries"] li[data-code="UGA"] button').click();
    await form.locator('[data-testid="project-save"]').click();
    await page.locator('[data-testid="projects-list"]').waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await projects()).find((p) => p.code === 'E2E-TRUCKERS')?.status).toBe('closed');
    expect((await projects()).find((p) => p.code === 'E2E-TRUCKERS')?.countries).toEqual(['KEN']);
  }, 90_000);

  it('deletes the project', async () => {
    await page.goto(`${server!.url}/projects/${project!.id}`);
    await page.locator('[data-testid="project-delete"]').click();
    await page.locator('[data-testid="projects-list"]').waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).pathname).toBe('/projects');
    expect((await call('GET', `/api/projects/${project!.id}`)).status).toBe(404);
  }, 60_000);

  it('records a policy through the form, after a failed save that names each missing field', async () => {
    await page.goto(`${server!.url}/policies`);
    await page.locator('[data-testid="policy-new"]').click();
    const form = page.locator('[data-testid="policy-form"]');
    await form.waitFor({ timeout: 30_000 });
    await form.locator('[data-testid="policy-save"]').click();
    const summary = page.locator('[data-testid="form-summary"]');
    await summary.waitFor({ timeout: 20_000 });
    await expect.poll(() => focused(page)).toBe('form-summary');
    for (const field of ['country', 'restriction', 'status', 'citation', 'lastVerified'])
      expect(await form.locator(`[data-testid="field-error"][data-field="${field}"]`).count(), field).toBe(1);
    expect(await summary.innerText()).toMatch(/Citation/);

    const before = (await policies()).length;
    await form.locator('select[name="country"]').selectOption('BRN');
    await form.locator('select[name="restriction"]').selectOption('long_stay_residence');
    await form.locator('select[name="status"]').selectOption('in_force');
    await form.locator('textarea[name="citation"]').fill('E2E citation: immigration regulations, schedule 3');
    await form.locator('input[name="lastVerified"]').fill('2026-11-30');
    await form.locator('[data-testid="policy-save"]').click();
    const row = page.locator('[data-testid="policies-table"] tr', { hasText: 'E2E citation' });
    await row.first().waitFor({ timeout: 30_000 });
    const all = await policies();
    expect(all.length).toBe(before + 1);
    policy = all.find((p) => p.citation.startsWith('E2E citation'));
    expect(policy).toMatchObject({ country: 'BRN', restriction: 'long_stay_residence', status: 'in_force', lastVerified: '2026-11-30' });
  }, 90_000);

  it('corrects the policy (repealed) and deletes it', async () => {
    await page.locator(`[data-testid="policies-table"] a[href="/policies/${policy!.id}"]`).click();
    const form = page.locator('[data-testid="policy-form"]');
    await form.waitFor({ timeout: 30_000 });
    await form.locator('select[name="status"]').selectOption('repealed');
    await form.locator('[data-testid="policy-save"]').click();
    await page.locator('[data-testid="policies-table"]').waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await call<Policy>('GET', `/api/policies/${policy!.id}`)).body.status).toBe('repealed');

    await page.goto(`${server!.url}/policies/${policy!.id}`);
    await page.locator('[data-testid="policy-delete"]').click();
    await page.locator('[data-testid="policies-table"]').waitFor({ timeout: 30_000 });
    expect((await call('GET', `/api/policies/${policy!.id}`)).status).toBe(404);
  }, 90_000);

  it('refuses a Kenya data-entry user a project in Uganda, in words, and shows a viewer no way to change anything', async () => {
    const clerk = { email: 'portfolio-clerk@test.org', password: 'clerk-password-1' };
    const viewer = { email: 'portfolio-viewer@test.org', password: 'viewer-password-1' };
    expect((await call('POST', '/api/users', { ...clerk, role: 'data_entry', scopes: ['KEN'] })).status).toBe(201);
    expect((await call('POST', '/api/users', { ...viewer, role: 'viewer', scopes: ['KEN'] })).status).toBe(201);

    const p = await session!.pageAs(clerk);
    await p.goto(`${server!.url}/projects/new`);
    const form = p.locator('[data-testid="project-form"]');
    await form.waitFor({ timeout: 30_000 });
    await form.locator('input[name="title"]').fill('Not mine to create');
    await form.locator('input[name="code"]').fill('E2E-UGANDA');
    await form.locator('input[name="startDate"]').fill('2026-01-01');
    await form.locator('input[name="project-countries-add"]').fill('Uganda');
    await form.locator('[data-testid="project-add-country"]').click();
    await form.locator('[data-testid="project-save"]').click();
    const summary = p.locator('[data-testid="form-summary"]');
    await summary.waitFor({ timeout: 20_000 });
    expect(await summary.innerText()).toMatch(/Uganda \(UGA\) is outside your scope/);
    expect((await projects()).some((x) => x.code === 'E2E-UGANDA')).toBe(false);
    await p.context().close();

    const v = await session!.pageAs(viewer);
    await v.goto(`${server!.url}/projects`);
    await v.locator('[data-testid="projects-list"]').waitFor({ timeout: 30_000 });
    await v.goto(`${server!.url}/policies`);
    await v.locator('[data-testid="policies-table"]').waitFor({ timeout: 30_000 });
    for (const testId of ['policy-new', 'policy-edit']) expect(await v.locator(`[data-testid="${testId}"]`).count(), testId).toBe(0);
    await v.goto(`${server!.url}/projects`);
    await v.locator('[data-testid="projects-list"]').waitFor({ timeout: 30_000 });
    for (const testId of ['project-new', 'project-edit']) expect(await v.locator(`[data-testid="${testId}"]`).count(), testId).toBe(0);
    // The form's address itself says the role may not edit.
    await v.goto(`${server!.url}/projects/new`);
    await v.locator('text=No access').waitFor({ timeout: 30_000 });
    expect(await v.locator('[data-testid="project-form"]').count()).toBe(0);
    await v.context().close();
  }, 120_000);
});
