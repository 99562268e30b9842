// Shared by the server, the CLI and the browser app: imports nothing.

/** Stable error codes: clients and tests match on these, never on message text. */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'BAD_REQUEST'
  | 'NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'CSRF_FAILED'
  | 'RATE_LIMITED'
  | 'PLACE_NOT_FOUND'
  | 'CONFLICT'
  | 'DATA_APPROVED'
  | 'PAYLOAD_TOO_LARGE'
  | 'HEADERS_TOO_LARGE'
  | 'REQUEST_TIMEOUT'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'IMPORT_INVALID'
  | 'INVALID_PERIOD'
  | 'FILE_NOT_FOUND'
  | 'DATA_DIR_LOCKED'
  | 'DATABASE_UNAVAILABLE'
  | 'OVERLOADED'
  | 'CANCELLED'
  | 'INTERNAL';

/** Where in the input a problem was found: enough for a user to go and fix it. */
export interface Issue {
  /** 1-based line (CSV) or feature number (GeoJSON), when the input has them. */
  line?: number;
  /** The field's path in the input (`populations.0.sizeLow`), for programs. */
  field?: string;
  /** The field as people know it ("Lowest size estimate (population 1)"), when it has a label. */
  label?: string;
  value?: unknown;
  /** What is wrong: "must be at least 0", or a sentence of its own ("Choose a country"). */
  message: string;
  /** The kind of problem, as zod names it (invalid_value, too_small, custom…), for programs. */
  code?: string;
  /** The codes a field accepts, when it takes one of a list. */
  allowed?: readonly unknown[];
}

const STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CSRF_FAILED: 403,
  RATE_LIMITED: 429,
  PLACE_NOT_FOUND: 404,
  CONFLICT: 409,
  /** A write to data that is approved (locked) for its data set, period and place. */
  DATA_APPROVED: 409,
  PAYLOAD_TOO_LARGE: 413,
  HEADERS_TOO_LARGE: 431,
  REQUEST_TIMEOUT: 408,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IMPORT_INVALID: 422,
  /** A DHIS2 period id (or ADX period) that is malformed or names no period, e.g. 2021W53. */
  INVALID_PERIOD: 400,
  FILE_NOT_FOUND: 400,
  DATA_DIR_LOCKED: 409,
  DATABASE_UNAVAILABLE: 503,
  /** Too many requests of this kind wait already: try again after the Retry-After seconds. */
  OVERLOADED: 503,
  /** The client went away before the answer was ready (nginx's 499); nobody reads this answer. */
  CANCELLED: 499,
  INTERNAL: 500,
};

/** The one error class of Corridor: a stable code, an HTTP status and a message that says what and where. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = STATUS[code];
  }
}
