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

/** One problem the server found in a request, e.g. `{field: 'latitude', message: 'must be at most 90'}`. */
export interface FieldIssue {
  field?: string;
  value?: unknown;
  message: string;
}

/** A failed API request, carrying the server's own message (and its field issues) when it sent them. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly issues: FieldIssue[] = [],
    /** For 429 RATE_LIMITED: the seconds to wait (the Retry-After header). */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function issuesOf(details: unknown): FieldIssue[] {
  if (!Array.isArray(details)) return [];
  return details.filter(
    (d): d is FieldIssue => typeof d === 'object' && d !== null && typeof (d as { message?: unknown }).message === 'string',
  );
}

function isErrorBody(body: unknown): body is { error: { code?: unknown; message: string; details?: unknown } } {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = (body as { error: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string';
}

// ---- Session plumbing -------------------------------------------------------------------------
// The session cookie is HttpOnly: scripts never see it. What they keep (in memory only, never in
// storage) is the session's CSRF token, which every write must echo in this header.
const CSRF_HEADER = 'x-csrf-token';
const LOGIN_PATH = '/api/auth/login';
let csrfToken: string | null = null;

/** Sets the CSRF token of the current session (from login or `/api/auth/me`); null when logged out. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

interface SessionHooks {
  /** A request (other than login) answered 401: the session is gone. */
  unauthenticated(): void;
  /** A write answered 403 CSRF_FAILED: fetch the session's token again; true when it is still the same user's. */
  refreshCsrf(): Promise<boolean>;
}
let hooks: SessionHooks | null = null;

/** Installed once by the session module, which owns who is logged in (api.ts stays free of React). */
export function setSessionHooks(h: SessionHooks): void {
  hooks = h;
}

/** GETs a JSON resource of the Corridor API; rejects with an ApiError whose message is the server's. */
export function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return request<T>(path, { signal, headers: { accept: 'application/json, application/geo+json' } });
}

/**
 * Sends a JSON body (POST, PUT, PATCH) or none (DELETE, or a bodiless POST); resolves with the
 * answer, or undefined for 204. Carries the session's CSRF token. A 400 VALIDATION_FAILED rejects
 * with an ApiError whose `issues` name the fields to fix.
 */
export function sendJson<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  return send<T>(method, path, body === undefined ? undefined : { text: JSON.stringify(body), contentType: 'application/json' });
}

/**
 * Sends a text body as it is (a file to import: DHIS2 CSV, XML, ADX or JSON) with its content
 * type; like `sendJson`, carries the CSRF token and rejects with the server's message.
 */
export function sendText<T>(method: 'POST' | 'PUT', path: string, text: string, contentType: string): Promise<T> {
  return send<T>(method, path, { text, contentType });
}

async function send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body: { text: string; contentType: string } | undefined): Promise<T> {
  const attempt = () => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = body.contentType;
    if (csrfToken) headers[CSRF_HEADER] = csrfToken;
    return request<T>(path, { method, headers, body: body?.text });
  };
  try {
    return await attempt();
  } catch (err) {
    // The token can be stale (the user logged in again in another tab): fetch it again and retry
    // once, but only when the session still belongs to the same user.
    if (err instanceof ApiError && err.code === 'CSRF_FAILED' && hooks && path !== LOGIN_PATH && (await hooks.refreshCsrf())) {
      return attempt();
    }
    throw err;
  }
}

async function request<T>(path: string, init: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, credentials: 'same-origin' });
  } catch (err) {
    if (init.signal?.aborted) throw err;
    throw new ApiError('Could not reach the Corridor server. Check that it is running and try again.', 0, 'network_error');
  }
  if (!response.ok) {
    let message = `The server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`;
    let code = 'http_error';
    let issues: FieldIssue[] = [];
    let details: unknown;
    try {
      const body: unknown = await response.json();
      if (isErrorBody(body)) {
        message = body.error.message;
        if (typeof body.error.code === 'string') code = body.error.code;
        details = body.error.details;
        issues = issuesOf(details);
      }
    } catch {
      // Not JSON (e.g. a proxy's HTML error page): keep the status line.
    }
    const header = Number(response.headers.get('retry-after'));
    const fromDetails = (details as { retryAfter?: unknown } | undefined)?.retryAfter;
    const retryAfter = header > 0 ? header : typeof fromDetails === 'number' ? fromDetails : null;
    // Every call but the login itself: a 401 means there is no (longer a) session.
    if (response.status === 401 && path !== LOGIN_PATH) hooks?.unauthenticated();
    throw new ApiError(message, response.status, code, issues, response.status === 429 ? retryAfter : null);
  }
  if (response.status === 204) return undefined as T;
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

/** The items of a list answer, whether the server sent a bare array or a page `{items, total, …}`. */
export function itemsOf<T>(body: unknown): T[] {
  if (Array.isArray(body)) return body as T[];
  if (typeof body === 'object' && body !== null && Array.isArray((body as { items?: unknown }).items)) {
    return (body as { items: T[] }).items;
  }
  throw new ApiError('The server sent a list in an unexpected shape.', 200, 'invalid_response');
}

/** A message for the user from anything a promise rejected with. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
