import { useMemo } from 'react';
import { $api } from '../api';

/** A place a corridor can pass through, as the pickers offer it: a site or a country. */
export interface PlaceChoice {
  id: string;
  code: string;
  name: string;
  kind: 'site' | 'country';
}

/**
 * The places a route may name: the sites and the countries the user can see, by name. Sites also
 * give the profile links of a corridor's stops.
 */
export function usePlaceChoices() {
  const sites = $api.useQuery('get', '/api/sites', { params: { query: { limit: 5000 } } });
  const countries = $api.useQuery('get', '/api/places', { params: { query: { level: 'country', limit: 5000 } } });
  const choices = useMemo(() => {
    const out: PlaceChoice[] = [];
    const siteItems = typeof sites.data === 'object' && 'items' in sites.data ? sites.data.items : [];
    for (const s of siteItems) out.push({ id: s.id, code: s.code, name: s.name, kind: 'site' });
    const countryItems = typeof countries.data === 'object' && 'items' in countries.data ? countries.data.items : [];
    for (const c of countryItems) if (c.code) out.push({ id: c.id, code: c.code, name: c.name, kind: 'country' });
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }, [sites.data, countries.data]);
  return { choices, sites, countries };
}
