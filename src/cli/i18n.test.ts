import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CATALOGUES, chooseLanguage, LANGUAGES } from './i18n.js';

const CLI_DIR = path.dirname(fileURLToPath(import.meta.url));

/** The catalogue as `key → text`, nested keys joined by dots. */
function flatten(o: object, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(o)) {
    if (v && typeof v === 'object') for (const [kk, vv] of flatten(v as object, `${prefix}${k}.`)) out.set(kk, vv);
    else out.set(`${prefix}${k}`, v);
  }
  return out;
}

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();

/** Problems of a set of catalogues: keys missing in one language, empty texts, placeholders that differ. */
export function catalogueProblems(catalogues: Record<string, object>): string[] {
  const flat = Object.entries(catalogues).map(([lang, c]) => [lang, flatten(c)] as const);
  const keys = new Set(flat.flatMap(([, f]) => [...f.keys()]));
  const problems: string[] = [];
  for (const key of keys) {
    const texts = flat.map(([lang, f]) => [lang, f.get(key)] as const);
    for (const [lang, text] of texts) {
      if (text === undefined) problems.push(`${lang}: missing ${key}`);
      else if (typeof text !== 'string' || text.trim() === '') problems.push(`${lang}: empty ${key}`);
    }
    const shapes = new Set(texts.filter(([, x]) => typeof x === 'string').map(([, x]) => placeholders(x as string).join(',')));
    if (shapes.size > 1) problems.push(`${key}: the languages fill in different values`);
  }
  return problems;
}

describe('CLI catalogues', () => {
  it('hold the same keys, none empty, with the same placeholders, in every language', () => {
    expect(Object.keys(CATALOGUES).sort()).toEqual([...LANGUAGES].sort());
    expect(catalogueProblems(CATALOGUES)).toEqual([]);
  });
  it('finds a key missing in one language, an empty text and a lost placeholder', () => {
    const en = { a: { b: 'one {{n}}', c: 'two' } };
    expect(catalogueProblems({ en, fr: { a: { b: 'un {{n}}' } } })).toEqual(['fr: missing a.c']);
    expect(catalogueProblems({ en, fr: { a: { b: 'un {{n}}', c: ' ' } } })).toEqual(['fr: empty a.c']);
    expect(catalogueProblems({ en, fr: { a: { b: 'un', c: 'deux' } } })).toEqual(['a.b: the languages fill in different values']);
  });
});

// ------------------------------------------------------------------ no text outside the catalogues

/**
 * Calls whose argument is text for people, and which argument: a command's description, an
 * option's help, printed lines, table headers, progress labels, the CLI's own error messages.
 */
const TEXT_CALLS: [RegExp, number][] = [
  [/\.description\(/g, 0],
  [/\.(?:option|requiredOption)\(/g, 1],
  [/new Option\(/g, 1],
  [/\.helpOption\(/g, 1],
  [/\.helpCommand\(/g, 1],
  [/\.version\(/g, 2],
  [/\bconsole\.(?:log|error|warn|info)\(/g, 0],
  [/\bprintTable\(/g, 0],
  [/\bprogress\(/g, 0],
  [/new AppError\(/g, 1],
  [/new InvalidArgumentError\(/g, 0],
];

/** The top-level arguments of the call whose `(` is at `open`, as source text. */
function argumentsAt(src: string, open: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let k = open; k < src.length; k++) {
    const c = src[k]!;
    if (c === "'" || c === '"' || c === '`') {
      k = skipString(src, k);
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) {
        args.push(src.slice(start, k).trim());
        return args;
      }
    } else if (c === ',' && depth === 1) {
      args.push(src.slice(start, k).trim());
      start = k + 1;
    }
  }
  return args;
}

/** The index of the closing quote of the string literal opening at `k` (template `${…}` included). */
function skipString(src: string, k: number): number {
  const quote = src[k]!;
  for (let j = k + 1; j < src.length; j++) {
    if (src[j] === '\\') j++;
    else if (quote === '`' && src[j] === '$' && src[j + 1] === '{') {
      let depth = 0;
      for (j++; j < src.length; j++) {
        if (src[j] === '{') depth++;
        else if (src[j] === '}' && --depth === 0) break;
        else if (src[j] === "'" || src[j] === '"' || src[j] === '`') j = skipString(src, j);
      }
    } else if (src[j] === quote) return j;
  }
  return src.length;
}

/** The words of the string literals in an argument, outside `t(…)` calls and `${…}`: text that did not come from a catalogue. */
function literalWords(arg: string): string[] {
  let rest = arg;
  for (let at = rest.search(/\bt\(/); at >= 0; at = rest.search(/\bt\(/)) {
    const call = argumentsAt(rest, at + 1);
    const end = at + 2 + call.join(',').length + (call.length - 1);
    rest = rest.slice(0, at) + rest.slice(rest.indexOf(')', end) + 1);
  }
  const words: string[] = [];
  for (let k = 0; k < rest.length; k++) {
    const c = rest[k]!;
    if (c !== "'" && c !== '"' && c !== '`') continue;
    const end = skipString(rest, k);
    const body = rest.slice(k + 1, end).replace(/\$\{[^}]*\}/g, '');
    if (/[A-Za-z]{2,}/.test(body)) words.push(rest.slice(k, end + 1));
    k = end;
  }
  return words;
}

/** Text for people written into CLI source instead of a catalogue: `file:line: literal`. */
export function untranslated(src: string, file: string): string[] {
  const found: string[] = [];
  for (const [pattern, index] of TEXT_CALLS) {
    for (const m of src.matchAll(pattern)) {
      const open = m.index + m[0].length - 1;
      const arg = argumentsAt(src, open)[index];
      if (!arg) continue;
      for (const literal of literalWords(arg)) found.push(`${file}:${src.slice(0, m.index).split('\n').length}: ${literal}`);
    }
  }
  return found;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

describe('CLI text', () => {
  it('comes from the catalogues: no description, option help, printed line, header or error of src/cli is a literal', () => {
    const files = sources(CLI_DIR);
    expect(files.length).toBeGreaterThan(8);
    expect(files.flatMap((f) => untranslated(readFileSync(f, 'utf8'), path.relative(CLI_DIR, f)))).toEqual([]);
  });
  it('finds a planted literal (and lets catalogue calls, flags and data through)', () => {
    const planted = [
      "cmd.command('x').description('list places')",
      ".option('--level <level>', 'country or site')",
      'console.log(`${file}: ${n} sites created`);',
      "printTable(['CODE', t('places.headName')], rows);",
      "throw new AppError('BAD_REQUEST', `--server must be an http(s) URL`);",
    ].join('\n');
    expect(untranslated(planted, 'planted.ts')).toEqual([
      "planted.ts:1: 'list places'",
      "planted.ts:2: 'country or site'",
      'planted.ts:3: `${file}: ${n} sites created`',
      "planted.ts:4: 'CODE'",
      'planted.ts:5: `--server must be an http(s) URL`',
    ]);
    const clean = [
      ".description(t('places.list'))",
      ".option('--level <level>', t('places.level'))",
      "console.log(`\\n${t('model.results', { file: 'x.json' })}`);",
      'console.log(JSON.stringify(value));',
      "new Option('--format <format>', t('sites.format')).choices(['geojson', 'csv'])",
    ].join('\n');
    expect(untranslated(clean, 'clean.ts')).toEqual([]);
  });
});

describe('language choice', () => {
  it('is --lang, else CORRIDOR_LANG, else LC_ALL, LC_MESSAGES, LANG (fr_* is French), else English', () => {
    expect(chooseLanguage(['--lang', 'fr'], { LANG: 'en_GB.UTF-8' })).toBe('fr');
    expect(chooseLanguage(['places', 'list', '--lang=en'], { CORRIDOR_LANG: 'fr' })).toBe('en');
    expect(chooseLanguage([], { CORRIDOR_LANG: 'fr', LANG: 'en_US.UTF-8' })).toBe('fr');
    expect(chooseLanguage([], { CORRIDOR_LANG: 'fr_CD.UTF-8' })).toBe('fr');
    expect(chooseLanguage([], { LANG: 'fr_FR.UTF-8' })).toBe('fr');
    expect(chooseLanguage([], { LC_MESSAGES: 'fr_BE', LANG: 'en_US' })).toBe('fr');
    expect(chooseLanguage([], { LC_ALL: 'C', LANG: 'fr_FR.UTF-8' })).toBe('en');
    expect(chooseLanguage([], { LANG: 'fra' })).toBe('en');
    expect(chooseLanguage([], {})).toBe('en');
    expect(chooseLanguage(['--', '--lang', 'fr'], {})).toBe('en');
  });
});
