import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { messageOf } from './api';
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
