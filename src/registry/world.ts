import { readFileSync } from 'node:fs';
import path from 'node:path';
import { HIV_PREVALENCE, type Geometry, type PlaceInput } from '../domain/place.js';
import { parseCsv } from '../lib/csv.js';
import { roundGeometry } from '../lib/geo.js';
import { DATA_DIR } from '../paths.js';
import type { Store } from '../store/index.js';

const BOUNDARIES = 'natural-earth-admin0-50m';
const PREVALENCE = 'unaids-hiv-prevalence-2024';
const PREVALENCE_SOURCE = 'UNAIDS (2024), via Our World in Data';

// UN M49 names read best for programme staff, but the file's English name for CIV is not the UN's.
const NAME_OVERRIDES: Record<string, string> = { CIV: "Côte d'Ivoire" };

interface NaturalEarthFeature {
  properties: { name: string; iso_a3: string | null; iso_a2: string | null };
  geometry: Geometry;
}

function readCsvObjects(file: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  return rows.map((r) => Object.fromEntries(header!.fields.map((h, i) => [h, r.fields[i] ?? ''])));
}

/** Countries from the bundled Natural Earth 1:50m boundaries, named as the UN names them. */
export function bundledCountries(dataDir = DATA_DIR): PlaceInput[] {
  const names = new Map(
    readCsvObjects(path.join(dataDir, 'boundaries', 'country-codes.csv')).map((r) => [
      r['ISO3166-1-Alpha-3']!,
      r['official_name_en'] || r['CLDR display name'] || '',
    ]),
  );
  const geo = JSON.parse(readFileSync(path.join(dataDir, 'boundaries', 'ne_admin0_countries_50m.geojson'), 'utf8')) as {
    features: NaturalEarthFeature[];
  };
  // A few territories share their sovereign's code (Ashmore and Cartier Is. carry AUS): one place
  // per code, its polygons merged into the sovereign's.
  const byCode = new Map<string, PlaceInput>();
  const places: PlaceInput[] = [];
  for (const f of geo.features) {
    const iso3 = f.properties.iso_a3;
    const existing = iso3 ? byCode.get(iso3) : undefined;
    if (existing) {
      existing.geometry = mergePolygons(existing.geometry!, roundGeometry(f.geometry, 3));
      continue;
    }
    const place: PlaceInput = {
      code: iso3,
      name: (iso3 && (NAME_OVERRIDES[iso3] ?? names.get(iso3))) || f.properties.name,
      level: 'country',
      parentId: null,
      iso2: f.properties.iso_a2,
      // 1:50m boundaries carry no detail below ~1 km; three decimals (~110 m) halve the payload.
      geometry: roundGeometry(f.geometry, 3),
      source: 'Natural Earth 4.1.0 (1:50m)',
    };
    if (iso3) byCode.set(iso3, place);
    places.push(place);
  }
  return places;
}

function polygons(g: Geometry): number[][][][] {
  if (g.type === 'Polygon') return [g.coordinates];
  if (g.type === 'MultiPolygon') return g.coordinates;
  return [];
}

function mergePolygons(a: Geometry, b: Geometry): Geometry {
  return { type: 'MultiPolygon', coordinates: [...polygons(a), ...polygons(b)] };
}

/** UNAIDS adult HIV prevalence (percent) by ISO3 and year, from the bundled OWID export. */
export function bundledPrevalence(dataDir = DATA_DIR): { iso3: string; year: number; value: number }[] {
  return readCsvObjects(path.join(dataDir, 'epidemiology', 'owid_unaids_hiv_prevalence_15-49.csv'))
    .filter((r) => /^[A-Z]{3}$/.test(r['Code'] ?? ''))
    .map((r) => ({
      iso3: r['Code']!,
      year: Number(r['Year']),
      value: Number(r['HIV prevalence - Sex: total - Age: 15-49 - Central estimate']),
    }))
    .filter((r) => Number.isInteger(r.year) && Number.isFinite(r.value));
}

/**
 * Loads the bundled world (countries and their HIV prevalence) into a store that lacks it, in one
 * transaction. Returns what it loaded; nothing when the store already has it.
 */
export async function ensureWorld(store: Store): Promise<{ countries: number; prevalenceValues: number } | null> {
  if ((await store.repos.datasets.isLoaded(BOUNDARIES)) && (await store.repos.datasets.isLoaded(PREVALENCE))) {
    return null;
  }
  const countries = bundledCountries();
  const prevalence = bundledPrevalence();
  return store.transaction(async (repos) => {
    const ids = new Map<string, string>();
    for (const c of countries) {
      const { place } = await repos.places.upsert(c);
      if (c.code) ids.set(c.code, place.id);
    }
    const rows = prevalence.flatMap((r) => {
      const placeId = ids.get(r.iso3);
      return placeId ? [{ placeId, year: r.year, value: r.value }] : [];
    });
    await repos.statistics.replaceIndicator(HIV_PREVALENCE, PREVALENCE_SOURCE, rows);
    await repos.datasets.markLoaded(BOUNDARIES, countries.length);
    await repos.datasets.markLoaded(PREVALENCE, rows.length);
    await repos.audit.append([
      {
        actor: 'system',
        action: 'load-dataset',
        objectType: 'dataset',
        objectId: BOUNDARIES,
        details: { countries: countries.length },
      },
      { actor: 'system', action: 'load-dataset', objectType: 'dataset', objectId: PREVALENCE, details: { values: rows.length } },
    ]);
    return { countries: countries.length, prevalenceValues: rows.length };
  });
}
