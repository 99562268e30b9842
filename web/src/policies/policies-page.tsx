import { useCallback, useMemo, useState } from 'react';
import { getJson, itemsOf } from '../api';
import { loadCountries, placeId } from '../map/countries';
import type { CountryFeature } from '../api';
import { IllustrativeBadge, LoadStatus } from '../components';
import { WorldMap } from '../map/world-map';
import type { Shading } from '../map/world-map';
import { POLICY_STATUS_NAMES, RESTRICTION_NAMES, formatDate, words } from '../registry/labels';
import type { Policy, PolicyCountryStatus, ReferenceCount } from '../registry/types';
import { useLoad } from '../use-load';

type MapStatus = 'restrictions' | 'none' | 'unclear' | 'no-data';

export const POLICY_COLORS: Record<MapStatus, string> = {
  restrictions: '#c62828',
  none: '#4a90c2',
  unclear: '#f2c14e',
  'no-data': '#d9dbde',
};

const STATUS_LABELS: Record<MapStatus, string> = {
  restrictions: 'Restrictions in force',
  none: 'No restrictions',
  unclear: 'Unclear',
  'no-data': 'No data',
};

const MAP_STATUSES: MapStatus[] = ['restrictions', 'unclear', 'none', 'no-data'];

/** HIV-related travel restrictions: the user's cited table, a world map of it, and the published counts beside it. */
export function PoliciesPage() {
  const [country, setCountry] = useState('');
  const [restriction, setRestriction] = useState('');
  const [status, setStatus] = useState('');
  const params = new URLSearchParams();
  if (country) params.set('country', country);
  if (restriction) params.set('restriction', restriction);
  if (status) params.set('status', status);
  const q = params.toString();

  const [policies, retryPolicies] = useLoad(`policies?${q}`, () =>
    getJson<unknown>(`/api/policies${q ? `?${q}` : ''}`).then((b) => itemsOf<Policy>(b)),
  );
  const [byCountry, retryByCountry] = useLoad('status-by-country', () =>
    getJson<unknown>('/api/policies/status-by-country').then((b) => itemsOf<PolicyCountryStatus>(b)),
  );
  const [references, retryReferences] = useLoad('reference-counts', () =>
    getJson<unknown>('/api/policies/reference-counts').then((b) => itemsOf<ReferenceCount>(b)),
  );
  const [countries, retryCountries] = useLoad('country-shapes', loadCountries);

  const statusList = byCountry.state === 'ready' ? byCountry.data : [];
  const inForce = statusList.filter((s) => s.status === 'restrictions').length;

  return (
    <main id="main" tabIndex={-1} className="page policies-page">
      <div className="page-heading">
        <h1>HIV-related travel restrictions</h1>
        <p className="lede">
          Restrictions on entry, stay and residence of people living with HIV, as recorded and cited in Corridor, country
          by country; beside them, the counts published by UNAIDS and others, for reference.
        </p>
      </div>

      <div className="policy-layout">
        <figure className="map-figure">
          {countries.state === 'ready' && byCountry.state === 'ready' ? (
            <PolicyMap features={countries.data.features} statuses={statusList} onSelect={setCountry} />
          ) : byCountry.state === 'error' ? (
            <LoadStatus load={byCountry} what="the status by country" onRetry={retryByCountry} />
          ) : (
            <LoadStatus load={countries.state === 'error' ? countries : { state: 'loading' }} what="the map" onRetry={retryCountries} />
          )}
          <figcaption className="map-caption">
            Status of each country from the policies recorded below: “restrictions” when at least one restriction is in
            force. Select a country to list its policies. Boundaries: Natural Earth.
          </figcaption>
        </figure>
        <aside className="panel reference-panel" aria-labelledby="reference-title" data-testid="reference-counts">
          <h2 id="reference-title">Published counts, for reference</h2>
          {byCountry.state === 'ready' ? (
            <p className="reference-panel__ours">
              This table: <strong data-testid="countries-with-restrictions">{inForce}</strong> of {statusList.length}{' '}
              countries recorded have a restriction in force.
            </p>
          ) : null}
          {references.state !== 'ready' ? (
            <LoadStatus load={references} what="the published counts" onRetry={retryReferences} />
          ) : (
            <ReferenceCounts items={references.data} />
          )}
        </aside>
      </div>

      <section aria-labelledby="policies-title">
        <h2 id="policies-title">Policies by country</h2>
        <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter policies">
          <div className="field">
            <label htmlFor="policies-country">Country</label>
            <select id="policies-country" value={country} onChange={(e) => setCountry(e.target.value)}>
              <option value="">All countries</option>
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
            <label htmlFor="policies-restriction">Restriction</label>
            <select id="policies-restriction" value={restriction} onChange={(e) => setRestriction(e.target.value)}>
              <option value="">All restrictions</option>
              {Object.entries(RESTRICTION_NAMES).map(([code, name]) => (
                <option key={code} value={code}>
                  {name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="policies-status">Status</label>
            <select id="policies-status" value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">All statuses</option>
              {Object.entries(POLICY_STATUS_NAMES).map(([code, name]) => (
                <option key={code} value={code}>
                  {name}
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
              Clear filters
            </button>
          ) : null}
        </form>
        {policies.state !== 'ready' ? (
          <LoadStatus load={policies} what="policies" onRetry={retryPolicies} />
        ) : (
          <PolicyTable policies={policies.data} filtered={Boolean(q)} />
        )}
      </section>
    </main>
  );
}

function PolicyMap({
  features,
  statuses,
  onSelect,
}: {
  features: CountryFeature[];
  statuses: PolicyCountryStatus[];
  onSelect(code: string): void;
}) {
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
        if (!s) return { text: 'no policy recorded', muted: true };
        if (s.status !== 'restrictions') return { text: STATUS_LABELS[s.status] };
        return { text: `in force: ${s.restrictions.map((r) => RESTRICTION_NAMES[r] ?? words(r)).join('; ')}` };
      },
    }),
    [byCode, statusOf],
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
        label="World map of HIV-related travel restrictions by country"
        testId="policy-map"
      />
      <section className="legend" aria-labelledby="policy-legend-title" data-testid="policy-legend">
        <h2 id="policy-legend-title" className="legend__title">
          HIV-related restrictions on entry, stay or residence
        </h2>
        <ul className="legend__items">
          {MAP_STATUSES.map((s) => (
            <li key={s} className="legend__item legend__item--wide" data-status={s} data-color={POLICY_COLORS[s]}>
              <span className="legend__swatch" style={{ background: POLICY_COLORS[s] }} aria-hidden="true" />
              <span className="legend__label">{STATUS_LABELS[s]}</span>
              <span className="legend__count">
                {counts.get(s) ?? 0} {(counts.get(s) ?? 0) === 1 ? 'country' : 'countries'}
              </span>
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
  // "same" repeats the source or reference of the row above.
  let lastSource = '';
  let lastReference = '';
  const rows = items.map((item) => {
    const source = item.source && item.source !== 'same' ? item.source : lastSource;
    const reference = item.reference && item.reference !== 'same' ? item.reference : lastReference;
    lastSource = source;
    lastReference = reference;
    return { ...item, asOf: item.asOf === null || item.asOf === undefined || item.asOf === '' ? 'n.d.' : String(item.asOf), source, reference };
  });
  return (
    <ol className="reference-list" data-testid="reference-list">
      {rows.map((r, i) => (
        <li key={i} className="reference">
          <span className="reference__count">{r.count}</span>
          <div className="reference__text">
            <span className="reference__metric">
              <span className="reference__year">{r.asOf}</span> {r.metric}
            </span>
            <span className="reference__source">
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

function PolicyTable({ policies, filtered }: { policies: Policy[]; filtered: boolean }) {
  if (policies.length === 0) {
    return (
      <p className="empty" data-testid="policies-table">
        {filtered ? 'No policy matches these filters.' : 'No policies are recorded yet.'}
      </p>
    );
  }
  const order = Object.keys(RESTRICTION_NAMES);
  const rank = (r: string) => (order.includes(r) ? order.indexOf(r) : order.length);
  const sorted = [...policies].sort(
    (a, b) => a.countryName.localeCompare(b.countryName) || rank(a.restriction) - rank(b.restriction) || a.restriction.localeCompare(b.restriction),
  );
  // A country's rows often share one source (one press release covers all five restriction types):
  // the country, and a citation repeated on consecutive rows, are shown once across those rows.
  const countrySpan = new Map<number, number>();
  const citationSpan = new Map<number, number>();
  const same = (a: Policy, b: Policy) => a.citation === b.citation && a.notes === b.notes && a.lastVerified === b.lastVerified;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j]!.country === sorted[i]!.country) j++;
    countrySpan.set(i, j - i);
    for (let k = i; k < j; ) {
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
        <caption className="visually-hidden">HIV-related travel restrictions by country</caption>
        <thead>
          <tr>
            <th scope="col">Country</th>
            <th scope="col">Restriction</th>
            <th scope="col">Status</th>
            <th scope="col">Effective</th>
            <th scope="col">Citation</th>
            <th scope="col">Last verified</th>
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
                {RESTRICTION_NAMES[p.restriction] ?? words(p.restriction)}
                {p.illustrative ? (
                  <>
                    {' '}
                    <IllustrativeBadge what="This policy record" />
                  </>
                ) : null}
              </td>
              <td>
                <span className={`policy-status policy-status--${p.status}`}>{POLICY_STATUS_NAMES[p.status] ?? words(p.status)}</span>
              </td>
              <td className="cell-nowrap">{formatDate(p.effectiveDate)}</td>
              {citationSpan.has(i) ? (
                <>
                  <td className="cell-citation" data-testid="policy-citation" rowSpan={citationSpan.get(i)}>
                    {p.citation}
                    {p.notes ? <span className="policy-table__notes">{p.notes}</span> : null}
                  </td>
                  <td className="cell-nowrap" rowSpan={citationSpan.get(i)}>
                    {formatDate(p.lastVerified)}
                  </td>
                </>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
