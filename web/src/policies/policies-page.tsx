import { useCallback, useMemo, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { $api } from '../api';
import type { QueryOf } from '../api';
import { placeId, useCountries } from '../map/countries';
import type { CountryFeature } from '../api';
import { IllustrativeBadge, LoadStatus, queryLoad } from '../components';
import { WorldMap } from '../map/world-map';
import type { Shading } from '../map/world-map';
import { useFormat } from '../i18n/format';
import { Link } from '../router';
import { useCan } from '../session';
import { POLICY_STATUSES, RESTRICTIONS, usePolicyNames } from './names';
import type { Policy, PolicyCountryStatus, ReferenceCount } from '../registry/types';

type MapStatus = 'restrictions' | 'none' | 'unclear' | 'no-data';

export const POLICY_COLORS: Record<MapStatus, string> = {
  restrictions: '#c62828',
  none: '#4a90c2',
  unclear: '#f2c14e',
  'no-data': '#d9dbde',
};

const MAP_STATUSES: MapStatus[] = ['restrictions', 'unclear', 'none', 'no-data'];
/** HIV-related travel restrictions: the user's cited table, a world map of it, and the published counts beside it. */
export function PoliciesPage() {
  const { t } = useTranslation('portfolio');
  const canWrite = useCan('registry:write');
  const named = usePolicyNames();
  const [country, setCountry] = useState('');
  const [restriction, setRestriction] = useState('');
  const [status, setStatus] = useState('');
  const query: QueryOf<'/api/policies'> = { limit: 5000 };
  if (country) query.country = country;
  if (restriction) query.restriction = restriction as QueryOf<'/api/policies'>['restriction'];
  if (status) query.status = status as QueryOf<'/api/policies'>['status'];
  const q = Boolean(country || restriction || status);

  const policies = $api.useQuery('get', '/api/policies', { params: { query } });
  const byCountry = $api.useQuery('get', '/api/policies/status-by-country');
  const references = $api.useQuery('get', '/api/policies/reference-counts');
  const countries = useCountries();

  const statusList = byCountry.data?.items ?? [];
  const inForce = statusList.filter((s) => s.status === 'restrictions').length;

  return (
    <main id="main" tabIndex={-1} className="page policies-page">
      <div className="page-heading page-heading--actions">
        <div>
          <h1>{t('policies.title')}</h1>
          <p className="lede">{t('policies.lede')}</p>
        </div>
        {canWrite ? (
          <Link to="/policies/new" className="button-link" data-testid="policy-new">
            {t('policies.new')}
          </Link>
        ) : null}
      </div>

      <div className="policy-layout">
        <figure className="map-figure">
          {countries.data && byCountry.data ? (
            <PolicyMap features={countries.data} statuses={statusList} onSelect={setCountry} />
          ) : byCountry.status === 'error' ? (
            <LoadStatus load={queryLoad(byCountry)} what={t('policies.whatByCountry')} onRetry={() => void byCountry.refetch()} />
          ) : (
            <LoadStatus load={queryLoad(countries)} what={t('policies.whatMap')} onRetry={() => void countries.refetch()} />
          )}
          <figcaption className="map-caption">{t('policies.caption')}</figcaption>
        </figure>
        <aside className="panel reference-panel" aria-labelledby="reference-title" data-testid="reference-counts">
          <h2 id="reference-title">{t('policies.referenceTitle')}</h2>
          {byCountry.data ? (
            <p className="reference-panel__ours">
              <Trans
                t={t}
                i18nKey="policies.ours"
                values={{ inForce, total: statusList.length }}
                components={{ 1: <strong data-testid="countries-with-restrictions" /> }}
              />
            </p>
          ) : null}
          {!references.data ? (
            <LoadStatus load={queryLoad(references)} what={t('policies.whatCounts')} onRetry={() => void references.refetch()} />
          ) : (
            <ReferenceCounts items={references.data.items} />
          )}
        </aside>
      </div>

      <section aria-labelledby="policies-title">
        <h2 id="policies-title">{t('policies.byCountry')}</h2>
        <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label={t('policies.filter')}>
          <div className="field">
            <label htmlFor="policies-country">{t('policies.country')}</label>
            <select id="policies-country" value={country} onChange={(e) => setCountry(e.target.value)}>
              <option value="">{t('policies.allCountries')}</option>
              {[...statusList]
                .sort((a, b) => a.countryName.localeCompare(b.countryName))
                .map((c) => (
                  <option key={c.country} value={c.country}>
                    {c.countryName}
                  </option>
                ))}
              {country && !statusList.some((c) => c.country === country) ? <option value={country}>{country}</option> : null}
            </select>
          </div>
          <div className="field">
            <label htmlFor="policies-restriction">{t('policies.restriction')}</label>
            <select id="policies-restriction" value={restriction} onChange={(e) => setRestriction(e.target.value)}>
              <option value="">{t('policies.allRestrictions')}</option>
              {RESTRICTIONS.map((code) => (
                <option key={code} value={code}>
                  {named('restrictions', code)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="policies-status">{t('policies.status')}</label>
            <select id="policies-status" value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">{t('policies.allStatuses')}</option>
              {POLICY_STATUSES.map((code) => (
                <option key={code} value={code}>
                  {named('statuses', code)}
                </option>
              ))}
            </select>
          </div>
          {q ? (
            <button
              type="button"
              className="button--secondary"
              onClick={() => {
                setCountry('');
                setRestriction('');
                setStatus('');
              }}
            >
              {t('policies.clear')}
            </button>
          ) : null}
        </form>
        {!policies.data ? (
          <LoadStatus load={queryLoad(policies)} what={t('policies.what')} onRetry={() => void policies.refetch()} />
        ) : (
          <PolicyTable policies={policies.data.items} filtered={q} canWrite={canWrite} />
        )}
      </section>
    </main>
  );
}

function PolicyMap({ features, statuses, onSelect }: { features: CountryFeature[]; statuses: PolicyCountryStatus[]; onSelect(code: string): void }) {
  const { t } = useTranslation('portfolio');
  const named = usePolicyNames();
  const byCode = useMemo(() => new Map(statuses.map((s) => [s.country, s])), [statuses]);
  const statusOf = useCallback(
    (f: CountryFeature): MapStatus => (f.properties.code ? (byCode.get(f.properties.code)?.status ?? 'no-data') : 'no-data'),
    [byCode],
  );
  const shading = useMemo<Shading>(
    () => ({
      fill: (f) => POLICY_COLORS[statusOf(f)],
      status: statusOf,
      describe: (f) => {
        const s = f.properties.code ? byCode.get(f.properties.code) : undefined;
        if (!s) return { text: t('policies.noPolicy'), muted: true };
        if (s.status !== 'restrictions') return { text: named('mapStatus', s.status) };
        return { text: t('policies.inForce', { list: s.restrictions.map((r) => named('restrictions', r)).join('; ') }) };
      },
    }),
    // `named` follows `t`.
    [byCode, statusOf, t],
  );
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const counts = new Map<MapStatus, number>();
  for (const f of features) counts.set(statusOf(f), (counts.get(statusOf(f)) ?? 0) + 1);

  return (
    <>
      <WorldMap
        features={features}
        shading={shading}
        selectedId={selectedId}
        onSelect={(id) => {
          setSelectedId(id);
          const code = features.find((f) => placeId(f) === id)?.properties.code;
          if (code) onSelect(code);
        }}
        label={t('policies.mapLabel')}
        testId="policy-map"
      />
      <section className="legend" aria-labelledby="policy-legend-title" data-testid="policy-legend">
        <h2 id="policy-legend-title" className="legend__title">
          {t('policies.legendTitle')}
        </h2>
        <ul className="legend__items">
          {MAP_STATUSES.map((s) => (
            <li key={s} className="legend__item legend__item--wide" data-status={s} data-color={POLICY_COLORS[s]}>
              <span className="legend__swatch" style={{ background: POLICY_COLORS[s] }} aria-hidden="true" />
              <span className="legend__label">{named('mapStatus', s)}</span>
              <span className="legend__count">{t('policies.countries', { count: counts.get(s) ?? 0 })}</span>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

function isUrl(s: string): boolean {
  return /^https?:\/\//.test(s);
}

/** The published counts of countries with restrictions, 2008–2021, each with its source. */
function ReferenceCounts({ items }: { items: ReferenceCount[] }) {
  const { t } = useTranslation('portfolio');
  // "same" repeats the source or reference of the row above.
  let lastSource = '';
  let lastReference = '';
  const rows = items.map((item) => {
    const source = item.source && item.source !== 'same' ? item.source : lastSource;
    const reference = item.reference && item.reference !== 'same' ? item.reference : lastReference;
    lastSource = source;
    lastReference = reference;
    return { ...item, asOf: item.asOf === null || item.asOf === undefined || item.asOf === '' ? t('policies.undated') : String(item.asOf), source, reference };
  });
  return (
    <ol className="reference-list" data-testid="reference-list">
      {rows.map((r, i) => (
        <li key={i} className="reference">
          <span className="reference__count">{r.count}</span>
          <div className="reference__text">
            <span className="reference__metric">
              <span className="reference__year">{r.asOf}</span> <span translate="no">{r.metric}</span>
            </span>
            <span className="reference__source" translate="no">
              {isUrl(r.reference) ? (
                <a href={r.reference} rel="noreferrer noopener" target="_blank">
                  {r.source}
                </a>
              ) : (
                <>
                  {r.source}
                  {r.reference && r.reference !== r.source ? ` (${r.reference})` : ''}
                </>
              )}{' '}
              · {r.confidence}
            </span>
          </div>
        </li>
      ))}
    </ol>
  );
}

function PolicyTable({ policies, filtered, canWrite }: { policies: Policy[]; filtered: boolean; canWrite: boolean }) {
  const { t } = useTranslation('portfolio');
  const f = useFormat();
  const named = usePolicyNames();
  if (policies.length === 0) {
    return (
      <p className="empty" data-testid="policies-table">
        {t(filtered ? 'policies.noMatch' : 'policies.none')}
      </p>
    );
  }
  const order = RESTRICTIONS;
  const rank = (r: string) => (order.includes(r) ? order.indexOf(r) : order.length);
  const sorted = [...policies].sort(
    (a, b) => a.countryName.localeCompare(b.countryName) || rank(a.restriction) - rank(b.restriction) || a.restriction.localeCompare(b.restriction),
  );
  // A country's rows often share one source (one press release covers all five restriction types):
  // the country, and a citation repeated on consecutive rows, are shown once across those rows.
  const countrySpan = new Map<number, number>();
  const citationSpan = new Map<number, number>();
  const same = (a: Policy, b: Policy) => a.citation === b.citation && a.notes === b.notes && a.lastVerified === b.lastVerified;
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j < sorted.length && sorted[j]!.country === sorted[i]!.country) j++;
    countrySpan.set(i, j - i);
    for (let k = i; k < j;) {
      let m = k;
      while (m < j && same(sorted[m]!, sorted[k]!)) m++;
      citationSpan.set(k, m - k);
      k = m;
    }
    i = j;
  }
  return (
    <div className="table-scroll">
      <table className="data-table policy-table" data-testid="policies-table">
        <caption className="visually-hidden">{t('policies.tableCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('policies.country')}</th>
            <th scope="col">{t('policies.restriction')}</th>
            <th scope="col">{t('policies.status')}</th>
            <th scope="col">{t('policies.effective')}</th>
            <th scope="col">{t('policies.citation')}</th>
            <th scope="col">{t('policies.lastVerified')}</th>
            {canWrite ? (
              <th scope="col">
                <span className="visually-hidden">{t('policies.editColumn')}</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {sorted.map((p, i) => (
            <tr key={p.id} data-country={p.country} data-status={p.status} className={countrySpan.has(i) ? 'policy-table__first' : undefined}>
              {countrySpan.has(i) ? (
                <th scope="rowgroup" rowSpan={countrySpan.get(i)}>
                  {p.countryName}
                </th>
              ) : null}
              <td className="policy-table__restriction">
                {named('restrictions', p.restriction)}
                {p.illustrative ? (
                  <>
                    {' '}
                    <IllustrativeBadge what={t('policies.illustrative')} />
                  </>
                ) : null}
              </td>
              <td>
                <span className={`policy-status policy-status--${p.status}`}>{named('statuses', p.status)}</span>
              </td>
              <td className="cell-nowrap">{f.day(p.effectiveDate)}</td>
              {citationSpan.has(i) ? (
                <>
                  <td className="cell-citation" data-testid="policy-citation" rowSpan={citationSpan.get(i)} translate="no">
                    {p.citation}
                    {p.notes ? <span className="policy-table__notes">{p.notes}</span> : null}
                  </td>
                  <td className="cell-nowrap" rowSpan={citationSpan.get(i)}>
                    {f.day(p.lastVerified)}
                  </td>
                </>
              ) : null}
              {canWrite ? (
                <td>
                  <Link
                    to={`/policies/${encodeURIComponent(p.id)}`}
                    data-testid="policy-edit"
                    aria-label={t('policies.edit', { restriction: named('restrictions', p.restriction), country: p.countryName })}
                  >
                    {t('policies.editShort')}
                  </Link>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
