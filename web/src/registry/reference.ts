import { getJson, itemsOf } from '../api';
import type { CodeName, PopulationGroup, TaxonomyCategory } from './types';

/** A country as the place list gives it (no geometry): enough for names and select boxes. */
export interface CountryRef {
  id: string;
  code: string;
  name: string;
  bbox: [number, number, number, number] | null;
}

const cache = new Map<string, Promise<unknown>>();

/** Loads a reference list once per page load and shares it; a failed load is forgotten so that a retry refetches. */
export function once<T>(key: string, load: () => Promise<T>): Promise<T> {
  let promise = cache.get(key) as Promise<T> | undefined;
  if (!promise) {
    promise = load();
    cache.set(key, promise);
    promise.catch(() => cache.delete(key));
  }
  return promise;
}

export function loadSiteTypes(): Promise<CodeName[]> {
  return once('site-types', () => getJson<unknown>('/api/site-types').then((b) => itemsOf<CodeName>(b)));
}

export function loadServiceTypes(): Promise<CodeName[]> {
  return once('service-types', () => getJson<unknown>('/api/service-types').then((b) => itemsOf<CodeName>(b)));
}

export function loadPopulationGroups(): Promise<PopulationGroup[]> {
  return once('population-groups', () => getJson<unknown>('/api/population-groups').then((b) => itemsOf<PopulationGroup>(b)));
}

export function loadTaxonomy(): Promise<TaxonomyCategory[]> {
  return once('taxonomy', () => getJson<{ categories: TaxonomyCategory[] }>('/api/taxonomy').then((b) => (Array.isArray(b.categories) ? b.categories : [])));
}

/** Every country with an ISO3 code, by name. */
export function loadCountryList(): Promise<CountryRef[]> {
  return once('countries', () =>
    getJson<unknown>('/api/places?level=country&limit=5000').then((b) =>
      itemsOf<{ id: string; code: string | null; name: string; bbox: [number, number, number, number] | null }>(b)
        .filter((c): c is CountryRef => typeof c.code === 'string' && c.code.length === 3)
        .sort((a, b2) => a.name.localeCompare(b2.name)),
    ),
  );
}
