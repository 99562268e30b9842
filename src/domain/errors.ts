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
  field?: string;
  value?: unknown;
  message: string;
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

/**
 * A value as an error may echo it (message and details): long text cut to its start, a list or an
 * object named by kind, so that a 10 MB field or a 10,000-deep array never comes back whole.
 */
export function echoable(value: unknown): unknown {
  if (typeof value === 'string') return value.length > 80 ? `${value.slice(0, 40)}… (${value.length} characters)` : value;
  if (Array.isArray(value)) return '(a list)';
  if (value !== null && typeof value === 'object') return '(an object)';
  return value;
}

/** " (value …)" for a value, or nothing for a list, an object or no value. */
function quoted(value: unknown): string {
  if (value === undefined || (value !== null && typeof value === 'object')) return '';
  return ` (value ${JSON.stringify(echoable(value))})`;
}

/** Names of fields that hold secrets (password, currentPassword, newPassword, token, secret…). */
const SECRET_FIELD = /pass(word|phrase)|secret|token|api[-_]?key|credential/i;

/** True when a field (a name or a path such as `users.0.password`) holds a secret, never to be echoed. */
export function isSecretField(field: string | undefined): boolean {
  return field !== undefined && SECRET_FIELD.test(field);
}

/** The issues without the values of secret fields: what may be shown to a user or written to a log. */
export function withoutSecrets(issues: Issue[]): Issue[] {
  return issues.map(({ value, ...rest }) => (value === undefined || isSecretField(rest.field) ? rest : { ...rest, value }));
}

/** " (value …)" for an issue, or nothing: never the value of a secret field. */
const echo = (i: Issue) => (isSecretField(i.field) ? '' : quoted(i.value));

/** Formats input issues as one line, naming the first few places to fix ("line 3, field …"). */
export function describeIssues(issues: Issue[], unit: 'line' | 'feature' = 'line', max = 3): string {
  const parts = issues.slice(0, max).map((i) => {
    const where = [i.line !== undefined ? `${unit} ${i.line}` : '', i.field ? `field "${i.field}"` : '']
      .filter(Boolean)
      .join(', ');
    return `${where ? where + ': ' : ''}${i.message}${echo(i)}`;
  });
  const more = issues.length > max ? `; and ${issues.length - max} more` : '';
  return parts.join('; ') + more;
}

/** VALIDATION_FAILED for `what` (a site, a flow…), naming each field and value that is wrong. */
export function invalidInput(what: string, issues: Issue[], max = 3): AppError {
  const parts = issues.slice(0, max).map((i) => `${i.field}: ${i.message}${echo(i)}`);
  const more = issues.length > max ? `; and ${issues.length - max} more` : '';
  return new AppError('VALIDATION_FAILED', `invalid ${what}: ${parts.join('; ')}${more}`, withoutSecrets(issues));
}
