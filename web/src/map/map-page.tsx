import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ChangeEvent } from 'react';
import { getJson, itemsOf } from '../api';
import { loadCountries, placeId } from './countries';
import type { CountryFeature } from '../api';
import { colorFor, formatPrevalence, prevalenceIn, yearsIn } from '../prevalence';
import { SITE_TYPE_NAMES, nameOf } from '../registry/labels';
import { loadSiteTypes } from '../registry/reference';
import type { CodeName, Corridor, Flow, FlowRoute, SiteCollection, SiteFeature } from '../registry/types';
import { Link } from '../router';
import { useLoad } from '../use-load';
import type { Load } from '../use-load';
import { CountryPanel, TopCountries } from './country-panel';
import { LayerPanel } from './layer-panel';
import type { LayerKey } from './layer-panel';
import { MapLegend } from './map-legend';
import { RegistryOverlay } from './registry-layers';
import { SitePanel } from './site-panel';
import { WorldMap } from './world-map';
import type { MapView, Shading, WorldMapHandle } from './world-map';

type CountriesLoad = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; features: CountryFeature[] };
type Base = 'prevalence' | 'plain';

const PLAY_INTERVAL_MS = 700;
/** Fill of every country on the plain base map. */
const PLAIN_FILL = '#ecebe6';

/** The map page: sites, corridors and flows over UNAIDS adult HIV prevalence (or a plain base). */
export function MapPage() {
  const [load, setLoad] = useState<CountriesLoad>({ state: 'loading' });
  const registry = useRegistryData();
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let current = true;
    setLoad({ state: 'loading' });
    loadCountries().then(
      (collection) => current && setLoad({ state: 'ready', features: collection.features }),
      (err: unknown) => current && setLoad({ state: 'error', message: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      current = false;
    };
  }, [attempt]);

  return (
    <main id="main" tabIndex={-1} className="page map-page">
      <div className="page-heading">
        <h1>Spaces of vulnerability, corridors and HIV prevalence</h1>
        <p className="lede">
          Sites where mobile people and local communities meet, the transport corridors that link them and the people
          moving along them, over UNAIDS estimates of adult (15–49) HIV prevalence. Select a site for its population and
          service gaps.
        </p>
      </div>
      {load.state === 'loading' ? (
        <div className="status" role="status">
          <span className="spinner" aria-hidden="true" /> Loading country boundaries and HIV prevalence…
        </div>
      ) : null}
      {load.state === 'error' ? (
        <div className="status status--error" role="alert">
          <p>
            <strong>The map could not be loaded.</strong> {load.message}
          </p>
          <button type="button" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </div>
      ) : null}
      {load.state === 'ready' ? <RegistryMap features={load.features} registry={registry} /> : null}
    </main>
  );
}

function layerStatus<T>(load: Load<T>): { state: 'loading' | 'error' | 'ready'; message?: string } {
  return load.state === 'error' ? { state: 'error', message: load.message } : { state: load.state };
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

/** The registry layers' data. Loaded by the page, in parallel with the country boundaries. */
function useRegistryData() {
  const [flowPeriod, setFlowPeriod] = useState('');
  const [sitesLoad, retrySites] = useLoad('sites', () => getJson<SiteCollection>('/api/sites?format=geojson'));
  const [typesLoad] = useLoad('site-types', loadSiteTypes);
  const [corridorsLoad, retryCorridors] = useLoad('corridors', () =>
    getJson<unknown>('/api/corridors').then((b) => itemsOf<Corridor>(b)),
  );
  const flowQuery = flowPeriod ? `&periodStart=${flowPeriod}-01-01&periodEnd=${flowPeriod}-12-31` : '';
  const [routesLoad, retryRoutes] = useLoad(`routes${flowQuery}`, () =>
    getJson<unknown>(`/api/flows?aggregate=route${flowQuery}`).then((b) => itemsOf<FlowRoute>(b)),
  );
  const [flowListLoad] = useLoad('flow-list', () => getJson<unknown>('/api/flows').then((b) => itemsOf<Flow>(b)));
  return { sitesLoad, retrySites, typesLoad, corridorsLoad, retryCorridors, routesLoad, retryRoutes, flowListLoad, flowPeriod, setFlowPeriod };
}

function RegistryMap({ features, registry }: { features: CountryFeature[]; registry: ReturnType<typeof useRegistryData> }) {
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

  const { sitesLoad, typesLoad, corridorsLoad, routesLoad, flowListLoad, flowPeriod, setFlowPeriod } = registry;
  const { retrySites, retryCorridors, retryRoutes } = registry;

  const typeList: CodeName[] | undefined = typesLoad.state === 'ready' ? typesLoad.data : undefined;
  const typeName = useCallback((code: string) => nameOf(typeList, code, SITE_TYPE_NAMES), [typeList]);
  const countryNames = useMemo(() => {
    const names = new Map<string, string>();
    for (const f of features) if (f.properties.code) names.set(f.properties.code, f.properties.name);
    return names;
  }, [features]);
  const countryName = useCallback((code: string) => countryNames.get(code) ?? code, [countryNames]);

  const allSites: SiteFeature[] = useMemo(
    () => (sitesLoad.state === 'ready' && Array.isArray(sitesLoad.data.features) ? sitesLoad.data.features : []),
    [sitesLoad],
  );
  const inCountry = useMemo(
    () => (siteCountry ? allSites.filter((s) => s.properties.country === siteCountry) : allSites),
    [allSites, siteCountry],
  );
  const shownSites = useMemo(() => inCountry.filter((s) => !hiddenTypes.has(s.properties.type)), [inCountry, hiddenTypes]);

  const typeCounts = useMemo(() => {
    const counts = new Map<string, number>();
    for (const s of inCountry) counts.set(s.properties.type, (counts.get(s.properties.type) ?? 0) + 1);
    // In the server's order of types; types without a site here are left out of the legend.
    const order = typeList?.map((t) => t.code) ?? Object.keys(SITE_TYPE_NAMES);
    const known = order.filter((code) => counts.has(code));
    const unknown = [...counts.keys()].filter((code) => !order.includes(code)).sort();
    return [...known, ...unknown].map((code) => ({ code, name: typeName(code), count: counts.get(code) ?? 0 }));
  }, [inCountry, typeList, typeName]);

  const countryCounts = useMemo(() => {
    const counts = new Map<string, number>();
    for (const s of allSites) counts.set(s.properties.country, (counts.get(s.properties.country) ?? 0) + 1);
    return [...counts.entries()]
      .map(([code, count]) => ({ code, name: countryName(code), count }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }, [allSites, countryName]);

  const corridors = corridorsLoad.state === 'ready' ? corridorsLoad.data : [];
  const routes = useMemo(() => (routesLoad.state === 'ready' ? routesLoad.data.filter((r) => r.count > 0) : []), [routesLoad]);
  const maxFlow = routes.reduce((m, r) => Math.max(m, r.count), 0);
  const periods = useMemo(() => (flowListLoad.state === 'ready' ? flowYears(flowListLoad.data) : []), [flowListLoad]);

  const zoomToSites = useCallback((sites: SiteFeature[]) => {
    if (sites.length === 0) return;
    let [west, south, east, north] = [180, 90, -180, -90];
    for (const s of sites) {
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
      fill: (f) => colorFor(year === null ? null : prevalenceIn(f, year)),
      value: (f) => {
        const v = year === null ? null : prevalenceIn(f, year);
        return v === null ? '' : String(v);
      },
      describe: (f) => {
        if (year === null) return null;
        const v = prevalenceIn(f, year);
        return v === null ? { text: `no data for ${year}`, muted: true } : { text: `${formatPrevalence(v)} in ${year}` };
      },
    };
  }, [base, year]);

  const selectedCountry = useMemo(
    () => (selected?.kind === 'country' ? features.find((f) => placeId(f) === selected.id) : undefined),
    [features, selected],
  );
  const selectedSite = selected?.kind === 'site' ? allSites.find((s) => s.properties.id === selected.id) : undefined;
  const withData = year === null ? 0 : features.filter((f) => prevalenceIn(f, year) !== null).length;

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

  const retry = { sites: retrySites, corridors: retryCorridors, flows: retryRoutes };
  const byName = [...features].sort((a, b) => a.properties.name.localeCompare(b.properties.name));
  const illustrativeSites = allSites.some((s) => s.properties.illustrative);

  return (
    <>
      <div className="map-toolbar">
        <div className="field">
          <label htmlFor="base-select">Country shading</label>
          <select id="base-select" data-testid="base-select" value={base} onChange={(e) => setBase(e.target.value as Base)}>
            <option value="prevalence">Adult HIV prevalence</option>
            <option value="plain">None (plain base map)</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="year-select">Year</label>
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
              Year (slider)
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
              {playing ? 'Pause' : 'Play years'}
            </button>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="country-find">Find a country</label>
          <select id="country-find" value={selectedCountry ? placeId(selectedCountry) : ''} onChange={findCountry}>
            <option value="">Choose…</option>
            {byName.map((f) => (
              <option key={placeId(f)} value={placeId(f)}>
                {f.properties.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      {base === 'plain' ? (
        <p className="map-summary">Plain base map: countries are not shaded.</p>
      ) : year === null ? (
        <p className="status" role="status">
          The server sent country boundaries but no HIV prevalence estimates, so every country shows as “No data”.
        </p>
      ) : (
        <p className="map-summary">
          {year}: {withData} of {features.length} countries and territories have a UNAIDS estimate.
          {sitesLoad.state === 'ready' ? ` ${allSites.length} sites in the registry.` : ''}
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
            label={
              base === 'plain'
                ? 'World map of sites, corridors and flows'
                : `World map of adult HIV prevalence by country${year === null ? '' : `, ${year}`}, with sites, corridors and flows`
            }
            minHeight={620}
            overlay={overlay}
          />
          {base === 'prevalence' ? <MapLegend features={features} year={year} /> : null}
          <figcaption className="map-caption">
            {base === 'prevalence' ? 'HIV prevalence, adults 15–49 (%). Source: UNAIDS (2024) via Our World in Data. ' : ''}
            Sites, corridors and flows: Corridor registry
            {illustrativeSites ? ' (demo data, partly illustrative)' : ''}. Boundaries: Natural Earth; they do not imply any
            opinion on the legal status of a territory. <Link to="/about">About the data</Link>
          </figcaption>
          <p className="map-help">
            Drag to pan; scroll, double-click or use + and − to zoom. Select a site symbol for its details. With the
            keyboard, tab to the map or to the sites, move with the arrow keys and press Enter for details.
          </p>
        </figure>
        <aside className="map-side" aria-label="Details and layers">
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
            status={{ sites: layerStatus(sitesLoad), corridors: layerStatus(corridorsLoad), flows: layerStatus(routesLoad) }}
            onRetry={(layer) => retry[layer]()}
            types={typeCounts}
            hiddenTypes={hiddenTypes}
            onToggleType={toggleType}
            onShowAllTypes={(shown) => setHiddenTypes(shown ? new Set() : new Set(typeCounts.map((t) => t.code)))}
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
            illustrativeFlows={flowListLoad.state === 'ready' && flowListLoad.data.some((f) => f.illustrative)}
          />
          {!selected && base === 'prevalence' ? <TopCountries features={features} year={year} onSelect={selectCountry} /> : null}
        </aside>
      </div>
    </>
  );
}
