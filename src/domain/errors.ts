export { AppError, type ErrorCode, type Issue } from '../shared/errors.js';
import { AppError, type Issue } from '../shared/errors.js';
import { sentence } from './labels.js';

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

/** The issue in words: "Latitude must be at most 90" when the field has a label, else the message. */
const said = (i: Issue) => (i.label ? sentence(i.label, i.message) : i.message);

/** Formats input issues as one line, naming the first few places to fix ("line 3, field …"). */
export function describeIssues(issues: Issue[], unit: 'line' | 'feature' = 'line', max = 3): string {
  const parts = issues.slice(0, max).map((i) => {
    const where = [i.line !== undefined ? `${unit} ${i.line}` : '', i.field && !i.label ? `field "${i.field}"` : ''].filter(Boolean).join(', ');
    // In a file the field's name is what its author wrote: "line 3: Site type (field "type") must be …".
    const said = i.label ? sentence(i.line !== undefined && i.field ? `${i.label} (field "${i.field}")` : i.label, i.message) : i.message;
    return `${where ? where + ': ' : ''}${said}${echo(i)}`;
  });
  const more = issues.length > max ? `; and ${issues.length - max} more` : '';
  return parts.join('; ') + more;
}

/** VALIDATION_FAILED for `what` (a site, a flow…), naming each field and value that is wrong. */
export function invalidInput(what: string, issues: Issue[], max = 3): AppError {
  const parts = issues.slice(0, max).map((i) => `${i.label ? '' : `${i.field}: `}${said(i)}${echo(i)}`);
  const more = issues.length > max ? `; and ${issues.length - max} more` : '';
  return new AppError('VALIDATION_FAILED', `invalid ${what}: ${parts.join('; ')}${more}`, withoutSecrets(issues));
}
