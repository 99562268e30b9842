import type { resources } from './resources';

// Keys are checked at compile time: `t('no.such.key')` fails `npm run typecheck`.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: (typeof resources)['en'];
    returnNull: false;
  }
}
