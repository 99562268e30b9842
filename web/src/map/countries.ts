import { useCallback, useMemo } from 'react';
import { $api, queryClient } from '../api';
import type { CountryCollection, CountryFeature } from '../api';
import { useFormat } from '../i18n/format';

// The world maps' country boundaries: the server's `detail=world` variant, simplified for a
// whole-world view (about a third of the full 1:50m geometry; shared borders stay shared). The
// server gives it an ETag, so the browser keeps it and a later visit costs a 304; within a visit
// the query cache keeps it for good (boundaries do not change, and writes do not touch them).

const BOUNDARIES = { params: { query: { level: 'country', format: 'geojson', detail: 'world' } } } as const;
const KEEP = { staleTime: Infinity, gcTime: Infinity, meta: { keepOnWrite: true } } as const;

// format=geojson answers the FeatureCollection of the document's application/geo+json content; countries have areas.
const asCollection = (body: unknown) => body as CountryCollection;

/** Country boundaries with HIV prevalence, fetched once per page load and shared by the pages. */
export function useCountries() {
  return $api.useQuery('get', '/api/places', BOUNDARIES, { ...KEEP, select: (body) => asCollection(body).features });
}

/** The same boundaries as a promise, from the same cache, for code outside React's queries. */
export function loadCountries(): Promise<CountryCollection> {
  return queryClient.fetchQuery({ ...$api.queryOptions('get', '/api/places', BOUNDARIES), ...KEEP }).then(asCollection);
}

/** The place id of a country feature (the API sets it both as the feature id and in properties). */
export function placeId(feature: CountryFeature): string {
  return String(feature.properties.id ?? feature.id ?? feature.properties.code ?? feature.properties.name);
}

/**
 * Country names in the user's language, from the ISO 3166 alpha-2 code ("Tanzanie" in French),
 * falling back to the name on record for a territory without one.
 */
export function useCountryName(): (feature: CountryFeature) => string {
  const { locale } = useFormat();
  const names = useMemo(() => new Intl.DisplayNames(locale, { type: 'region', fallback: 'none' }), [locale]);
  return useCallback(
    (feature: CountryFeature) => {
      const { iso2, name } = feature.properties;
      if (!iso2 || !/^[A-Z]{2}$/.test(iso2)) return name;
      try {
        return names.of(iso2) ?? name;
      } catch {
        return name;
      }
    },
    [names],
  );
}
