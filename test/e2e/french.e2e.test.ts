import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';
import { login, startServer, type RunningServer } from '../support/server.js';
import { CHROMIUM, CHROMIUM_ARGS, VIEWPORT, logInThroughPage, screenshot } from './browser.js';

// A French user's walk through the main pages (issue 11): with the browser in French, every page
// is in French — no text of the English catalogues is left on screen — the document says
// lang="fr", and a language chosen with the switch is remembered.

const LOCALES = join(ROOT, 'web', 'src', 'locales');
type Tree = { [k: string]: string | Tree };

function strings(tree: Tree): string[] {
  return Object.values(tree).flatMap((v) => (typeof v === 'string' ? [v] : strings(v)));
}
function catalogue(lang: string): string[] {
  return readdirSync(join(LOCALES, lang)).flatMap((f) => strings(JSON.parse(readFileSync(join(LOCALES, lang, f), 'utf8')) as Tree));
}

/**
 * The English text that must not be seen in French: each English catalogue string cut at its
 * {{placeholders}} and tags, keeping the pieces of at least two words and ten characters that no
 * French string contains (so "Sites", "Code" or a dataset's published title, the same in both
 * languages, are not counted).
 */
function englishPieces(): string[] {
  const french = catalogue('fr');
  const pieces = new Set<string>();
  for (const s of catalogue('en')) {
    for (const raw of s.split(/\{\{[^}]*\}\}|<\/?\d+>|\$t\([^)]*\)/)) {
      const piece = raw.trim().replace(/^[\s,.;:()–—-]+|[\s,.;:()–—-]+$/g, '');
      if (piece.length < 10 || !/\p{L}+\s+\p{L}+/u.test(piece)) continue;
      if (french.some((f) => f.includes(piece))) continue;
      pieces.add(piece);
    }
  }
  return [...pieces];
}

describe('the web app in French (browser, real server)', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let pieces: string[];
  const paths: string[] = [
    '/',
    '/sites',
    '/projects',
    '/policies',
    '/monitoring',
    '/monitoring/entry',
    '/monitoring/quality',
    '/monitoring/metadata',
    '/about',
    '/account/tokens',
    '/admin/users',
    '/admin/audit',
  ];

  beforeAll(async () => {
    pieces = englishPieces();
    server = await startServer();
    const auth = await login(server.url);
    const get = async <T>(p: string) => (await (await fetch(`${server!.url}${p}`, { headers: { cookie: auth.cookie } })).json()) as T;
    const sites = await get<{ items: { id: string }[] }>('/api/sites?limit=1');
    paths.splice(2, 0, `/sites/${sites.items[0]!.id}`);
    const corridors = await get<{ id: string }[] | { items: { id: string }[] }>('/api/corridors');
    const corridor = (Array.isArray(corridors) ? corridors : corridors.items)[0];
    paths.push('/corridors', ...(corridor ? [`/corridors/${corridor.id}`] : []));
    const project = (await get<{ items: { id: string }[] }>('/api/projects?limit=1')).items[0];
    const policy = (await get<{ items: { id: string }[] }>('/api/policies?limit=1')).items[0];
    paths.push('/projects/new', '/policies/new', ...(project ? [`/projects/${project.id}`] : []), ...(policy ? [`/policies/${policy.id}`] : []));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: VIEWPORT, locale: 'fr-FR' });
    await logInThroughPage(context, server.url);
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /**
   * The text a user sees or hears on the page: visible text, and titles, labels and placeholders.
   * Records quoted as they were entered (citations, published sources, marked translate="no") are
   * data in their own language, not the app's words, and are left out.
   */
  async function shownText(): Promise<string> {
    // As text: these tests compile without the DOM's types.
    return page.evaluate<string>(`(() => {
      let body = document.body.innerText;
      for (const el of document.querySelectorAll('[translate="no"]')) if (el.innerText) body = body.split(el.innerText).join(' ');
      const out = [body, document.title];
      for (const el of document.querySelectorAll('[title],[aria-label],[placeholder],[alt]')) {
        for (const a of ['title', 'aria-label', 'placeholder', 'alt']) {
          const v = el.getAttribute(a);
          if (v) out.push(v);
        }
      }
      return out.join('\\n');
    })()`);
  }

  async function settle(): Promise<void> {
    await page.waitForLoadState('networkidle');
    await page.locator('main .spinner').first().waitFor({ state: 'detached', timeout: 60_000 });
  }

  it('finds English pieces to look for (the check can fail)', () => {
    expect(pieces.length).toBeGreaterThan(200);
    expect(pieces).toContain('Could not load');
  });

  it('shows the login page in French before anyone logs in', async () => {
    const anonymous = await browser!.newContext({ viewport: VIEWPORT, locale: 'fr-FR' });
    const p = await anonymous.newPage();
    await p.goto(`${server!.url}/login`);
    await p.locator('[data-testid="login-form"]').waitFor();
    expect(await p.locator('html').getAttribute('lang')).toBe('fr');
    const text = await p.locator('body').innerText();
    expect(pieces.filter((s) => text.includes(s))).toEqual([]);
    await anonymous.close();
  });

  it('walks the main pages with no English left', async () => {
    const found: Record<string, string[]> = {};
    for (const path of paths) {
      await page.goto(`${server!.url}${path}`);
      await page.locator('main').first().waitFor();
      await settle();
      expect(await page.locator('html').getAttribute('lang'), path).toBe('fr');
      const text = await shownText();
      const english = pieces.filter((s) => text.includes(s));
      if (english.length > 0) {
        found[path] = english;
        await screenshot(page, `french${path.replace(/\//g, '-')}`);
      }
    }
    expect(found).toEqual({});
  });

  it("remembers the language chosen with the switch, over the browser's", async () => {
    await page.goto(`${server!.url}/about`);
    await settle();
    // The switch can be read: its text is not the colour of its box (it was white on white).
    const colours = await page.evaluate<[string, string]>(
      '(() => { const s = getComputedStyle(document.querySelector(".language-switch select")); return [s.color, s.backgroundColor]; })()',
    );
    expect(colours[0]).not.toBe(colours[1]);
    expect(colours[0]).not.toBe('rgb(255, 255, 255)');
    await page.locator('.language-switch select').selectOption('en');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    await page.reload();
    await settle();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('nav.site-nav').innerText()).toContain('Map');
    await page.locator('.language-switch select').selectOption('fr');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('fr');
    await page.reload();
    await settle();
    expect(await page.locator('nav.site-nav').innerText()).toContain('Carte');
  });
});
