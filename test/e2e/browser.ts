import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { TEST_ADMIN, apiAs, login, startServer, type RunningServer } from '../support/server.js';

// Browsers cannot be downloaded here: drive the system's Chromium.
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const RESULTS = fileURLToPath(new URL('../../test-results/', import.meta.url));
export const VIEWPORT = { width: 1400, height: 1000 };

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(RESULTS, { recursive: true });
  await page.screenshot({ path: `${RESULTS}${name}.png`, fullPage: true });
}

/** Fills and sends the login form of the page it is on. */
export async function submitLogin(page: Page, who: { email: string; password: string }): Promise<void> {
  const form = page.locator('[data-testid="login-form"]');
  await form.waitFor({ timeout: 30_000 });
  await form.locator('input[name="email"]').fill(who.email);
  await form.locator('input[name="password"]').fill(who.password);
  await form.locator('button[type="submit"]').click();
}

/**
 * Logs a browser context in through the login page, as a person would, on a page of its own that
 * is closed afterwards (so that the pages under test see no anonymous 401 from before the login).
 * It lands on the light about page rather than the map.
 */
export async function logInThroughPage(context: BrowserContext, url: string, who: { email: string; password: string } = TEST_ADMIN): Promise<void> {
  const page = await context.newPage();
  await page.goto(`${url}/login?next=${encodeURIComponent('/about')}`);
  await submitLogin(page, who);
  await page.waitForURL((u) => u.pathname === '/about', { timeout: 30_000 });
  await page.locator('[data-testid="user-menu"]').waitFor({ timeout: 30_000 });
  await page.waitForLoadState('networkidle');
  await page.close();
}

/** Console errors and HTTP failures of a page, as the tests check them at the end. */
export interface PageProblems {
  consoleErrors: { text: string; url: string }[];
  failedRequests: { method: string; url: string; status: number | null; text: string }[];
  /** Reads the browser gave up (net::ERR_ABORTED): not failures, kept to explain a test's log. */
  abortedReads: { method: string; url: string }[];
}

/**
 * True for a read the browser itself cancelled: a GET ended by net::ERR_ABORTED, which Chromium
 * reports when a navigation (a reload, a link, the app's own route change) leaves the page before
 * the answer came, or when the app aborts a request it no longer needs. Nothing is lost by either.
 * A write cut short, and every other network error (refused, reset, empty answer), still counts.
 */
export function isAbortedRead(method: string, errorText: string): boolean {
  return (method === 'GET' || method === 'HEAD') && errorText === 'net::ERR_ABORTED';
}

export function watch(page: Page): PageProblems {
  const problems: PageProblems = { consoleErrors: [], failedRequests: [], abortedReads: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push({ text: message.text(), url: message.location().url });
  });
  page.on('pageerror', (error) => problems.consoleErrors.push({ text: `uncaught: ${error.message}`, url: '' }));
  page.on('requestfailed', (request) => {
    const text = request.failure()?.errorText ?? 'failed';
    if (isAbortedRead(request.method(), text)) problems.abortedReads.push({ method: request.method(), url: request.url() });
    else problems.failedRequests.push({ method: request.method(), url: request.url(), status: null, text });
  });
  page.on('response', (response) => {
    if (response.status() >= 400) {
      problems.failedRequests.push({ method: response.request().method(), url: response.url(), status: response.status(), text: `HTTP ${response.status()}` });
    }
  });
  return problems;
}

/** A server with the demo world, the admin's API caller, and a browser with a page logged in as the admin. */
export interface AdminSession {
  server: RunningServer;
  call: ReturnType<typeof apiAs>;
  browser: Browser;
  page: Page;
  /** A new page (in a context of its own) logged in as someone else. */
  pageAs(who: { email: string; password: string }): Promise<Page>;
  stop(): Promise<void>;
}

/** Starts the server and a browser logged in as the admin, in English; confirm dialogs are accepted. */
export async function adminSession(): Promise<AdminSession> {
  const server = await startServer();
  const call = apiAs(server.url, await login(server.url));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const newPage = async (who: { email: string; password: string }) => {
    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-GB' });
    await logInThroughPage(context, server.url, who);
    const page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    return page;
  };
  const page = await newPage(TEST_ADMIN);
  return {
    server,
    call,
    browser,
    page,
    pageAs: newPage,
    async stop() {
      await browser.close();
      await server.stop();
    },
  };
}
