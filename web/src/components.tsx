import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, messageOf } from './api';
import { Link } from './router';
import { siteTypeStyle, symbolPath } from './registry/labels';

/** Marks made-up or demonstration data wherever it appears (DESIGN §8). `what` is already in the user's language. */
export function IllustrativeBadge({ what }: { what?: string }) {
  const { t } = useTranslation();
  return (
    <span className="badge badge--illustrative" data-testid="illustrative-badge" title={t('illustrative.hint', { what: what ?? t('illustrative.these') })}>
      {t('illustrative.badge')}
    </span>
  );
}

/** The state of a query as LoadStatus shows it. */
export function queryLoad(query: { status: UseQueryResult['status']; error: unknown }): Load {
  if (query.status === 'pending') return { state: 'loading' };
  if (query.status === 'error') return { state: 'error', message: messageOf(query.error) };
  return { state: 'ready' };
}

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready' };

/** A spinner while loading, or the error with a "Try again" button. */
export function LoadStatus({
  load,
  what,
  onRetry,
}: {
  load: Load;
  /** What is loading, in the user's language ("the sites"). */
  what: string;
  onRetry(): void;
}) {
  const { t } = useTranslation();
  if (load.state === 'loading') {
    return (
      <div className="status" role="status">
        <span className="spinner" aria-hidden="true" /> {t('load.loading', { what })}
      </div>
    );
  }
  if (load.state === 'error') {
    return (
      <div className="status status--error" role="alert">
        <p>
          <strong>{t('load.failed', { what })}</strong> {load.message}
        </p>
        <button type="button" onClick={onRetry}>
          {t('actions.tryAgain')}
        </button>
      </div>
    );
  }
  return null;
}

/** The map symbol of a site type, for legends and tables. */
export function SiteSymbol({ type, size = 16 }: { type: string; size?: number }) {
  const style = siteTypeStyle(type);
  const r = size * 0.3;
  return (
    <svg className="site-symbol" width={size} height={size} viewBox={`${-size / 2} ${-size / 2} ${size} ${size}`} aria-hidden="true">
      <path d={symbolPath(style.shape, r)} fill={style.color} stroke="#fff" strokeWidth={1} />
    </svg>
  );
}

/** A server message shown under the field it is about. */
export function FieldError({ field, id, children }: { field: string; id?: string; children: ReactNode }) {
  return (
    <p className="field-error" data-testid="field-error" data-field={field} id={id}>
      {children}
    </p>
  );
}

/** The end of a form: its submit button (showing that it saves while it does) and Cancel. */
export function SaveCancel({ saving, label, testId, onCancel }: { saving: boolean; label: string; testId: string; onCancel(): void }) {
  const { t } = useTranslation();
  return (
    <div className="form-actions">
      <button type="submit" disabled={saving} data-testid={testId}>
        {saving ? t('actions.saving') : label}
      </button>
      <button type="button" className="button--secondary" onClick={onCancel} disabled={saving}>
        {t('actions.cancel')}
      </button>
    </div>
  );
}

/** The box that marks a record as illustrative (made up for demonstration, DESIGN §8). */
export function IllustrativeCheckbox({ checked, onChange }: { checked: boolean; onChange(checked: boolean): void }) {
  const { t } = useTranslation();
  return (
    <label className="checkbox">
      <input type="checkbox" name="illustrative" checked={checked} onChange={(e) => onChange(e.target.checked)} /> {t('illustrative.checkbox')}
    </label>
  );
}

/**
 * A record's page while the record loads or failed to, or when there is none to show (404: it
 * does not exist, or it is not in the user's scope): the way back to its list, and why.
 */
export function RecordUnavailable({
  query,
  list,
  title,
  text,
  what,
}: {
  query: { status: UseQueryResult['status']; error: unknown; refetch(): unknown };
  /** The list to go back to, and its name. */
  list: { to: string; label: string };
  /** Heading and explanation when there is no such record. */
  title: string;
  text: ReactNode;
  /** What is loading, in the user's language. */
  what: string;
}) {
  const notFound = query.error instanceof ApiError && query.error.status === 404;
  return (
    <main id="main" tabIndex={-1} className="page page--medium">
      <p className="breadcrumb">
        <Link to={list.to}>{list.label}</Link>
      </p>
      {notFound ? (
        <>
          <h1>{title}</h1>
          <p>{text}</p>
        </>
      ) : (
        <LoadStatus load={queryLoad(query)} what={what} onRetry={() => void query.refetch()} />
      )}
    </main>
  );
}

/** A page that holds one form in a panel, under a breadcrumb back to its list (and the record's name). */
export function FormPage({ list, current, children }: { list: { to: string; label: string }; current?: string; children: ReactNode }) {
  return (
    <main id="main" tabIndex={-1} className="page page--medium">
      <p className="breadcrumb">
        <Link to={list.to}>{list.label}</Link>
        {current ? (
          <>
            {' '}
            <span aria-hidden="true">›</span> {current}
          </>
        ) : null}
      </p>
      <section className="panel">{children}</section>
    </main>
  );
}
