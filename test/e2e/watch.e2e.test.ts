import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, watch } from './browser.js';

/**
 * The browser tests' watcher (test/e2e/browser.ts) ignores reads cut short by a navigation, which
 * made the monitoring test fail under load, and still reports real failures. Served by Playwright's
 * request routing, so no server is needed.
 */
const ORIGIN = 'http://corridor.test';

describe('the browser tests’ watch of failed requests', () => {
  let browser: Browser | undefined;
  let page: Page;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage();
    await page.route(`${ORIGIN}/**`, async (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/slow' || path === '/slow-write') return; // never answered: cut short by what follows
      if (path === '/refused') return route.abort('connectionrefused');
      if (path === '/missing') return route.fulfill({ status: 404, body: 'no' });
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>t</title>' });
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('ignores a read cut short by a navigation but reports refused connections, HTTP errors and cut-short writes', async () => {
    const problems = watch(page);
    await page.goto(`${ORIGIN}/one`);
    await page.evaluate(() => {
      void fetch('/slow').catch(() => undefined);
      void fetch('/slow-write', { method: 'POST', body: 'x' }).catch(() => undefined);
      void fetch('/refused').catch(() => undefined);
      void fetch('/missing').catch(() => undefined);
    });
    await expect.poll(() => problems.failedRequests.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    // Leaving the page cuts /slow and /slow-write short.
    await page.goto(`${ORIGIN}/two`);
    await expect.poll(() => problems.abortedReads.length + problems.failedRequests.length, { timeout: 10_000 }).toBe(4);
    expect(problems.abortedReads).toEqual([{ method: 'GET', url: `${ORIGIN}/slow` }]);
    expect(problems.failedRequests.map((r) => `${r.method} ${new URL(r.url).pathname} ${r.status ?? r.text}`).sort()).toEqual([
      'GET /missing 404',
      'GET /refused net::ERR_CONNECTION_REFUSED',
      'POST /slow-write net::ERR_ABORTED',
    ]);
  }, 60_000);
});
