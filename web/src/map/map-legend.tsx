import { useTranslation } from 'react-i18next';
import type { CountryFeature } from '../api';
import { NO_DATA_COLOR, PREVALENCE_CLASSES, classify, prevalenceIn, usePrevalenceFormat } from '../prevalence';

/** Legend of the prevalence classes, with how many countries fall in each for the year. */
export function MapLegend({ features, year }: { features: CountryFeature[]; year: number | null }) {
  const { t } = useTranslation('map');
  const { f, range } = usePrevalenceFormat();
  const counts = new Map<string, number>();
  let noData = 0;
  for (const feature of features) {
    const c = classify(year === null ? null : prevalenceIn(feature, year));
    if (c) counts.set(c.label, (counts.get(c.label) ?? 0) + 1);
    else noData += 1;
  }
  return (
    <section className="legend" data-testid="map-legend" aria-labelledby="legend-title">
      <h2 id="legend-title" className="legend__title">
        {year === null ? t('legend.title') : t('legend.titleYear', { year })}
      </h2>
      <ul className="legend__items">
        {PREVALENCE_CLASSES.map((c) => {
          const count = counts.get(c.label) ?? 0;
          return (
            <li key={c.label} className="legend__item" data-class={c.label} data-color={c.color}>
              <span className="legend__swatch" style={{ background: c.color }} aria-hidden="true" />
              <span className="legend__label">{range(c)}</span>
              <span className="legend__count" aria-label={t('legend.countries', { count })}>
                {f.number(count)}
              </span>
            </li>
          );
        })}
        <li className="legend__item legend__item--nodata" data-class="no-data" data-color={NO_DATA_COLOR}>
          <span className="legend__swatch" style={{ background: NO_DATA_COLOR }} aria-hidden="true" />
          <span className="legend__label">{t('legend.noData')}</span>
          <span className="legend__count" aria-label={t('legend.countries', { count: noData })}>
            {f.number(noData)}
          </span>
        </li>
      </ul>
      <p className="legend__note">{t('legend.note')}</p>
    </section>
  );
}
