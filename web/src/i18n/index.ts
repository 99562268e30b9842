import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { LANGUAGES, NAMESPACES, resources, type Language } from './resources';

// Every user-facing string of the app is in the catalogues under web/src/locales/<language>/<namespace>.json
// (English and French, kept complete by web/src/i18n/catalogues.test.ts). The language follows the
// browser until the user picks one, which is then remembered in this browser.

const STORAGE_KEY = 'corridor.language';

function isLanguage(x: unknown): x is Language {
  return typeof x === 'string' && (LANGUAGES as readonly string[]).includes(x);
}

/** The user's choice if they made one here, else the first of the browser's languages we have, else English. */
export function initialLanguage(): Language {
  if (typeof window === 'undefined') return 'en'; // outside a browser (unit tests)
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (isLanguage(stored)) return stored;
  } catch {
    // storage blocked: follow the browser
  }
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

void i18next.use(initReactI18next).init({
  resources,
  lng: initialLanguage(),
  fallbackLng: false,
  supportedLngs: [...LANGUAGES],
  ns: [...NAMESPACES],
  defaultNS: 'common',
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});

function applyToDocument(language: string): void {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}
applyToDocument(i18next.language);
i18next.on('languageChanged', applyToDocument);

/** Switches the app's language and remembers the choice in this browser. */
export function setLanguage(language: Language): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // not remembered, but still switched
  }
  void i18next.changeLanguage(language);
}

export { i18next };
export { LANGUAGES, type Language } from './resources';
