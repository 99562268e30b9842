import i18next from 'i18next';
import en from './locales/en.json' with { type: 'json' };
import fr from './locales/fr.json' with { type: 'json' };

/**
 * The CLI's words, in English and French (src/cli/locales/*.json, loaded with i18next). The
 * language is chosen once, before the commands are built (their help is text too): `--lang en|fr`,
 * else CORRIDOR_LANG, else the POSIX locale (LC_ALL, LC_MESSAGES, LANG: fr_* is French), else
 * English. Numbers and dates for people follow the language; `--json` output never does.
 */
export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

type Catalogue = typeof en;
export const CATALOGUES: Record<Language, Catalogue> = { en, fr };

/** Every key of the English catalogue (plural forms `x_one`/`x_other` as `x`, which takes `count`). */
type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];
type Plain<K extends string> = K extends `${infer B}_${'one' | 'other'}` ? B : K;
export type MessageKey = Plain<Leaves<Catalogue>>;

const isLanguage = (v: string | undefined): v is Language => (LANGUAGES as readonly string[]).includes(v ?? '');

/**
 * The language of this run: `--lang` (or `--lang=`) on the command line, else CORRIDOR_LANG
 * (en, fr, or a locale such as fr_FR.UTF-8), else the first of LC_ALL, LC_MESSAGES and LANG that is
 * set (as POSIX ranks them: fr_* and fr are French, anything else English), else English.
 */
export function chooseLanguage(argv: readonly string[], env: NodeJS.ProcessEnv): Language {
  for (let k = 0; k < argv.length && argv[k] !== '--'; k++) {
    const a = argv[k]!;
    const value = a === '--lang' ? argv[k + 1] : a.startsWith('--lang=') ? a.slice('--lang='.length) : undefined;
    if (isLanguage(value)) return value;
  }
  const fromLocale = (v: string) => (/^fr([_.@-]|$)/i.test(v) ? 'fr' : 'en');
  const wanted = env.CORRIDOR_LANG?.trim();
  if (wanted) return isLanguage(wanted.toLowerCase()) ? (wanted.toLowerCase() as Language) : fromLocale(wanted);
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG']) {
    const v = env[name]?.trim();
    if (v) return fromLocale(v);
  }
  return 'en';
}

const i18n = i18next.createInstance();
void i18n.init({
  lng: 'en',
  fallbackLng: false,
  supportedLngs: [...LANGUAGES],
  resources: { en: { translation: en }, fr: { translation: fr } },
  initAsync: false,
  returnNull: false,
  interpolation: { escapeValue: false },
});

let current: Language = 'en';

/** Switches the CLI's language (before `buildProgram`, so that help is in it too). */
export function setLanguage(lang: Language): void {
  current = lang;
  void i18n.changeLanguage(lang);
}

export function language(): Language {
  return current;
}

/** The catalogue's text for `key` in the chosen language, with `{{params}}` filled in (`count` picks the plural). */
export function t(key: MessageKey, params?: Record<string, unknown>): string {
  return i18n.t(key, params ?? {}) as string;
}

/** The Intl locale of the language (en-GB: 1,234 and 3 Dec 2025; fr-FR: 1 234 and 3 déc. 2025). */
const locale = () => (current === 'fr' ? 'fr-FR' : 'en-GB');

/** A number for people: grouped, at most `digits` decimals, by the language's rules (`0,183` in French). */
export function num(n: number, digits = 1): string {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(n);
}

/** An ISO instant or date for people, in the language (UTC, so the same everywhere). */
export function dateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: iso.length > 10 ? 'short' : undefined, timeZone: 'UTC' }).format(d);
}

/** A list for people: "a, b and c" / "a, b et c". */
export function list(items: readonly string[]): string {
  return new Intl.ListFormat(locale(), { type: 'conjunction' }).format(items);
}
