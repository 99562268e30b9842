import { QueryClient } from '@tanstack/react-query';
import createFetchClient from 'openapi-fetch';
import createQueryClient from 'openapi-react-query';
import type { components, paths } from './generated/api';
import { i18next } from './i18n';

// The web app reads the API through one typed client generated from the server's OpenAPI document
// (web/src/generated/api.ts, made by `npm run api:types`) and one query cache (TanStack Query).
// Types of the API's shapes come from that document only: `Schema<'Site'>`, `Answer<'/api/x'>`.

/** A named schema of the OpenAPI document (components.schemas). */
export type Schema<N extends keyof components['schemas']> = components['schemas'][N];

type JsonContent<R> = R extends { content: { 'application/json': infer T } } ? T : never;
/** The JSON answer (status 200) of a GET route, for the routes whose answer has no schema name. */
export type Answer<P extends keyof paths, M extends 'get' | 'post' | 'put' | 'patch' | 'delete' = 'get'> = paths[P][M] extends {
  responses: { 200: infer R };
}
  ? JsonContent<R>
  : never;
/** The JSON answer (status 201) of a POST that creates something. */
export type Created<P extends keyof paths> = paths[P]['post'] extends { responses: { 201: infer R } } ? JsonContent<R> : never;
/** The query parameters of a route. */
export type QueryOf<P extends keyof paths, M extends 'get' | 'post' | 'put' | 'patch' | 'delete' = 'get'> = paths[P][M] extends {
  parameters: { query?: infer Q };
}
  ? NonNullable<Q>
  : never;
/** The JSON body of a write. */
export type BodyOf<P extends keyof paths, M extends 'post' | 'put' | 'patch'> = paths[P][M] extends {
  requestBody: { content: { 'application/json': infer B } };
}
  ? B
  : paths[P][M] extends { requestBody?: { content: { 'application/json': infer B } } }
    ? B
    : never;

/** A country of `GET /api/places?level=country&format=geojson`: its outline and its properties (a place and its HIV prevalence by year). */
export type CountryFeature = Omit<Schema<'PlaceFeature'>, 'geometry'> & { geometry: Schema<'GeoArea'> };
export type CountryCollection = Pick<Schema<'PlaceFeatureCollection'>, 'type'> & { features: CountryFeature[] };

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
    /** The error's `details` as the server sent them (field paths, codes, allowed values). */
    readonly details: unknown = undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function issuesOf(details: unknown): FieldIssue[] {
  if (!Array.isArray(details)) return [];
  return details.filter((d): d is FieldIssue => typeof d === 'object' && d !== null && typeof (d as { message?: unknown }).message === 'string');
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
const LOGOUT_PATH = '/api/auth/logout';
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

/** Everything but these is a write, which carries the CSRF token and invalidates the query cache. */
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The fetch under the typed client: sends the session cookie and, on writes, the CSRF token;
 * turns every answer that is not 2xx into an ApiError carrying the server's message (and field
 * issues, and `retryAfter` for 429); ends the session in the app on a 401; retries a write once
 * when its CSRF token was stale; and after a successful write marks cached reads stale.
 */
async function corridorFetch(request: Request): Promise<Response> {
  const write = !READS.has(request.method);
  const path = new URL(request.url, window.location.origin).pathname;
  const attempt = async (req: Request) => {
    if (write && csrfToken) req.headers.set(CSRF_HEADER, csrfToken);
    let response: Response;
    try {
      response = await fetch(req);
    } catch (err) {
      if (req.signal.aborted) throw err;
      throw new ApiError(i18next.t('common:errors.unreachable'), 0, 'network_error');
    }
    if (!response.ok) throw await errorOf(response, path);
    return response;
  };
  const copy = write ? request.clone() : null;
  let response: Response;
  try {
    response = await attempt(request);
  } catch (err) {
    // The token can be stale (the user logged in again in another tab): fetch it again and retry
    // once, but only when the session still belongs to the same user.
    if (!(copy && err instanceof ApiError && err.code === 'CSRF_FAILED' && hooks && path !== LOGIN_PATH && (await hooks.refreshCsrf()))) throw err;
    response = await attempt(copy);
  }
  // A logout is followed by a fresh login page (nothing to refresh, and a refetch would be a 401).
  if (write && path !== LOGOUT_PATH) void queryClient.invalidateQueries({ predicate: (q) => q.meta?.keepOnWrite !== true });
  return response;
}

async function errorOf(response: Response, path: string): Promise<ApiError> {
  let message = i18next.t('common:errors.status', { status: `${response.status}${response.statusText ? ` ${response.statusText}` : ''}` });
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
  return new ApiError(message, response.status, code, issues, response.status === 429 ? retryAfter : null, details);
}

/** The one query cache of the app. A failed read is retried once, unless the server refused it (4xx). */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      retry: (count, err) => count < 1 && !(err instanceof ApiError && err.status >= 400 && err.status < 500),
    },
  },
});

/** The typed API client: `api.GET('/api/sites', { params: { query } })`, checked against the OpenAPI document. */
export const api = createFetchClient<paths>({ baseUrl: '', fetch: corridorFetch });

/** Typed query hooks and options over `api`: `$api.useQuery('get', '/api/sites', { params })`. */
export const $api = createQueryClient(api);

// ---- A file sent as it is, for the imports (the typed client sends JSON). ----

/** Sends a text body as it is (a file to import: DHIS2 CSV, XML, ADX or JSON) with its content type. */
export async function sendText<T>(method: 'POST' | 'PUT', path: string, text: string, contentType: string): Promise<T> {
  const response = await corridorFetch(new Request(path, { method, headers: { accept: 'application/json', 'content-type': contentType }, body: text }));
  return json<T>(response);
}

async function json<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  try {
    return (await response.json()) as T;
  } catch {
    throw new ApiError(i18next.t('common:errors.invalidJson'), response.status, 'invalid_response');
  }
}

/** The data of a typed call (errors were already thrown as ApiError by the client's fetch). */
export async function data<T>(call: Promise<{ data?: T; error?: unknown }>): Promise<T> {
  const answer = await call;
  return answer.data as T;
}

/** A message for the user from anything a promise rejected with. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
