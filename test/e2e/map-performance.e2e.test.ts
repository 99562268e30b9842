import { mkdir, writeFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startServer, type RunningServer } from '../support/server.js';
import { CHROMIUM, CHROMIUM_ARGS, RESULTS, VIEWPORT } from './browser.js';

/**
 * Measures the first map render as a visitor's browser sees it, and reports it (a JSON line on
 * the console and test-results/map-performance.json). It asserts no time: the machine's load
 * decides those figures. It asserts what makes them small: the country boundaries come from the
 * browser's cache on the next visit, the web assets are cached for good and index.html is not,
 * and the world view gets the simplified geometry.
 */

/**
 * Run in the page before its own scripts (as text: these tests compile without the DOM's types).
 * It notes `performance.now()` (milliseconds since navigation start) when the world map first
 * holds 100 country paths, Kenya's shaded with a value, in `window.__firstShadedMap`.
 */
const WATCH_FIRST_RENDER = `(() => {
  const check = () => {
    if (window.__firstShadedMap !== undefined) return;
    const paths = document.querySelectorAll('[data-testid="world-map"] path[data-code]');
    const kenya = document.querySelector('[data-testid="world-map"] path[data-code="KEN"]');
    if (paths.length >= 100 && kenya && kenya.getAttribute('data-value')) {
      window.__firstShadedMap = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-value'] });
})();`;

/** What the page's scripts see of the browser here (these tests compile without the DOM's types). */
interface PageGlobals {
  __firstShadedMap?: number;
  performance: { getEntriesByType(type: 'resource'): Resource[] };
}

interface Resource {
  name: string;
  transferSize: number;
  encodedBodySize: number;
  decodedBodySize: number;
}

interface Visit {
  firstShadedMapMs: number;
  boundaries: Resource & { status: number | null; url: string };
  scripts: { transferSize: number; decodedBodySize: number; files: number };
}

const isBoundaries = (url: string) => {
  const u = new URL(url);
  return u.pathname === '/api/places' && u.searchParams.get('level') === 'country' && u.searchParams.get('format') === 'geojson';
};

/** Opens / on a new page of `context` and measures it. */
async function visit(context: BrowserContext, url: string): Promise<Visit> {
  const page: Page = await context.newPage();
  const statuses = new Map<string, number>();
  page.on('response', (r) => {
    if (isBoundaries(r.url())) statuses.set(r.url(), r.status());
  });
  await page.goto(`${url}/`);
  // Functions, not strings: the app's Content-Security-Policy forbids evaluating strings.
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__firstShadedMap !== undefined, undefined, { timeout: 90_000 });
  const firstShadedMapMs = await page.evaluate(() => (globalThis as unknown as PageGlobals).__firstShadedMap!);
  const resources = await page.evaluate(() =>
    (globalThis as unknown as PageGlobals).performance.getEntriesByType('resource').map((e) => ({
      name: e.name,
      transferSize: e.transferSize,
      encodedBodySize: e.encodedBodySize,
      decodedBodySize: e.decodedBodySize,
    })),
  );
  await page.close();
  const boundaries = resources.find((r) => isBoundaries(r.name));
  if (!boundaries) throw new Error(`the page fetched no country boundaries; it fetched ${resources.map((r) => r.name).join(', ')}`);
  const scripts = resources.filter((r) => new URL(r.name).pathname.endsWith('.js'));
  return {
    firstShadedMapMs: Math.round(firstShadedMapMs),
    boundaries: { ...boundaries, url: boundaries.name, status: statuses.get(boundaries.name) ?? null },
    scripts: {
      transferSize: scripts.reduce((s, r) => s + r.transferSize, 0),
      decodedBodySize: scripts.reduce((s, r) => s + r.decodedBodySize, 0),
      files: scripts.length,
    },
  };
}

interface Collection {
  features: { id: string; geometry: { type: string; coordinates: unknown } | null }[];
}

/** The number of positions of every ring of a GeoJSON feature collection of (multi)polygons. */
function ringSizes(collection: Collection): number[] {
  const sizes: number[] = [];
  for (const f of collection.features) {
    if (!f.geometry) continue;
    const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates as number[][][]] : (f.geometry.coordinates as number[][][][]);
    for (const polygon of polygons) for (const ring of polygon) sizes.push(ring.length);
  }
  return sizes;
}

describe('first map render and the caching of its data (browser, real server)', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let first: Visit;
  let second: Visit;

  beforeAll(async () => {
    server = await startServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    // A fresh context whose first page is the map: logged in through the API and given the
    // session cookie, so that nothing of the app is in its cache before the first visit.
    context = await browser.newContext({ viewport: VIEWPORT });
    const { cookie } = await login(server.url);
    const [name, value] = cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: server.url, httpOnly: true, sameSite: 'Lax' }]);
    await context.addInitScript({ content: WATCH_FIRST_RENDER });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  }, 60_000);

  it('measures the first visit and a second one in the same browser, and reports both', async () => {
    first = await visit(context, server!.url);
    second = await visit(context, server!.url);
    const report = { test: 'map-performance', first, second };
    console.log(JSON.stringify(report));
    await mkdir(RESULTS, { recursive: true });
    await writeFile(`${RESULTS}map-performance.json`, `${JSON.stringify(report, null, 2)}\n`);

    // The first visit downloaded the boundaries and the scripts.
    expect(first.boundaries.transferSize).toBeGreaterThan(first.boundaries.encodedBodySize);
    expect(first.boundaries.decodedBodySize).toBeGreaterThan(100_000);
    expect(first.scripts.files).toBeGreaterThan(0);
    expect(first.scripts.transferSize).toBeGreaterThan(0);
  }, 180_000);

  it('revalidates the country boundaries on the second visit instead of downloading them again', () => {
    // A 304 carries headers only (transferSize a few hundred bytes); a fresh download carries the body.
    expect(second.boundaries.decodedBodySize).toBe(first.boundaries.decodedBodySize);
    expect(second.boundaries.transferSize).toBeLessThan(2_000);
    expect(second.boundaries.transferSize).toBeLessThan(first.boundaries.encodedBodySize / 10);
    // (Chromium reports the revalidated answer as the cached 200; the bytes tell the 304.)
  });

  it('serves the content-hashed scripts from the cache without asking, and index.html revalidated', async () => {
    // Immutable assets: no request at all on the second visit (transferSize 0: from the cache).
    expect(second.scripts.files).toBe(first.scripts.files);
    expect(second.scripts.transferSize).toBe(0);
    const index = await fetch(`${server!.url}/`);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const asset = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(await index.text())?.[1];
    expect(asset).toBeDefined();
    // Each body is read to its end: a response left unread keeps its connection open, and the
    // server then waits for it when it stops.
    const script = await fetch(`${server!.url}${asset!}`);
    await script.arrayBuffer();
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // An app path falls back to index.html, which is never kept without asking either.
    const about = await fetch(`${server!.url}/about`);
    await about.text();
    expect(about.headers.get('cache-control')).toBe('no-cache');
  });

  it('draws the world view from the simplified geometry, which keeps every ring a ring', async () => {
    const worldUrl = new URL(first.boundaries.url);
    expect(worldUrl.searchParams.get('detail')).toBe('world');
    const { cookie } = await login(server!.url);
    const get = async (query: string) => {
      const res = await fetch(`${server!.url}/api/places?${query}`, { headers: { cookie } });
      expect(res.status).toBe(200);
      return { bytes: Buffer.byteLength(await res.clone().text()), body: (await res.json()) as Collection };
    };
    const world = await get(worldUrl.searchParams.toString());
    const full = await get('level=country&format=geojson');
    const worldRings = ringSizes(world.body);
    const fullRings = ringSizes(full.body);
    const positions = (sizes: number[]) => sizes.reduce((s, n) => s + n, 0);
    console.log(
      JSON.stringify({
        test: 'map-geometry',
        worldBytes: world.bytes,
        fullBytes: full.bytes,
        worldPositions: positions(worldRings),
        fullPositions: positions(fullRings),
        worldRings: worldRings.length,
        fullRings: fullRings.length,
      }),
    );
    // Every country is still there, with fewer positions overall and no ring below 4 positions.
    expect(world.body.features.map((f) => f.id).sort()).toEqual(full.body.features.map((f) => f.id).sort());
    expect(positions(worldRings)).toBeLessThan(positions(fullRings) / 2);
    expect(world.bytes).toBeLessThan(full.bytes / 2);
    expect(Math.min(...worldRings)).toBeGreaterThanOrEqual(4);
  });
});
