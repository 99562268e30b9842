import { IllustrativeBadge, SiteSymbol } from '../components';
import { formatCount, formatDate, formatRange } from '../registry/labels';
import type { SiteFeature } from '../registry/types';
import { Link } from '../router';

/** The site clicked on the map: what it is, who is there, how many service gaps, and a link to its profile. */
export function SitePanel({
  site,
  typeName,
  countryName,
  onClose,
}: {
  site: SiteFeature;
  typeName: string;
  countryName: string;
  onClose(): void;
}) {
  const { id, name, type, totals, gapCount, illustrative, assessmentDate } = site.properties;
  const hasPopulation = totals && totals.sizeHigh > 0;
  return (
    <section className="panel site-panel" aria-labelledby="site-panel-title" data-testid="site-panel">
      <div className="panel__header">
        <h2 id="site-panel-title">{name}</h2>
        <button type="button" className="panel__close" onClick={onClose} aria-label={`Close details of ${name}`}>
          ×
        </button>
      </div>
      <p className="site-panel__type">
        <SiteSymbol type={type} /> {typeName} · {countryName}
        {illustrative ? (
          <>
            {' '}
            <IllustrativeBadge what="This site's data" />
          </>
        ) : null}
      </p>
      <dl className="facts">
        <div className="facts__wide">
          <dt>Population present (low–high)</dt>
          <dd className="facts__value" data-testid="site-panel-population">
            {hasPopulation ? formatRange(totals.sizeLow, totals.sizeHigh) : 'Not estimated'}
          </dd>
          {hasPopulation ? <dd className="facts__class">point estimate {formatCount(totals.sizeEstimate)}</dd> : null}
        </div>
        <div>
          <dt>Service gaps</dt>
          <dd className={gapCount > 0 ? 'facts__value facts__value--alert' : 'facts__value'} data-testid="site-panel-gaps">
            {gapCount}
          </dd>
        </div>
        <div>
          <dt>Assessed</dt>
          <dd>{formatDate(assessmentDate)}</dd>
        </div>
      </dl>
      <p className="muted">
        {gapCount > 0
          ? 'A gap is a population present here without a service it needs (missing or only partly available).'
          : 'Every population recorded here has the services it needs, as far as the assessment shows.'}
      </p>
      <Link to={`/sites/${encodeURIComponent(id)}`} className="button-link" data-testid="site-profile-link">
        Open site profile →
      </Link>
    </section>
  );
}
