import { useQuery } from '@tanstack/react-query';
import { api, data } from '../api';
import type { Schema } from '../api';
import type { CodeName, PopulationGroup, TaxonomyCategory } from './types';

/** A country as the place list gives it (no geometry): enough for names and select boxes. */
export type CountryRef = Schema<'Place'> & { code: string };

function loadSiteTypes(): Promise<CodeName[]> {
  return data(api.GET('/api/site-types'));
}

function loadServiceTypes(): Promise<CodeName[]> {
  return data(api.GET('/api/service-types'));
}

function loadPopulationGroups(): Promise<PopulationGroup[]> {
  return data(api.GET('/api/population-groups')).then((page) => page.items);
}

function loadTaxonomy(): Promise<TaxonomyCategory[]> {
  return data(api.GET('/api/taxonomy')).then((b) => b.categories);
}

/** Every country with an ISO3 code, by name. */
function loadCountryList(): Promise<CountryRef[]> {
  return data(api.GET('/api/places', { params: { query: { level: 'country', limit: 5000 } } })).then((page) =>
    ('items' in page ? page.items : [])
      .filter((c): c is CountryRef => typeof c.code === 'string' && c.code.length === 3)
      .sort((a, b) => a.name.localeCompare(b.name)),
  );
}

const LOADERS = {
  siteTypes: loadSiteTypes,
  serviceTypes: loadServiceTypes,
  populationGroups: loadPopulationGroups,
  taxonomy: loadTaxonomy,
  countries: loadCountryList,
};
type Lists = { [K in keyof typeof LOADERS]: Awaited<ReturnType<(typeof LOADERS)[K]>> };

/**
 * A reference list (site types, service types, population groups, taxonomy, countries) through the
 * query cache: asked once per page load, shared by every page that shows it, and read again after
 * a write (an admin adding a type). `enabled: false` waits (a form's lists, until it opens).
 */
export function useReference<K extends keyof Lists>(list: K, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery<Lists[K]>({ queryKey: ['reference', list], queryFn: LOADERS[list] as () => Promise<Lists[K]>, staleTime: Infinity, enabled });
}
