import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api';
import { FieldError } from '../components';
import { useFormat } from '../i18n/format';
import { fieldMessage } from '../sites/form-errors';
import type { SaveErrors } from '../sites/form-errors';

/**
 * Puts the issues about items of a list field under the list's one input: `scopes.1` (value
 * "XYZ") becomes `scopes` with the message `“XYZ”: …`.
 */
export function issuesOnListFields(err: unknown, listFields: readonly string[]): unknown {
  if (!(err instanceof ApiError)) return err;
  const issues = err.issues.map((issue) => {
    const [head, index] = (issue.field ?? '').split('.');
    if (head && index !== undefined && /^\d+$/.test(index) && listFields.includes(head)) {
      return { ...issue, field: head, message: issue.value !== undefined ? `“${String(issue.value)}”: ${issue.message}` : issue.message };
    }
    return issue;
  });
  return new ApiError(err.message, err.status, err.code, issues, err.retryAfter);
}

/**
 * Moves focus to an error summary when it appears and after each failed save (a new `errors`),
 * so that a keyboard or screen-reader user lands on what to fix instead of the page's body.
 */
function useFocusOnShow(errors: SaveErrors) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [errors]);
  return ref;
}

/** The box at the top of a form that failed: what to fix, with links to the fields. */
export function FormSummary({
  errors,
  labels,
  idOf,
  testId = 'form-summary',
}: {
  errors: SaveErrors;
  labels: Record<string, string>;
  idOf(field: string): string;
  testId?: string;
}) {
  const ref = useFocusOnShow(errors);
  return (
    <div className="form-summary" role="alert" data-testid={testId} tabIndex={-1} ref={ref}>
      <p>
        <strong>{errors.summary}</strong>
      </p>
      {errors.byField.size > 0 || errors.other.length > 0 ? (
        <ul>
          {[...errors.byField.entries()].map(([field, messages]) => (
            <li key={field}>
              <a href={`#${idOf(field)}`}>{labels[field] ?? field}</a>: {messages.join('; ')}
            </li>
          ))}
          {errors.other.map((issue, i) => (
            <li key={`other-${i}`}>
              {issue.field ? `${issue.field}: ` : ''}
              {issue.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/**
 * The box at the top of a table form that failed: the summary and the problems not shown beside
 * a cell (those that name no cell of the table).
 */
export function TableFormSummary({ errors }: { errors: SaveErrors }) {
  const ref = useFocusOnShow(errors);
  return (
    <div className="form-summary" role="alert" data-testid="form-summary" tabIndex={-1} ref={ref}>
      <p>
        <strong>{errors.summary}</strong>
      </p>
      {errors.other.length > 0 ? (
        <ul>
          {errors.other.map((issue, i) => (
            <li key={i}>
              {issue.field ? `${issue.field}: ` : ''}
              {issue.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** A cell of a table form: its input, and the server's messages about it below. */
export function FormCell({ input, messages, name, id, label }: { input: ReactNode; messages: string[] | undefined; name: string; id: string; label: string }) {
  return (
    <td>
      {input}
      {messages && messages.length > 0 ? (
        <FieldError field={name} id={`${id}-error`}>
          {messages.map((m) => fieldMessage(label, m)).join('; ')}
        </FieldError>
      ) : null}
    </td>
  );
}

/** The server's messages about one field, under it. */
export function FieldMessages({ errors, field, label, id }: { errors: SaveErrors | null; field: string; label: string; id: string }): ReactNode {
  const messages = errors?.byField.get(field);
  if (!messages) return null;
  return (
    <FieldError field={field} id={id}>
      {messages.map((m) => fieldMessage(label, m)).join('; ')}
    </FieldError>
  );
}

/** Date and time in the reader's language and time zone, to the second, e.g. "26 Nov 2025, 09:02:13". */
export function useDateTime(): (iso: string | null | undefined) => string {
  const { locale } = useFormat();
  const format = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return (iso) => {
    if (!iso) return '—';
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : format.format(date);
  };
}

/** The last cell of an editable table row: a button that removes the row. */
export function RemoveRowCell({ index, onRemove }: { index: number; onRemove(): void }) {
  const { t } = useTranslation('access');
  return (
    <td>
      <button type="button" className="button--secondary button--small" onClick={onRemove} aria-label={t('form.removeRow', { row: index + 1 })}>
        {t('form.remove')}
      </button>
    </td>
  );
}
