import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { $api } from '../api';
import type { CountryFeature, Schema } from '../api';
import { LoadStatus, queryLoad } from '../components';
import { colorFor, prevalenceIn, usePrevalenceFormat, yearsIn } from '../prevalence';
import { SITE_TYPES, useSiteTypeName } from '../sites/names';
import { Link } from '../router';
import { placeId, useCountries, useCountryName } from './countries';
import { CountryPanel, TopCountries } from './country-panel';
import { LayerPanel } from './layer-panel';
import type { LayerKey } from './layer-panel';
import { MapLegend } from './map-legend';
import { RegistryOverlay } from './registry-layers';
import { SitePanel } from './site-panel';
import { WorldMap } from './world-map';
import type { MapView, Shading, WorldMapHandle } from './world-map';

type Base = 'prevalence' | 'plain';
type Flow = Schema<'Flow'>;
type RouteTotal = Schema<'RouteTotal'>;
type SiteFeature = Schema<'SiteFeature'>;

const PLAY_INTERVAL_MS = 700;
/** Fill of every country on the plain base map. */
const PLAIN_FILL = '#ecebe6';

/** The map page: sites, corridors and flows over UNAIDS adult HIV prevalence (or a plain base). */
export function MapPage() {
  const { t } = useTranslation('map');
  const countries = useCountries();
  const registry = useRegistryData();

  return (
    <main id="main" tabIndex={-1} className="page map-page">
      <div className="page-heading">
        <h1>{t('page.title')}</h1>
        <p className="lede">{t('page.lede')}</p>
      </div>
      <LoadStatus load={queryLoad(countries)} what={t('page.loadingWhat')} onRetry={() => void countries.refetch()} />
      {countries.data ? <RegistryMap features={countries.data} registry={registry} /> : null}
    </main>
  );
}

/** Years of the flows on record, newest first. */
function flowYears(flows: Flow[]): string[] {
  const years = new Set<string>();
  for (const f of flows) {
    const start = Number(f.periodStart.slice(0, 4));
    const end = Number(f.periodEnd.slice(0, 4));
    if (!Number.isInteger(start) || !Number.isInteger(end)) continue;
    for (let y = start; y <= end && y - start < 50; y++) years.add(String(y));
  }
  return [...years].sort().reverse();
}

/** With aggregate=route the flows answer route totals; routes without people are not drawn. */
const routeTotals = (body: { items: (Flow | RouteTotal)[] }) => body.items.filter((r): r is RouteTotal => 'fromLatitude' in r && r.count > 0);

/** The registry layers' data. Loaded by the page, in parallel with the country boundaries. */
function useRegistryData() {
  const [flowPeriod, setFlowPeriod] = useState('');
  const sites = $api.useQuery(
    'get',
    '/api/sites',
    { params: { query: { format: 'geojson' } } },
    { select: (b) => (typeof b === 'object' && 'features' in b ? b.features : []) },
  );
  const types = $api.useQuery('get', '/api/site-types');
  const corridors = $api.useQuery('get', '/api/corridors', {}, { select: (b) => ('items' in b ? b.items : []) });
  const period = flowPeriod ? { periodStart: `${flowPeriod}-01-01`, periodEnd: `${flowPeriod}-12-31` } : {};
  const routes = $api.useQuery('get', '/api/flows', { params: { query: { aggregate: 'route', ...period } } }, { select: routeTotals });
  const flowList = $api.useQuery('get', '/api/flows', {}, { select: (b) => b.items.filter((f): f is Flow => 'periodStart' in f) });
  return { sites, types, corridors, routes, flowList, flowPeriod, setFlowPeriod };
}

function RegistryMap({ features, registry }: { features: CountryFeature[]; registry: ReturnType<typeof useRegistryData> }) {
  const { t } = useTranslation('map');
  const { f, prevalence } = usePrevalenceFormat();
  const nameOfCountry = useCountryName();
  const years = useMemo(() => yearsIn(features), [features]);
  const latest = years.length > 0 ? years[years.length - 1]! : null;
  const [year, setYear] = useState<number | null>(latest);
  const [base, setBase] = useState<Base>('prevalence');
  const [selected, setSelected] = useState<{ kind: 'country' | 'site'; id: string } | null>(null);
  const [playing, setPlaying] = useState(false);
  const [layers, setLayers] = useState<Record<LayerKey, boolean>>({ sites: true, corridors: true, flows: true });
  const [hiddenTypes, setHiddenTypes] = useState<ReadonlySet<string>>(new Set());
  const [siteCountry, setSiteCountry] = useState('');
  const mapRef = useRef<WorldMapHandle>(null);
  const zoomedToSites = useRef(false);

  const { sites, types, corridors: corridorsQuery, routes: routesQuery, flowList, flowPeriod, setFlowPeriod } = registry;

  const typeList = types.data;
  const typeName = useSiteTypeName(typeList);
  const countryNames = useMemo(() => {
    const names = new Map<string, string>();
    for (const c of features) if (c.properties.code) names.set(c.properties.code, nameOfCountry(c));
    return names;
  }, [features, nameOfCountry]);
  const countryName = useCallback((code: string) => countryNames.get(code) ?? code, [countryNames]);

  const allSites = useMemo(() => sites.data ?? [], [sites.data]);
  const inCountry = useMemo(() => (siteCountry ? allSites.filter((s) => s.properties.country === siteCountry) : allSites), [allSites, siteCountry]);
  const shownSites = useMemo(() => inCountry.filter((s) => !hiddenTypes.has(s.properties.type)), [inCountry, hiddenTypes]);

  const typeCounts = useMemo(() => {
    const counts = new Map<string, number>();
    for (const s of inCountry) counts.set(s.properties.type, (counts.get(s.properties.type) ?? 0) + 1);
    // In the server's order of types; types without a site here are left out of the legend.
    const order: readonly string[] = typeList?.map((type) => type.code) ?? SITE_TYPES;
    const known = order.filter((code) => counts.has(code));
    const unknown = [...counts.keys()].filter((code) => !order.includes(code)).sort();
    return [...known, ...unknown].map((code) => ({ code, name: typeName(code), count: counts.get(code) ?? 0 }));
  }, [inCountry, typeList, typeName]);

  const countryCounts = useMemo(() => {
    const counts = new Map<string, number>();
    for (const s of allSites) counts.set(s.properties.country, (counts.get(s.properties.country) ?? 0) + 1);
    return [...counts.entries()].map(([code, count]) => ({ code, name: countryName(code), count })).sort((a, b) => a.name.localeCompare(b.name, f.locale));
  }, [allSites, countryName, f.locale]);

  const corridors = useMemo(() => corridorsQuery.data ?? [], [corridorsQuery.data]);
  const routes = useMemo(() => routesQuery.data ?? [], [routesQuery.data]);
  const maxFlow = routes.reduce((m, r) => Math.max(m, r.count), 0);
  const periods = useMemo(() => flowYears(flowList.data ?? []), [flowList.data]);

  const zoomToSites = useCallback((shown: SiteFeature[]) => {
    if (shown.length === 0) return;
    let [west, south, east, north] = [180, 90, -180, -90];
    for (const s of shown) {
      const [lon, lat] = s.geometry.coordinates as [number, number];
      west = Math.min(west, lon);
      east = Math.max(east, lon);
      south = Math.min(south, lat);
      north = Math.max(north, lat);
    }
    // At least ~4 degrees across, so that a single site still shows its surroundings.
    const padX = Math.max(1, (4 - (east - west)) / 2);
    const padY = Math.max(1, (4 - (north - south)) / 2);
    mapRef.current?.zoomToBounds(
      [
        [west - padX, south - padY],
        [east + padX, north + padY],
      ],
      12,
    );
  }, []);

  // When the sites first arrive, move from the whole world to where they are (East Africa in the demo).
  useEffect(() => {
    if (zoomedToSites.current || allSites.length === 0) return;
    zoomedToSites.current = true;
    zoomToSites(allSites);
  }, [allSites, zoomToSites]);

  useEffect(() => {
    if (!playing || year === null) return;
    const timer = window.setTimeout(() => {
      const next = years[years.indexOf(year) + 1];
      if (next === undefined) setPlaying(false);
      else setYear(next);
    }, PLAY_INTERVAL_MS);
    return () => window.clearTimeout(timer);
  }, [playing, year, years]);

  useEffect(() => {
    if (!selected) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setSelected(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selected]);

  const selectCountry = useCallback((id: string) => setSelected({ kind: 'country', id }), []);
  const selectSite = useCallback((id: string) => setSelected({ kind: 'site', id }), []);

  const shading = useMemo<Shading>(() => {
    if (base === 'plain') {
      return { fill: () => PLAIN_FILL, value: () => '', describe: () => null };
    }
    return {
      fill: (c) => colorFor(year === null ? null : prevalenceIn(c, year)),
      value: (c) => {
        const v = year === null ? null : prevalenceIn(c, year);
        return v === null ? '' : String(v);
      },
      describe: (c) => {
        if (year === null) return null;
        const v = prevalenceIn(c, year);
        return v === null ? { text: t('prevalence.noDataFor', { year }), muted: true } : { text: t('prevalence.inYear', { value: prevalence(v), year }) };
      },
    };
  }, [base, year, t, prevalence]);

  const selectedCountry = useMemo(() => (selected?.kind === 'country' ? features.find((c) => placeId(c) === selected.id) : undefined), [features, selected]);
  const selectedSite = selected?.kind === 'site' ? allSites.find((s) => s.properties.id === selected.id) : undefined;
  const withData = year === null ? 0 : features.filter((c) => prevalenceIn(c, year) !== null).length;

  const overlay = useCallback(
    (view: MapView) => (
      <RegistryOverlay
        view={view}
        sites={layers.sites ? shownSites : []}
        corridors={layers.corridors ? corridors : []}
        flows={layers.flows ? routes : []}
        maxFlow={maxFlow}
        selectedSiteId={selectedSite ? selectedSite.properties.id : null}
        onSelectSite={selectSite}
        typeName={typeName}
        countryName={countryName}
      />
    ),
    [layers, shownSites, corridors, routes, maxFlow, selectedSite, selectSite, typeName, countryName],
  );

  function togglePlay() {
    if (playing) {
      setPlaying(false);
      return;
    }
    if (year === latest && years[0] !== undefined) setYear(years[0]);
    setPlaying(true);
  }

  function chooseYear(value: number) {
    setPlaying(false);
    setYear(value);
  }

  function findCountry(event: ChangeEvent<HTMLSelectElement>) {
    const id = event.target.value;
    if (!id) return;
    setSelected({ kind: 'country', id });
    mapRef.current?.zoomToCountry(id);
  }

  function chooseSiteCountry(code: string) {
    setSiteCountry(code);
    zoomToSites(code ? allSites.filter((s) => s.properties.country === code) : allSites);
  }

  function toggleType(code: string, shown: boolean) {
    setHiddenTypes((hidden) => {
      const next = new Set(hidden);
      if (shown) next.delete(code);
      else next.add(code);
      return next;
    });
  }

  const retry = { sites: sites.refetch, corridors: corridorsQuery.refetch, flows: routesQuery.refetch };
  const byName = features.map((c) => ({ id: placeId(c), name: nameOfCountry(c) })).sort((a, b) => a.name.localeCompare(b.name, f.locale));
  const illustrativeSites = allSites.some((s) => s.properties.illustrative);

  return (
    <>
      <div className="map-toolbar">
        <div className="field">
          <label htmlFor="base-select">{t('toolbar.shading')}</label>
          <select id="base-select" data-testid="base-select" value={base} onChange={(e) => setBase(e.target.value as Base)}>
            <option value="prevalence">{t('toolbar.prevalence')}</option>
            <option value="plain">{t('toolbar.plain')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="year-select">{t('toolbar.year')}</label>
          <select
            id="year-select"
            data-testid="year-select"
            value={year ?? ''}
            disabled={year === null || base === 'plain'}
            onChange={(e) => chooseYear(Number(e.target.value))}
          >
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </div>
        {years.length > 1 && year !== null && base === 'prevalence' ? (
          <div className="field field--slider">
            <label htmlFor="year-slider" className="visually-hidden">
              {t('toolbar.yearSlider')}
            </label>
            <span className="field__bound" aria-hidden="true">
              {years[0]}
            </span>
            <input
              id="year-slider"
              type="range"
              min={0}
              max={years.length - 1}
              step={1}
              value={Math.max(0, years.indexOf(year))}
              aria-valuetext={String(year)}
              onChange={(e) => chooseYear(years[Number(e.target.value)] ?? year)}
            />
            <span className="field__bound" aria-hidden="true">
              {latest}
            </span>
            <button type="button" className="button--secondary" onClick={togglePlay} aria-pressed={playing}>
              {playing ? t('toolbar.pause') : t('toolbar.play')}
            </button>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="country-find">{t('toolbar.findCountry')}</label>
          <select id="country-find" value={selectedCountry ? placeId(selectedCountry) : ''} onChange={findCountry}>
            <option value="">{t('toolbar.choose')}</option>
            {byName.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      {base === 'plain' ? (
        <p className="map-summary">{t('summary.plain')}</p>
      ) : year === null ? (
        <p className="status" role="status">
          {t('summary.noEstimates')}
        </p>
      ) : (
        <p className="map-summary">
          {t('summary.withData', { year, count: withData, total: features.length })}
          {sites.data ? <> {t('summary.sites', { count: allSites.length, n: f.number(allSites.length) })}</> : null}
        </p>
      )}
      <div className="map-layout">
        <figure className="map-figure">
          <WorldMap
            ref={mapRef}
            features={features}
            shading={shading}
            selectedId={selectedCountry ? placeId(selectedCountry) : null}
            onSelect={selectCountry}
            label={base === 'plain' ? t('figure.labelPlain') : year === null ? t('figure.labelNoYear') : t('figure.labelPrevalence', { year })}
            minHeight={620}
            overlay={overlay}
          />
          {base === 'prevalence' ? <MapLegend features={features} year={year} /> : null}
          <figcaption className="map-caption">
            {base === 'prevalence' ? <>{t('figure.prevalenceSource')} </> : null}
            {illustrativeSites ? t('figure.registrySourceIllustrative') : t('figure.registrySource')} {t('figure.boundaries')}{' '}
            <Link to="/about">{t('figure.about')}</Link>
          </figcaption>
          <p className="map-help">{t('figure.help')}</p>
        </figure>
        <aside className="map-side" aria-label={t('page.side')}>
          {selectedSite ? (
            <SitePanel
              site={selectedSite}
              typeName={typeName(selectedSite.properties.type)}
              countryName={countryName(selectedSite.properties.country)}
              onClose={() => setSelected(null)}
            />
          ) : null}
          {selectedCountry ? <CountryPanel feature={selectedCountry} year={year} onClose={() => setSelected(null)} /> : null}
          <LayerPanel
            layers={layers}
            onToggleLayer={(layer, on) => setLayers((l) => ({ ...l, [layer]: on }))}
            status={{ sites: queryLoad(sites), corridors: queryLoad(corridorsQuery), flows: queryLoad(routesQuery) }}
            onRetry={(layer) => void retry[layer]()}
            types={typeCounts}
            hiddenTypes={hiddenTypes}
            onToggleType={toggleType}
            onShowAllTypes={(shown) => setHiddenTypes(shown ? new Set() : new Set(typeCounts.map((type) => type.code)))}
            shownSites={shownSites.length}
            countries={countryCounts}
            country={siteCountry}
            onCountry={chooseSiteCountry}
            corridors={corridors}
            routeCount={routes.length}
            maxFlow={maxFlow}
            flowPeriods={periods}
            flowPeriod={flowPeriod}
            onFlowPeriod={setFlowPeriod}
            illustrativeSites={illustrativeSites}
            illustrativeFlows={(flowList.data ?? []).some((flow) => flow.illustrative)}
          />
          {!selected && base === 'prevalence' ? <TopCountries features={features} year={year} onSelect={selectCountry} /> : null}
        </aside>
      </div>
    </>
  );
}
