import { useTranslation } from 'react-i18next';
import type { Schema } from '../api';
import { IllustrativeBadge, SiteSymbol } from '../components';
import { formatCount, formatRange, useFormat } from '../i18n/format';
import { Link } from '../router';

/** The site clicked on the map: what it is, who is there, how many service gaps, and a link to its profile. */
export function SitePanel({ site, typeName, countryName, onClose }: { site: Schema<'SiteFeature'>; typeName: string; countryName: string; onClose(): void }) {
  const { t } = useTranslation('map');
  const f = useFormat();
  const { id, name, type, totals, gapCount, illustrative, assessmentDate } = site.properties;
  const hasPopulation = totals.sizeHigh > 0;
  return (
    <section className="panel site-panel" aria-labelledby="site-panel-title" data-testid="site-panel">
      <div className="panel__header">
        <h2 id="site-panel-title">{name}</h2>
        <button type="button" className="panel__close" onClick={onClose} aria-label={t('site.close', { name })}>
          ×
        </button>
      </div>
      <p className="site-panel__type">
        <SiteSymbol type={type} /> {typeName} · {countryName}
        {illustrative ? (
          <>
            {' '}
            <IllustrativeBadge what={t('site.illustrative')} />
          </>
        ) : null}
      </p>
      <dl className="facts">
        <div className="facts__wide">
          <dt>{t('site.population')}</dt>
          <dd className="facts__value" data-testid="site-panel-population">
            {hasPopulation ? formatRange(f, totals.sizeLow, totals.sizeHigh) : t('site.notEstimated')}
          </dd>
          {hasPopulation ? <dd className="facts__class">{t('site.pointEstimate', { value: formatCount(f, totals.sizeEstimate) })}</dd> : null}
        </div>
        <div>
          <dt>{t('site.gaps')}</dt>
          <dd className={gapCount > 0 ? 'facts__value facts__value--alert' : 'facts__value'} data-testid="site-panel-gaps">
            {f.number(gapCount)}
          </dd>
        </div>
        <div>
          <dt>{t('site.assessed')}</dt>
          <dd>{assessmentDate ? f.date(assessmentDate) : '—'}</dd>
        </div>
      </dl>
      <p className="muted">{gapCount > 0 ? t('site.gapsExplained') : t('site.noGaps')}</p>
      <Link to={`/sites/${encodeURIComponent(id)}`} className="button-link" data-testid="site-profile-link">
        {t('site.profile')}
      </Link>
    </section>
  );
}
