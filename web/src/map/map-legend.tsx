import type { CountryFeature } from '../api';
import { NO_DATA_COLOR, PREVALENCE_CLASSES, classify, prevalenceIn } from '../prevalence';

/** Legend of the prevalence classes, with how many countries fall in each for the year. */
export function MapLegend({ features, year }: { features: CountryFeature[]; year: number | null }) {
  const counts = new Map<string, number>();
  let noData = 0;
  for (const f of features) {
    const c = classify(year === null ? null : prevalenceIn(f, year));
    if (c) counts.set(c.label, (counts.get(c.label) ?? 0) + 1);
    else noData += 1;
  }
  const countries = (n: number) => `${n} ${n === 1 ? 'country' : 'countries'}`;
  return (
    <section className="legend" data-testid="map-legend" aria-labelledby="legend-title">
      <h2 id="legend-title" className="legend__title">
        Adult HIV prevalence (%){year === null ? '' : `, ${year}`}
      </h2>
      <ul className="legend__items">
        {PREVALENCE_CLASSES.map((c) => (
          <li key={c.label} className="legend__item" data-class={c.label} data-color={c.color}>
            <span className="legend__swatch" style={{ background: c.color }} aria-hidden="true" />
            <span className="legend__label">{c.label}</span>
            <span className="legend__count" aria-label={countries(counts.get(c.label) ?? 0)}>
              {counts.get(c.label) ?? 0}
            </span>
          </li>
        ))}
        <li className="legend__item legend__item--nodata" data-class="no-data" data-color={NO_DATA_COLOR}>
          <span className="legend__swatch" style={{ background: NO_DATA_COLOR }} aria-hidden="true" />
          <span className="legend__label">No data</span>
          <span className="legend__count" aria-label={countries(noData)}>
            {noData}
          </span>
        </li>
      </ul>
      <p className="legend__note">Classes include their lower bound (2–5 means 2 ≤ p &lt; 5). Numbers: countries in each class.</p>
    </section>
  );
}
