import { useTranslation } from 'react-i18next';
import { $api } from '../api';
import type { CountryFeature, Schema } from '../api';
import { classify, prevalenceIn, usePrevalenceFormat } from '../prevalence';
import { placeId, useCountryName } from './countries';
import { Sparkline } from './sparkline';

/** Prevalence series of a country as [year, %] pairs, ascending. */
function seriesOf(feature: CountryFeature): [number, number][] {
  return Object.entries(feature.properties.hivPrevalence ?? {})
    .map(([yr, v]): [number, number] => [Number(yr), v])
    .filter(([yr, v]) => Number.isInteger(yr) && typeof v === 'number' && Number.isFinite(v))
    .sort((a, b) => a[0] - b[0]);
}

/** The latest year of the UN DESA migrant stock of a place, or null when it has none. */
function latestMigrants(place: Schema<'PlaceDetail'>): { year: string; stock: number; share: number | null } | null {
  const year = Object.keys(place.migrantStock).sort().at(-1);
  return year ? { year, stock: place.migrantStock[year]!, share: place.migrantSharePercent[year] ?? null } : null;
}

/** Details of the selected country: codes, prevalence in the year, its trend since 1990, migrant stock. */
export function CountryPanel({ feature, year, onClose }: { feature: CountryFeature; year: number | null; onClose(): void }) {
  const { t } = useTranslation('map');
  const { f, prevalence, range } = usePrevalenceFormat();
  const name = useCountryName()(feature);
  const { code, iso2 } = feature.properties;
  // The migrant stock is extra: while it loads, or when it cannot be read, the panel goes without it.
  const { data: migrants } = $api.useQuery('get', '/api/places/{id}', { params: { path: { id: placeId(feature) } } }, { select: latestMigrants });
  const value = year === null ? null : prevalenceIn(feature, year);
  const series = seriesOf(feature);
  const cls = classify(value);
  return (
    <section className="panel country-panel" aria-labelledby="country-panel-title" data-testid="country-panel">
      <div className="panel__header">
        <h2 id="country-panel-title">{name}</h2>
        <button type="button" className="panel__close" onClick={onClose} aria-label={t('country.close', { name })}>
          ×
        </button>
      </div>
      <dl className="facts">
        <div>
          <dt>{t('country.iso3')}</dt>
          <dd>{code ?? '—'}</dd>
        </div>
        <div>
          <dt>{t('country.iso2')}</dt>
          <dd>{iso2 ?? '—'}</dd>
        </div>
        {year !== null ? (
          <div className="facts__wide">
            <dt>{t('country.prevalence', { year })}</dt>
            <dd className="facts__value">
              {prevalence(value)}
              {cls ? <span className="facts__class">{t('country.class', { range: range(cls) })}</span> : null}
            </dd>
          </div>
        ) : null}
        {migrants ? (
          <div className="facts__wide" data-testid="migrant-stock">
            <dt>{t('country.migrants', { year: migrants.year })}</dt>
            <dd>
              {f.number(migrants.stock)}
              {migrants.share !== null ? t('country.migrantShare', { share: f.percent(migrants.share / 100) }) : null}
              <span className="muted">{t('country.migrantSource')}</span>
            </dd>
          </div>
        ) : null}
      </dl>
      {code === null ? <p className="muted">{t('country.noIso')}</p> : null}
      <h3>{t('country.trend')}</h3>
      <Sparkline series={series} year={year} />
      {series.length > 0 ? (
        <details className="country-panel__table">
          <summary>{t('country.byYear')}</summary>
          <table>
            <caption className="visually-hidden">{t('country.tableCaption', { name })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('country.year')}</th>
                <th scope="col">{t('country.value')}</th>
              </tr>
            </thead>
            <tbody>
              {[...series].reverse().map(([yr, v]) => (
                <tr key={yr} aria-current={yr === year ? 'true' : undefined}>
                  <th scope="row">{yr}</th>
                  <td>{v < 0.1 ? `<${f.number(0.1)}` : f.number(v, { minimumFractionDigits: 1, maximumFractionDigits: 1 })}</td>
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
export function TopCountries({ features, year, onSelect }: { features: CountryFeature[]; year: number | null; onSelect(id: string): void }) {
  const { t } = useTranslation('map');
  const { prevalence } = usePrevalenceFormat();
  const nameOf = useCountryName();
  if (year === null) return null;
  const ranked = features
    .map((f) => ({ f, v: prevalenceIn(f, year) }))
    .filter((r): r is { f: CountryFeature; v: number } => r.v !== null)
    .sort((a, b) => b.v - a.v)
    .slice(0, 10);
  return (
    <section className="panel" aria-labelledby="top-title">
      <h2 id="top-title">{t('country.topTitle', { year })}</h2>
      <p className="muted">{t('country.topHint')}</p>
      <ol className="ranking">
        {ranked.map(({ f, v }) => (
          <li key={placeId(f)}>
            <button type="button" className="link-button" onClick={() => onSelect(placeId(f))}>
              {nameOf(f)}
            </button>
            <span className="ranking__value">{prevalence(v)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
