import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../i18n/format';
import { words } from '../registry/labels';

export { SITE_TYPES } from '../../../src/shared/registry';

/**
 * The name of a site type in the user's language: the catalogue's for the types of DESIGN §2.1,
 * else the name the server gives (a type an admin added), else the code in words.
 */
export function useSiteTypeName(list?: readonly { code: string; name: string }[]): (code: string) => string {
  const { t, i18n } = useTranslation('sites');
  return useCallback(
    (code: string) => {
      const key = `siteTypes.${code}`;
      if (i18n.exists(key, { ns: 'sites' })) return t(key as 'siteTypes.other');
      return list?.find((c) => c.code === code)?.name ?? words(code);
    },
    [t, i18n, list],
  );
}

/** Yes, No, or "Not assessed" (or another word for unknown) in the user's language. */
export function useYesNo(): (value: boolean | null | undefined, unknown?: 'notAssessed' | 'unknown') => string {
  const { t } = useTranslation('sites');
  return useCallback((value, unknown = 'notAssessed') => (value === true ? t('yes') : value === false ? t('no') : t(unknown)), [t]);
}

/** Latitude and longitude in degrees with hemispheres: "4.0600° S, 39.6600° E" (« 4,0600° S, 39,6600° E »). */
export function useCoordinates(): (latitude: number, longitude: number) => string {
  const { t } = useTranslation('sites');
  const f = useFormat();
  return useCallback(
    (latitude, longitude) => {
      const degrees = (v: number) => f.number(Math.abs(v), { minimumFractionDigits: 4, maximumFractionDigits: 4 });
      return t('coordinates', {
        lat: degrees(latitude),
        ns: t(latitude < 0 ? 'hemisphere.S' : 'hemisphere.N'),
        lon: degrees(longitude),
        ew: t(longitude < 0 ? 'hemisphere.W' : 'hemisphere.E'),
      });
    },
    [t, f],
  );
}
