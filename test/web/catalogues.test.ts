import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { untranslatedLiterals } from '../../scripts/i18n-literals.js';

// The web app's message catalogues: every language has every key of every namespace, no value is
// empty, both sides use the same {{placeholders}}, and no user-facing text is left in the code.

const LOCALES = join(import.meta.dirname, '..', '..', 'web', 'src', 'locales');
type Tree = { [k: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else for (const [kk, vv] of flatten(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}

const languages = readdirSync(LOCALES);
const catalogue = (lang: string, ns: string) => flatten(JSON.parse(readFileSync(join(LOCALES, lang, `${ns}.json`), 'utf8')) as Tree);
const placeholders = (s: string) => [...s.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]).sort();

describe('web message catalogues', () => {
  it('has English and French with the same namespaces', () => {
    expect(languages.sort()).toEqual(['en', 'fr']);
    expect(readdirSync(join(LOCALES, 'fr')).sort()).toEqual(readdirSync(join(LOCALES, 'en')).sort());
  });

  for (const ns of readdirSync(join(LOCALES, 'en')).map((f) => f.replace(/\.json$/, ''))) {
    it(`${ns}: French has exactly the English keys, none empty, same placeholders`, () => {
      const en = catalogue('en', ns);
      const fr = catalogue('fr', ns);
      expect(
        [...fr.keys()].filter((k) => !en.has(k)),
        'keys only in French',
      ).toEqual([]);
      expect(
        [...en.keys()].filter((k) => !fr.has(k)),
        'keys missing in French',
      ).toEqual([]);
      for (const [lang, cat] of [
        ['en', en],
        ['fr', fr],
      ] as const) {
        expect(
          [...cat].filter(([, v]) => v.trim() === '').map(([k]) => k),
          `empty in ${lang}`,
        ).toEqual([]);
      }
      expect(
        [...en].filter(([k, v]) => placeholders(v).join() !== placeholders(fr.get(k) ?? '').join()).map(([k]) => k),
        'placeholders differ',
      ).toEqual([]);
    });
  }

  it('leaves no user-facing text in the pages outside the catalogues', () => {
    const found = untranslatedLiterals(join(import.meta.dirname, '..', '..', 'web', 'src'));
    expect(found.map((l) => `${l.file}:${l.line}: ${l.text}`)).toEqual([]);
  });

  it('the check finds text that is not in a catalogue', () => {
    const found = untranslatedLiterals(join(import.meta.dirname, 'fixtures'));
    expect(found.map((l) => l.text).sort()).toEqual(['Delete site', 'Saving…', 'Sites', 'Type a name', 'of … sites'].sort());
  });
});
