import { api, data } from '../api';
import type { CountryCollection, CountryFeature } from '../api';

// The world maps' country boundaries: the server's `detail=world` variant, simplified for a
// whole-world view (about a third of the full 1:50m geometry; shared borders stay shared). The
// server gives it an ETag, so the browser keeps it and a later visit costs a 304.

let countries: Promise<CountryCollection> | null = null;

/**
 * Country boundaries with HIV prevalence, fetched once per page load and shared; a failed load is
 * forgotten so that "Try again" refetches.
 */
export function loadCountries(): Promise<CountryCollection> {
  countries ??= data(api.GET('/api/places', { params: { query: { level: 'country', format: 'geojson', detail: 'world' } } })).then(
    // format=geojson answers the FeatureCollection of the document's application/geo+json content; countries have areas.
    (body) => body as unknown as CountryCollection,
  );
  countries.catch(() => {
    countries = null;
  });
  return countries;
}

/** The place id of a country feature (the API sets it both as the feature id and in properties). */
export function placeId(feature: CountryFeature): string {
  return String(feature.properties.id ?? feature.id ?? feature.properties.code ?? feature.properties.name);
}
