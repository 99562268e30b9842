import { useEffect, useState } from 'react';
import { getJson } from '../api';
import { placeId } from './countries';
import type { CountryFeature } from '../api';
import { classify, formatPrevalence, prevalenceIn } from '../prevalence';
import { Sparkline } from './sparkline';

/** Prevalence series of a country as [year, %] pairs, ascending. */
function seriesOf(feature: CountryFeature): [number, number][] {
  return Object.entries(feature.properties.hivPrevalence ?? {})
    .map(([yr, v]): [number, number] => [Number(yr), v])
    .filter(([yr, v]) => Number.isInteger(yr) && typeof v === 'number' && Number.isFinite(v))
    .sort((a, b) => a[0] - b[0]);
}

/** UN DESA migrant stock of a country (GET /api/places/{id}), latest year. */
function useMigrantStock(feature: CountryFeature): { year: string; stock: number; share: number | null } | null {
  const [stock, setStock] = useState<{ year: string; stock: number; share: number | null } | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    setStock(null);
    getJson<{ migrantStock?: Record<string, number>; migrantSharePercent?: Record<string, number> }>(`/api/places/${placeId(feature)}`, controller.signal)
      .then((d) => {
        const years = Object.keys(d.migrantStock ?? {}).sort();
        const last = years.at(-1);
        if (last) setStock({ year: last, stock: d.migrantStock![last]!, share: d.migrantSharePercent?.[last] ?? null });
      })
      .catch(() => undefined);
    return () => controller.abort();
  }, [feature]);
  return stock;
}

/** Details of the selected country: codes, prevalence in the year, its trend since 1990, migrant stock. */
export function CountryPanel({ feature, year, onClose }: { feature: CountryFeature; year: number | null; onClose(): void }) {
  const { name, code, iso2 } = feature.properties;
  const migrants = useMigrantStock(feature);
  const value = year === null ? null : prevalenceIn(feature, year);
  const series = seriesOf(feature);
  const cls = classify(value);
  return (
    <section className="panel country-panel" aria-labelledby="country-panel-title" data-testid="country-panel">
      <div className="panel__header">
        <h2 id="country-panel-title">{name}</h2>
        <button type="button" className="panel__close" onClick={onClose} aria-label={`Close details of ${name}`}>
          ×
        </button>
      </div>
      <dl className="facts">
        <div>
          <dt>ISO3</dt>
          <dd>{code ?? '—'}</dd>
        </div>
        <div>
          <dt>ISO2</dt>
          <dd>{iso2 ?? '—'}</dd>
        </div>
        {year !== null ? (
          <div className="facts__wide">
            <dt>Adult HIV prevalence, {year}</dt>
            <dd className="facts__value">
              {formatPrevalence(value)}
              {cls ? <span className="facts__class"> (class {cls.label} %)</span> : null}
            </dd>
          </div>
        ) : null}
        {migrants ? (
          <div className="facts__wide" data-testid="migrant-stock">
            <dt>International migrants, {migrants.year}</dt>
            <dd>
              {migrants.stock.toLocaleString('en')}
              {migrants.share !== null ? ` (${migrants.share.toFixed(1)} % of the population)` : ''}
              <span className="muted"> — UN DESA</span>
            </dd>
          </div>
        ) : null}
      </dl>
      {code === null ? (
        <p className="muted">
          This territory has no ISO 3166 code in Natural Earth, so no UNAIDS estimate can be matched to it.
        </p>
      ) : null}
      <h3>Trend, adults 15–49 (%)</h3>
      <Sparkline series={series} year={year} />
      {series.length > 0 ? (
        <details className="country-panel__table">
          <summary>Values by year</summary>
          <table>
            <caption className="visually-hidden">Adult HIV prevalence in {name} by year</caption>
            <thead>
              <tr>
                <th scope="col">Year</th>
                <th scope="col">Prevalence (%)</th>
              </tr>
            </thead>
            <tbody>
              {[...series].reverse().map(([yr, v]) => (
                <tr key={yr} aria-current={yr === year ? 'true' : undefined}>
                  <th scope="row">{yr}</th>
                  <td>{v < 0.1 ? '<0.1' : v.toFixed(1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
    </section>
  );
}

/** The countries with the highest prevalence in the year, as a starting point before a click. */
export function TopCountries({
  features,
  year,
  onSelect,
}: {
  features: CountryFeature[];
  year: number | null;
  onSelect(id: string): void;
}) {
  if (year === null) return null;
  const ranked = features
    .map((f) => ({ f, v: prevalenceIn(f, year) }))
    .filter((r): r is { f: CountryFeature; v: number } => r.v !== null)
    .sort((a, b) => b.v - a.v)
    .slice(0, 10);
  return (
    <section className="panel" aria-labelledby="top-title">
      <h2 id="top-title">Highest prevalence, {year}</h2>
      <p className="muted">Select a country on the map or below to see its trend since 1990.</p>
      <ol className="ranking">
        {ranked.map(({ f, v }) => (
          <li key={placeId(f)}>
            <button type="button" className="link-button" onClick={() => onSelect(placeId(f))}>
              {f.properties.name}
            </button>
            <span className="ranking__value">{formatPrevalence(v)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
