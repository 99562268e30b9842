import type { ReactNode } from 'react';
import { siteTypeStyle, symbolPath } from './registry/labels';

/** Marks made-up or demonstration data wherever it appears (DESIGN §8). */
export function IllustrativeBadge({ what = 'These values' }: { what?: string }) {
  return (
    <span
      className="badge badge--illustrative"
      data-testid="illustrative-badge"
      title={`${what} are illustrative: made up for demonstration, not measured.`}
    >
      Illustrative
    </span>
  );
}

/** A spinner while loading, or the error with a "Try again" button. */
export function LoadStatus({
  load,
  what,
  onRetry,
}: {
  load: { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready' };
  what: string;
  onRetry(): void;
}) {
  if (load.state === 'loading') {
    return (
      <div className="status" role="status">
        <span className="spinner" aria-hidden="true" /> Loading {what}…
      </div>
    );
  }
  if (load.state === 'error') {
    return (
      <div className="status status--error" role="alert">
        <p>
          <strong>Could not load {what}.</strong> {load.message}
        </p>
        <button type="button" onClick={onRetry}>
          Try again
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
