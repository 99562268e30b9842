import enAbout from '../locales/en/about.json';
import enAccess from '../locales/en/access.json';
import enCommon from '../locales/en/common.json';
import enCorridors from '../locales/en/corridors.json';
import enMap from '../locales/en/map.json';
import enMonitoring from '../locales/en/monitoring.json';
import enPortfolio from '../locales/en/portfolio.json';
import enSites from '../locales/en/sites.json';
import frAbout from '../locales/fr/about.json';
import frAccess from '../locales/fr/access.json';
import frCommon from '../locales/fr/common.json';
import frCorridors from '../locales/fr/corridors.json';
import frMap from '../locales/fr/map.json';
import frMonitoring from '../locales/fr/monitoring.json';
import frPortfolio from '../locales/fr/portfolio.json';
import frSites from '../locales/fr/sites.json';

/** The languages of the app: each has every namespace, with the same keys (catalogues.test.ts checks). */
export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The name of each language in itself, for the switch. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', fr: 'Français' };

/**
 * One namespace per part of the app: `common` (shell, shared components, errors), `map`, `sites`
 * (sites and the registry's labels), `portfolio` (projects and policies), `corridors` (corridors and flows), `monitoring`,
 * `access` (login, users, tokens, audit) and `about`.
 */
export const NAMESPACES = ['common', 'map', 'sites', 'portfolio', 'corridors', 'monitoring', 'access', 'about'] as const;

export const resources = {
  en: {
    common: enCommon,
    map: enMap,
    sites: enSites,
    portfolio: enPortfolio,
    corridors: enCorridors,
    monitoring: enMonitoring,
    access: enAccess,
    about: enAbout,
  },
  fr: {
    common: frCommon,
    map: frMap,
    sites: frSites,
    portfolio: frPortfolio,
    corridors: frCorridors,
    monitoring: frMonitoring,
    access: frAccess,
    about: frAbout,
  },
} as const;
