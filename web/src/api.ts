import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';

/** Properties of a country feature from `GET /api/places?level=country&format=geojson`. */
export interface CountryProperties {
  id: string;
  code: string | null;
  iso2: string | null;
  name: string;
  level: 'country';
  parentId: string | null;
  /** UNAIDS adult (15–49) HIV prevalence in percent, keyed by year ("1990" … "2023"). */
  hivPrevalence: Record<string, number>;
}

export type CountryFeature = Feature<Polygon | MultiPolygon, CountryProperties>;
export type CountryCollection = FeatureCollection<Polygon | MultiPolygon, CountryProperties>;

/** Answer of `GET /api/health`. */
export interface Health {
  status: string;
  database: string;
  version: string;
}

/** A failed API request, carrying the server's own message when it sent one. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function isErrorBody(body: unknown): body is { error: { code?: unknown; message: string } } {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = (body as { error: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string';
}

/** GETs a JSON resource of the Corridor API; rejects with an ApiError whose message is the server's. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { signal, headers: { accept: 'application/json, application/geo+json' } });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError('Could not reach the Corridor server. Check that it is running and try again.', 0, 'network_error');
  }
  if (!response.ok) {
    let message = `The server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`;
    let code = 'http_error';
    try {
      const body: unknown = await response.json();
      if (isErrorBody(body)) {
        message = body.error.message;
        if (typeof body.error.code === 'string') code = body.error.code;
      }
    } catch {
      // Not JSON (e.g. a proxy's HTML error page): keep the status line.
    }
    throw new ApiError(message, response.status, code);
  }
  try {
    return (await response.json()) as T;
  } catch {
    throw new ApiError('The server sent an answer that is not valid JSON.', response.status, 'invalid_response');
  }
}

let countries: Promise<CountryCollection> | null = null;

/**
 * Country boundaries with HIV prevalence. The 1:50m collection is a few megabytes, so it is
 * fetched once per page load and shared; a failed load is forgotten so that "Try again" refetches.
 */
export function loadCountries(): Promise<CountryCollection> {
  countries ??= getJson<unknown>('/api/places?level=country&format=geojson').then((body) => {
    if (
      typeof body !== 'object' ||
      body === null ||
      (body as { type?: unknown }).type !== 'FeatureCollection' ||
      !Array.isArray((body as { features?: unknown }).features)
    ) {
      throw new ApiError('The server sent country places that are not a GeoJSON FeatureCollection.', 200, 'invalid_response');
    }
    return body as CountryCollection;
  });
  countries.catch(() => {
    countries = null;
  });
  return countries;
}

/** The place id of a country feature (the API sets it both as the feature id and in properties). */
export function placeId(feature: CountryFeature): string {
  return String(feature.properties.id ?? feature.id ?? feature.properties.code ?? feature.properties.name);
}
