import { ApiError, messageOf } from '../api';
import type { FieldIssue } from '../api';
import { i18next } from '../i18n';
import type { Formatters } from '../i18n/format';

/** What a failed save showed: a message for the top of the form and messages by field path. */
export interface SaveErrors {
  summary: string;
  byField: Map<string, string[]>;
  /** Issues that name no field of the form (shown in the summary). */
  other: FieldIssue[];
}

/**
 * Sorts a failed save's issues by the form field they are about. `prefix` is put in front of
 * paths that start with a row number, as a PUT of an array reports them (`0.sizeLow` →
 * `populations.0.sizeLow`).
 */
export function saveErrors(err: unknown, known: (field: string) => boolean, prefix?: string): SaveErrors {
  const byField = new Map<string, string[]>();
  const other: FieldIssue[] = [];
  if (!(err instanceof ApiError) || err.issues.length === 0) {
    return { summary: messageOf(err), byField, other };
  }
  for (const issue of err.issues) {
    let field = issue.field ?? '';
    if (prefix && /^\d/.test(field)) field = `${prefix}.${field}`;
    if (field && known(field)) byField.set(field, [...(byField.get(field) ?? []), issue.message]);
    else other.push(issue);
  }
  const n = err.issues.length;
  return {
    summary: i18next.t('sites:save.summary', { count: n }),
    byField,
    other,
  };
}

/** "must be at most 90" under Latitude reads "Latitude must be at most 90"; a full sentence stays as it is. */
export function fieldMessage(label: string, message: string): string {
  return /^(must|is|are|use|should|cannot|can't|may)\b/.test(message) ? `${label} ${message}` : message;
}

/**
 * A number typed in a text box, read in the user's locale (`0,183` is 0.183 in French), or the
 * text itself so that the server can say what is wrong with it.
 */
export function numberOrText(f: Pick<Formatters, 'parseNumber'>, value: string): number | string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  return f.parseNumber(trimmed) ?? trimmed;
}

/** An optional text field: undefined when blank, so that the server stores null. */
export function optional(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
