import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ChangeEvent } from 'react';
import { loadCountries, placeId } from '../api';
import type { CountryFeature } from '../api';
import { prevalenceIn, yearsIn } from '../prevalence';
import { Link } from '../router';
import { CountryPanel, TopCountries } from './country-panel';
import { MapLegend } from './map-legend';
import { WorldMap } from './world-map';
import type { WorldMapHandle } from './world-map';

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; features: CountryFeature[] };

const PLAY_INTERVAL_MS = 700;

/** The map page: world choropleth of UNAIDS adult HIV prevalence with a year selector. */
export function MapPage() {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
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
        <h1>Adult HIV prevalence by country</h1>
        <p className="lede">
          Share of people aged 15–49 living with HIV, UNAIDS estimates 1990–2023. Migrants and mobile people often move
          between low- and high-prevalence settings: this is the backdrop for corridors, sites and services.
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
      {load.state === 'ready' ? <PrevalenceMap features={load.features} /> : null}
    </main>
  );
}

function PrevalenceMap({ features }: { features: CountryFeature[] }) {
  const years = useMemo(() => yearsIn(features), [features]);
  const latest = years.length > 0 ? years[years.length - 1]! : null;
  const [year, setYear] = useState<number | null>(latest);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [playing, setPlaying] = useState(false);
  const mapRef = useRef<WorldMapHandle>(null);

  const byName = useMemo(
    () => [...features].sort((a, b) => a.properties.name.localeCompare(b.properties.name)),
    [features],
  );
  const selected = useMemo(
    () => (selectedId ? features.find((f) => placeId(f) === selectedId) : undefined),
    [features, selectedId],
  );
  const withData = year === null ? 0 : features.filter((f) => prevalenceIn(f, year) !== null).length;

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
    if (!selectedId) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setSelectedId(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selectedId]);

  const select = useCallback((id: string) => setSelectedId(id), []);

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
    setSelectedId(id);
    mapRef.current?.zoomToCountry(id);
  }

  return (
    <>
      <div className="map-toolbar">
        <div className="field">
          <label htmlFor="year-select">Year</label>
          <select
            id="year-select"
            data-testid="year-select"
            value={year ?? ''}
            disabled={year === null}
            onChange={(e) => chooseYear(Number(e.target.value))}
          >
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </div>
        {years.length > 1 && year !== null ? (
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
          <select id="country-find" value={selectedId ?? ''} onChange={findCountry}>
            <option value="">Choose…</option>
            {byName.map((f) => (
              <option key={placeId(f)} value={placeId(f)}>
                {f.properties.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      {year === null ? (
        <p className="status" role="status">
          The server sent country boundaries but no HIV prevalence estimates, so every country shows as “No data”.
        </p>
      ) : (
        <p className="map-summary">
          {year}: {withData} of {features.length} countries and territories have a UNAIDS estimate.
        </p>
      )}
      <div className="map-layout">
        <figure className="map-figure">
          <WorldMap ref={mapRef} features={features} year={year} selectedId={selectedId} onSelect={select} />
          <MapLegend features={features} year={year} />
          <figcaption className="map-caption">
            HIV prevalence, adults 15–49 (%). Source: UNAIDS (2024) via Our World in Data. Boundaries: Natural Earth; they
            do not imply any opinion on the legal status of a territory. <Link to="/about">About the data</Link>
          </figcaption>
          <p className="map-help">
            Drag to pan; scroll, double-click or use + and − to zoom. With the keyboard, tab to the map, move between
            countries with the arrow keys and press Enter for details.
          </p>
        </figure>
        <aside className="map-side" aria-label="Country details">
          {selected ? (
            <CountryPanel feature={selected} year={year} onClose={() => setSelectedId(null)} />
          ) : (
            <TopCountries features={features} year={year} onSelect={select} />
          )}
        </aside>
      </div>
    </>
  );
}
