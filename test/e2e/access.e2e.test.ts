import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN, login, startServer, type RunningServer } from '../support/server.js';
import { CHROMIUM, CHROMIUM_ARGS, VIEWPORT, screenshot, submitLogin, watch } from './browser.js';
import type { PageProblems } from './browser.js';

interface User {
  id: string;
  email: string;
  role: string;
  scopes: string[];
}

const VIEWER = { email: 'viewer@test.org', password: 'viewer password 1234' };
const DATA_ENTRY = { email: 'entry@test.org', password: 'data entry password 1234' };
const CREATED = { email: 'newcomer@test.org', name: 'New Comer', password: 'newcomer password 1234' };

describe('access control in the web app (browser, real server)', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let problems: PageProblems;
  let admin: { cookie: string; csrf: string };
  let created: User | undefined;
  let sessionCookie = '';

  /** Calls the API as the admin (cookie and CSRF header), as the tests' own setup. */
  async function api<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = { cookie: admin.cookie };
    if (method !== 'GET') headers['x-csrf-token'] = admin.csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${server!.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, body: (await response.json().catch(() => null)) as T };
  }

  /** A fresh browser (its own cookies) logged in as `who` through the login page, on `path`. */
  async function browserAs(who: { email: string; password: string }, path: string): Promise<{ context: BrowserContext; page: Page }> {
    const ctx = await browser!.newContext({ viewport: VIEWPORT });
    const p = await ctx.newPage();
    await p.goto(`${server!.url}${path}`);
    // Not logged in: the app sends the user to the login page, remembering where they were going.
    await p.waitForURL((u) => u.pathname === '/login', { timeout: 30_000 });
    expect(new URL(p.url()).searchParams.get('next')).toBe(path);
    await submitLogin(p, who);
    await p.waitForURL((u) => u.pathname === path, { timeout: 30_000 });
    return { context: ctx, page: p };
  }

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server.url);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: VIEWPORT });
    page = await context.newPage();
    problems = watch(page);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  }, 60_000);

  it('sends a visitor who is not logged in to the login page, which says how to log in the first time', async () => {
    const response = await page.goto(`${server!.url}/`);
    expect(response?.ok()).toBe(true);
    await page.waitForURL((u) => u.pathname === '/login', { timeout: 30_000 });
    expect(new URL(page.url()).searchParams.get('next')).toBe('/');
    const form = page.locator('[data-testid="login-form"]');
    await form.waitFor({ timeout: 30_000 });
    expect(await page.title()).toBe('Log in · Corridor');
    const text = await page.locator('main').innerText();
    expect(text).toContain('CORRIDOR_ADMIN_EMAIL');
    expect(text).toContain('CORRIDOR_ADMIN_PASSWORD');
    expect(text).toMatch(/printed by the server/);
    expect(await page.locator('[data-testid="user-menu"]').count()).toBe(0);
    // The about page stays open to everyone.
    expect(await page.locator('nav[aria-label="Main"] a').allInnerTexts()).toEqual(['About & data sources']);
    await screenshot(page, 'login');
  }, 60_000);

  it('says so when the password is wrong, and stays on the login page', async () => {
    await submitLogin(page, { email: TEST_ADMIN.email, password: 'not the password' });
    const error = page.locator('[data-testid="login-error"]');
    await error.waitFor({ timeout: 20_000 });
    expect(await error.innerText()).toMatch(/email or password is wrong/i);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.inputValue('[data-testid="login-form"] input[name="password"]')).toBe('');
    await screenshot(page, 'login-error');
  }, 60_000);

  it('logs in with the right password, lands on the map, and keeps the session in an HttpOnly cookie', async () => {
    await submitLogin(page, TEST_ADMIN);
    await page.waitForURL((u) => u.pathname === '/', { timeout: 30_000 });
    await page.waitForSelector('[data-testid="world-map"] path[data-code="KEN"]', { timeout: 90_000 });
    const menu = page.locator('[data-testid="user-menu"]');
    await menu.waitFor({ timeout: 10_000 });
    const menuText = await menu.innerText();
    expect(menuText).toContain(TEST_ADMIN.email);
    expect(menuText).toContain('Admin');
    expect(menuText).toContain('all countries');
    expect(await menu.locator('a').allInnerTexts()).toEqual(['API tokens', 'Users', 'Audit log']);
    expect(await menu.locator('[data-testid="logout"]').isVisible()).toBe(true);

    const cookie = (await context.cookies()).find((c) => c.name === 'corridor_session');
    expect(cookie).toBeDefined();
    expect(cookie!.httpOnly).toBe(true);
    expect(cookie!.sameSite).toBe('Lax');
    sessionCookie = `${cookie!.name}=${cookie!.value}`;
    // Scripts see neither the cookie nor a stored token.
    const stored = await page.evaluate<{ cookie: string; local: number; session: number }>(
      '({ cookie: document.cookie, local: localStorage.length, session: sessionStorage.length })',
    );
    expect(stored).toEqual({ cookie: '', local: 0, session: 0 });
    await page.waitForLoadState('networkidle');
    await screenshot(page, 'logged-in-map');
  }, 120_000);

  it('lets the admin create a user on the users page, with the server’s messages under the fields', async () => {
    await page.locator('[data-testid="user-menu"] a', { hasText: 'Users' }).click();
    const table = page.locator('[data-testid="users-table"]');
    await table.waitFor({ timeout: 20_000 });
    expect(new URL(page.url()).pathname).toBe('/admin/users');
    expect(await table.locator(`tbody tr[data-email="${TEST_ADMIN.email}"]`).count()).toBe(1);

    const form = page.locator('[data-testid="user-create-form"]');
    await form.locator('input[name="email"]').fill('not-an-email');
    await form.locator('input[name="name"]').fill(CREATED.name);
    await form.locator('select[name="role"]').selectOption('analyst');
    await form.locator('input[name="scopes"]').fill('KEN, XXX');
    await form.locator('input[name="password"]').fill(CREATED.password);
    await form.locator('[data-testid="user-create"]').click();
    const emailError = form.locator('[data-testid="field-error"][data-field="email"]');
    await emailError.waitFor({ timeout: 20_000 });
    expect(await emailError.innerText()).toMatch(/not an email address/);
    const scopeError = form.locator('[data-testid="field-error"][data-field="scopes"]');
    expect(await scopeError.innerText()).toContain('XXX');
    expect(await form.locator('input[name="scopes"]').getAttribute('aria-invalid')).toBe('true');
    expect(await form.locator('[data-testid="form-summary"]').innerText()).toMatch(/Nothing was saved/);
    await screenshot(page, 'users-error');

    await form.locator('input[name="email"]').fill(CREATED.email);
    await form.locator('input[name="scopes"]').fill('KEN, UGA');
    await form.locator('[data-testid="user-create"]').click();
    const row = table.locator(`tbody tr[data-email="${CREATED.email}"]`);
    await row.waitFor({ timeout: 20_000 });
    expect(await row.getAttribute('data-role')).toBe('analyst');
    expect(await row.locator('[data-col="scopes"]').innerText()).toBe('KEN, UGA');
    expect(await row.getAttribute('data-status')).toBe('active');
    expect(await page.locator('[data-testid="save-notice"]').innerText()).toContain(CREATED.email);
    expect(await form.locator('[data-testid="field-error"]').count()).toBe(0);

    const users = await api<{ items: User[] }>('GET', '/api/users');
    created = users.body.items.find((u) => u.email === CREATED.email);
    expect(created).toMatchObject({ role: 'analyst', scopes: ['KEN', 'UGA'] });
    expect(await row.getAttribute('data-user-id')).toBe(created!.id);

    // Change the new user's role, then disable them.
    await row.locator('[data-testid="user-edit"]').click();
    const edit = page.locator('[data-testid="user-edit-form"]');
    await edit.waitFor({ timeout: 10_000 });
    await edit.locator('select[name="role"]').selectOption('data_entry');
    await edit.locator('input[name="disabled"]').check();
    await edit.locator('[data-testid="user-save"]').click();
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 20_000 }).toBe('disabled');
    expect(await row.getAttribute('data-role')).toBe('data_entry');
    const after = (await api<{ items: User[] }>('GET', '/api/users')).body.items.find((u) => u.email === CREATED.email);
    expect(after).toMatchObject({ role: 'data_entry', disabled: true });
    await screenshot(page, 'users');
  }, 90_000);

  it('shows that creation in the audit log, with the record after the change', async () => {
    await page.locator('[data-testid="user-menu"] a', { hasText: 'Audit log' }).click();
    const table = page.locator('[data-testid="audit-table"]');
    await table.waitFor({ timeout: 20_000 });
    expect(new URL(page.url()).pathname).toBe('/admin/audit');
    // The filters offer what the trail records (approvals, imports, … as they happen), not a list kept in the page.
    const facets = (await api<Record<'actions' | 'objectTypes', { value: string }[]>>('GET', '/api/audit/facets')).body;
    const offered = (name: string) =>
      page.locator(`[data-testid="audit-filters"] select[name="${name}"] option`).evaluateAll((os) => os.map((o) => o.getAttribute('value')).filter((v) => v));
    await expect.poll(() => offered('action'), { timeout: 20_000 }).toEqual(facets.actions.map((f) => f.value));
    expect(await offered('objectType')).toEqual(facets.objectTypes.map((f) => f.value));
    expect(facets.actions.map((f) => f.value)).toEqual(expect.arrayContaining(['create', 'login', 'role-change']));

    await page.locator('[data-testid="audit-filters"] select[name="objectType"]').selectOption('user');
    await page.locator('[data-testid="audit-filters"] select[name="action"]').selectOption('create');
    await page.locator('[data-testid="audit-apply"]').click();
    // Only user creations are listed (polled: the previous list stays on screen while the next loads).
    const kinds = () =>
      table
        .locator('tbody tr[data-entry-id]')
        .evaluateAll((rows) => [...new Set(rows.map((r) => `${r.getAttribute('data-object-type')}/${r.getAttribute('data-action')}`))]);
    await expect.poll(kinds, { timeout: 20_000 }).toEqual(['user/create']);
    const entry = table.locator(`tbody tr[data-object-id="${created!.id}"]`);
    await entry.waitFor({ timeout: 20_000 });
    expect(await entry.getAttribute('data-actor')).toBe(TEST_ADMIN.email);
    expect(await entry.innerText()).toContain(CREATED.email);
    expect(new URL(page.url()).searchParams.get('objectType')).toBe('user');

    await entry.locator('[data-testid="audit-expand"]').click();
    const detail = table.locator('[data-testid="audit-detail"]');
    await detail.waitFor({ timeout: 10_000 });
    const afterJson = JSON.parse(await detail.locator('[data-testid="audit-after"]').innerText()) as User;
    expect(afterJson).toMatchObject({ email: CREATED.email, role: 'analyst' });
    expect(await detail.locator('[data-testid="audit-before"]').count()).toBe(0);
    await screenshot(page, 'audit');

    // The role change is there too, with before and after.
    await page.locator('[data-testid="audit-filters"] select[name="action"]').selectOption('role-change');
    await page.locator('[data-testid="audit-apply"]').click();
    await expect.poll(kinds, { timeout: 20_000 }).toEqual(['user/role-change']);
    expect(await table.locator(`tbody tr[data-object-id="${created!.id}"]`).count()).toBe(1);
  }, 60_000);

  it('creates an API token that is shown once, works, and can be revoked', async () => {
    await page.locator('[data-testid="user-menu"] a', { hasText: 'API tokens' }).click();
    const form = page.locator('[data-testid="token-create-form"]');
    await form.waitFor({ timeout: 20_000 });
    await form.locator('input[name="name"]').fill('e2e script');
    await form.locator('[data-testid="token-create"]').click();
    const box = page.locator('[data-testid="new-token"]');
    await box.waitFor({ timeout: 20_000 });
    expect(await box.innerText()).toMatch(/shown only this once/);
    expect(await box.locator('[data-testid="copy-token"]').isVisible()).toBe(true);
    const token = await box.locator('[data-testid="new-token-value"]').inputValue();
    expect(token).toMatch(/^crd_/);
    await screenshot(page, 'tokens');

    const me = await fetch(`${server!.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: User }).user.email).toBe(TEST_ADMIN.email);

    const row = page.locator('[data-testid="tokens-table"] tbody tr', { hasText: 'e2e script' });
    await row.locator('[data-testid="token-revoke"]').click();
    await row.locator('[data-testid="token-revoke-confirm"]').click();
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 20_000 }).toBe('revoked');
    expect(await page.locator('[data-testid="new-token"]').count()).toBe(0);
    const refused = await fetch(`${server!.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(refused.status).toBe(401);
    // The secret is never shown again.
    await page.reload();
    await page.locator('[data-testid="tokens-table"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('main').innerText()).not.toContain(token);
  }, 60_000);

  it('refuses a viewer the users page, and shows them a site without edit buttons', async () => {
    const made = await api<User>('POST', '/api/users', { ...VIEWER, role: 'viewer', scopes: ['UGA'] });
    expect(made.status).toBe(201);
    const sites = await api<{ items: { id: string; name: string }[] }>('GET', '/api/sites?country=UGA&limit=1');
    expect(sites.body.items.length).toBe(1);
    const site = sites.body.items[0]!;

    const viewer = await browserAs(VIEWER, '/admin/users');
    const viewerProblems = watch(viewer.page);
    try {
      const refusal = viewer.page.locator('[data-testid="forbidden"]');
      await refusal.waitFor({ timeout: 20_000 });
      expect(await refusal.innerText()).toContain('You do not have access to this page (your role: viewer)');
      expect(await viewer.page.locator('[data-testid="users-table"]').count()).toBe(0);
      const menu = viewer.page.locator('[data-testid="user-menu"]');
      expect(await menu.innerText()).toContain(VIEWER.email);
      expect(await menu.innerText()).toContain('UGA');
      expect(await menu.locator('a').allInnerTexts()).toEqual(['API tokens']);
      await screenshot(viewer.page, 'forbidden');

      await viewer.page.goto(`${server!.url}/sites/${site.id}`);
      const profile = viewer.page.locator('[data-testid="site-profile"]');
      await profile.locator('[data-testid="populations-table"]').waitFor({ timeout: 30_000 });
      expect(await profile.locator('h1').innerText()).toContain(site.name);
      for (const button of ['site-edit', 'site-delete', 'populations-edit', 'services-edit']) {
        expect(await viewer.page.locator(`[data-testid="${button}"]`).count(), button).toBe(0);
      }
      await viewer.page.waitForLoadState('networkidle');
      await screenshot(viewer.page, 'site-profile-viewer');

      await viewer.page.locator('nav[aria-label="Main"] a', { hasText: 'Sites' }).click();
      await viewer.page.locator('[data-testid="sites-table"]').waitFor({ timeout: 20_000 });
      expect(await viewer.page.locator('[data-testid="site-new"]').count()).toBe(0);
      await viewer.page.waitForLoadState('networkidle');
      expect(viewerProblems.consoleErrors).toEqual([]);
      expect(viewerProblems.failedRequests).toEqual([]);
    } finally {
      await viewer.context.close();
    }
  }, 120_000);

  it('refuses a data-entry user the audit log, but lets them edit a site in their scope', async () => {
    const made = await api<User>('POST', '/api/users', { ...DATA_ENTRY, role: 'data_entry', scopes: ['KEN'] });
    expect(made.status).toBe(201);
    const sites = await api<{ items: { id: string }[] }>('GET', '/api/sites?country=KEN&limit=1');
    const site = sites.body.items[0]!;

    const entry = await browserAs(DATA_ENTRY, '/admin/audit');
    try {
      const refusal = entry.page.locator('[data-testid="forbidden"]');
      await refusal.waitFor({ timeout: 20_000 });
      expect(await refusal.innerText()).toContain('You do not have access to this page (your role: data entry)');
      expect(await entry.page.locator('[data-testid="audit-table"]').count()).toBe(0);

      await entry.page.goto(`${server!.url}/sites/${site.id}`);
      await entry.page.locator('[data-testid="site-profile"] [data-testid="populations-table"]').waitFor({ timeout: 30_000 });
      expect(await entry.page.locator('[data-testid="site-edit"]').isVisible()).toBe(true);
      expect(await entry.page.locator('[data-testid="populations-edit"]').isVisible()).toBe(true);
      await entry.page.waitForLoadState('networkidle');
    } finally {
      await entry.context.close();
    }
  }, 120_000);

  it('logs out back to the login page, after which /api/auth/me answers 401', async () => {
    await page.locator('[data-testid="logout"]').click();
    await page.waitForURL((u) => u.pathname === '/login', { timeout: 20_000 });
    await page.locator('[data-testid="login-form"]').waitFor({ timeout: 20_000 });
    // The reloaded app asks who is logged in; let it finish before leaving the page.
    await page.waitForLoadState('networkidle');
    expect((await context.cookies()).find((c) => c.name === 'corridor_session')).toBeUndefined();
    const status = await page.evaluate(async () => {
      const response = await fetch('/api/auth/me');
      await response.text(); // read to the end: a body cut short by the next navigation counts as a failed request
      return response.status;
    });
    expect(status).toBe(401);
    // The old cookie is worthless too: the server ended the session.
    const replay = await fetch(`${server!.url}/api/auth/me`, { headers: { cookie: sessionCookie } });
    expect(replay.status).toBe(401);
    // And the app's pages send the user back to the login page.
    await page.goto(`${server!.url}/sites`);
    await page.waitForURL((u) => u.pathname === '/login', { timeout: 20_000 });
    expect(new URL(page.url()).searchParams.get('next')).toBe('/sites');
  }, 60_000);

  it('tells the user how long to wait after too many failed logins', async () => {
    // Failures count per account: five for this one (over HTTP), then the form is refused.
    const victim = 'locked@test.org';
    for (let i = 0; i < 5; i++) {
      const r = await fetch(`${server!.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: victim, password: `wrong ${i}` }),
      });
      expect(r.status).toBe(401);
    }
    await submitLogin(page, { email: victim, password: 'wrong again' });
    const error = page.locator('[data-testid="login-error"]');
    await error.waitFor({ timeout: 20_000 });
    expect(await error.getAttribute('data-kind')).toBe('rate-limited');
    const text = await error.innerText();
    expect(text).toMatch(/Too many failed logins/);
    const seconds = Number(/(\d+) seconds/.exec(text)?.[1]);
    expect(seconds).toBeGreaterThan(60);
    expect(seconds).toBeLessThanOrEqual(900);
    expect(await page.locator('[data-testid="login-submit"]').isDisabled()).toBe(true);
    await screenshot(page, 'login-rate-limited');
  }, 60_000);

  it('produced no console errors and no failed requests besides the expected refusals', () => {
    const path = (url: string) => new URL(url).pathname;
    const expected = (method: string, url: string, status: number | null) =>
      (method === 'GET' && path(url) === '/api/auth/me' && status === 401) || // not logged in (at start, after logout)
      (method === 'POST' && path(url) === '/api/auth/login' && (status === 401 || status === 429)) || // wrong password, rate limited
      (method === 'POST' && path(url) === '/api/users' && status === 400); // the deliberately invalid new user
    const unexpected = problems.failedRequests.filter((r) => !expected(r.method, r.url, r.status));
    expect(unexpected).toEqual([]);
    expect(problems.failedRequests.filter((r) => path(r.url) === '/api/users').length).toBe(1);
    // Chrome logs each 4xx answer as a console error naming its URL.
    const unexpectedConsole = problems.consoleErrors.filter((e) => !(/status of (400|401|429)/.test(e.text) && e.url.includes('/api/')));
    expect(unexpectedConsole).toEqual([]);
  });
});
