import { geoEqualEarth, geoGraticule10, geoPath } from 'd3-geo';
import type { GeoPath } from 'd3-geo';
import { select } from 'd3-selection';
import { zoom, zoomIdentity } from 'd3-zoom';
import type { D3ZoomEvent, ZoomBehavior } from 'd3-zoom';
import type { Polygon } from 'geojson';
import { memo, useCallback, useEffect, useImperativeHandle, useMemo, useRef, useState } from 'react';
import type { FocusEvent, KeyboardEvent, MouseEvent, PointerEvent, Ref } from 'react';
import { placeId } from '../api';
import type { CountryCollection, CountryFeature } from '../api';
import { colorFor, formatPrevalence, prevalenceIn } from '../prevalence';

/** Width of the map's coordinate system; the SVG scales to its container through its viewBox. */
const WIDTH = 960;
const PAD = 8;
const MAX_ZOOM = 24;
const ZOOM_STEP = 1.6;

export interface WorldMapHandle {
  /** Pans and zooms so that the country fills most of the view. */
  zoomToCountry(id: string): void;
}

interface Shape {
  feature: CountryFeature;
  id: string;
  d: string;
}

interface Geometry {
  height: number;
  shapes: Shape[];
  byId: Map<string, Shape>;
  /** Place ids in alphabetical order of name: the order of arrow-key navigation. */
  order: string[];
  sphere: string;
  graticule: string;
  path: GeoPath;
}

interface Tooltip {
  id: string;
  x: number;
  y: number;
}

interface WorldMapProps {
  features: CountryFeature[];
  year: number | null;
  selectedId: string | null;
  onSelect(id: string): void;
  ref?: Ref<WorldMapHandle>;
}

function project(features: CountryFeature[]): Geometry {
  // Antarctica has no HIV estimate and would take a fifth of an Equal Earth map: fit the
  // projection to the other countries and let Antarctica run off the bottom edge.
  const fitted: CountryCollection = {
    type: 'FeatureCollection',
    features: features.filter((f) => f.properties.code !== 'ATA'),
  };
  const projection = geoEqualEarth().fitWidth(WIDTH - 2 * PAD, fitted);
  const [tx, ty] = projection.translate();
  projection.translate([tx + PAD, ty + PAD]);
  const path = geoPath(projection);
  const bottom = path.bounds(fitted)[1][1];
  const shapes = features.map((feature) => ({
    feature,
    id: placeId(feature),
    d: path(feature) ?? '',
  }));
  const order = [...shapes]
    .sort((a, b) => a.feature.properties.name.localeCompare(b.feature.properties.name))
    .map((s) => s.id);
  return {
    height: Math.ceil(bottom + PAD),
    shapes,
    byId: new Map(shapes.map((s) => [s.id, s])),
    order,
    sphere: path({ type: 'Sphere' }) ?? '',
    graticule: path(geoGraticule10()) ?? '',
    path,
  };
}

function label(feature: CountryFeature, year: number | null): string {
  if (year === null) return feature.properties.name;
  const value = prevalenceIn(feature, year);
  return value === null ? `${feature.properties.name}: no data for ${year}` : `${feature.properties.name}: ${formatPrevalence(value)} in ${year}`;
}

/** The largest polygon of a country, so that zooming to France shows France, not the Atlantic. */
function mainPart(feature: CountryFeature, path: GeoPath): CountryFeature | Polygon {
  if (feature.geometry.type !== 'MultiPolygon') return feature;
  let best: Polygon | null = null;
  let bestArea = -1;
  for (const coordinates of feature.geometry.coordinates) {
    const polygon: Polygon = { type: 'Polygon', coordinates };
    const area = path.area(polygon);
    if (area > bestArea) {
      best = polygon;
      bestArea = area;
    }
  }
  return best ?? feature;
}

const CountryPaths = memo(function CountryPaths({
  shapes,
  year,
  tabbableId,
  selectedId,
}: {
  shapes: Shape[];
  year: number | null;
  tabbableId: string | null;
  selectedId: string | null;
}) {
  return (
    <>
      {shapes.map(({ feature, id, d }) => {
        const value = year === null ? null : prevalenceIn(feature, year);
        return (
          <path
            key={id}
            className="country"
            d={d}
            fill={colorFor(value)}
            data-id={id}
            data-code={feature.properties.code ?? ''}
            data-name={feature.properties.name}
            data-value={value === null ? '' : String(value)}
            role="button"
            aria-label={label(feature, year)}
            aria-pressed={id === selectedId}
            tabIndex={id === tabbableId ? 0 : -1}
          />
        );
      })}
    </>
  );
});

/**
 * Choropleth world map of adult HIV prevalence: one path per country, zoom and pan with d3-zoom,
 * a tooltip on hover and focus, and arrow-key navigation between countries (one tab stop).
 */
export function WorldMap({ features, year, selectedId, onSelect, ref }: WorldMapProps) {
  const geometry = useMemo(() => project(features), [features]);
  const frameRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const zoomLayerRef = useRef<SVGGElement>(null);
  const zoomRef = useRef<ZoomBehavior<SVGSVGElement, unknown> | null>(null);
  const [tooltip, setTooltip] = useState<Tooltip | null>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const [zoomed, setZoomed] = useState(false);

  const tabbableId = activeId ?? selectedId ?? geometry.order[0] ?? null;

  useEffect(() => {
    const svg = svgRef.current;
    const layer = zoomLayerRef.current;
    if (!svg || !layer) return;
    const behaviour = zoom<SVGSVGElement, unknown>()
      .scaleExtent([1, MAX_ZOOM])
      .extent([
        [0, 0],
        [WIDTH, geometry.height],
      ])
      .translateExtent([
        [0, 0],
        [WIDTH, geometry.height],
      ])
      .on('zoom', (event: D3ZoomEvent<SVGSVGElement, unknown>) => {
        layer.setAttribute('transform', event.transform.toString());
        setZoomed(event.transform.k !== 1 || event.transform.x !== 0 || event.transform.y !== 0);
        setTooltip(null);
      });
    const selection = select(svg);
    selection.call(behaviour);
    zoomRef.current = behaviour;
    return () => {
      selection.on('.zoom', null);
      zoomRef.current = null;
    };
  }, [geometry.height]);

  const zoomBy = useCallback((factor: number) => {
    if (svgRef.current && zoomRef.current) zoomRef.current.scaleBy(select(svgRef.current), factor);
  }, []);

  const resetZoom = useCallback(() => {
    if (svgRef.current && zoomRef.current) zoomRef.current.transform(select(svgRef.current), zoomIdentity);
  }, []);

  useImperativeHandle(
    ref,
    () => ({
      zoomToCountry(id: string) {
        const shape = geometry.byId.get(id);
        if (!shape || !svgRef.current || !zoomRef.current) return;
        const [[x0, y0], [x1, y1]] = geometry.path.bounds(mainPart(shape.feature, geometry.path));
        const k = Math.max(1, Math.min(MAX_ZOOM, 0.7 / Math.max((x1 - x0) / WIDTH, (y1 - y0) / geometry.height)));
        const transform = zoomIdentity
          .translate(WIDTH / 2, geometry.height / 2)
          .scale(k)
          .translate(-(x0 + x1) / 2, -(y0 + y1) / 2);
        zoomRef.current.transform(select(svgRef.current), transform);
      },
    }),
    [geometry],
  );

  function countryId(target: EventTarget): string | null {
    return target instanceof SVGPathElement && target.dataset.id ? target.dataset.id : null;
  }

  function handlePointerMove(event: PointerEvent<SVGGElement>) {
    const id = countryId(event.target);
    const frame = frameRef.current;
    if (!id || !frame) {
      setTooltip(null);
      return;
    }
    const box = frame.getBoundingClientRect();
    setTooltip({ id, x: event.clientX - box.left, y: event.clientY - box.top });
  }

  function handleFocus(event: FocusEvent<SVGGElement>) {
    const id = countryId(event.target);
    const frame = frameRef.current;
    if (!id || !frame || !(event.target instanceof SVGPathElement)) return;
    setActiveId(id);
    setFocusedId(id);
    const box = frame.getBoundingClientRect();
    const shape = event.target.getBoundingClientRect();
    setTooltip({ id, x: shape.left + shape.width / 2 - box.left, y: shape.top + shape.height / 2 - box.top });
  }

  function moveFocus(id: string) {
    setActiveId(id);
    const element = zoomLayerRef.current?.querySelector<SVGPathElement>(`path.country[data-id="${CSS.escape(id)}"]`);
    element?.focus();
  }

  function handleKeyDown(event: KeyboardEvent<SVGGElement>) {
    const id = countryId(event.target);
    if (!id) return;
    const { order } = geometry;
    const index = order.indexOf(id);
    let next: string | undefined;
    switch (event.key) {
      case 'ArrowRight':
      case 'ArrowDown':
        next = order[(index + 1) % order.length];
        break;
      case 'ArrowLeft':
      case 'ArrowUp':
        next = order[(index - 1 + order.length) % order.length];
        break;
      case 'Home':
        next = order[0];
        break;
      case 'End':
        next = order[order.length - 1];
        break;
      case 'Enter':
      case ' ':
        event.preventDefault();
        onSelect(id);
        return;
      default:
        return;
    }
    event.preventDefault();
    if (next) moveFocus(next);
  }

  function handleClick(event: MouseEvent<SVGGElement>) {
    const id = countryId(event.target);
    if (id) onSelect(id);
  }

  const hovered = tooltip ? geometry.byId.get(tooltip.id) : undefined;
  const selected = selectedId ? geometry.byId.get(selectedId) : undefined;
  // The keyboard focus stays outlined even when the tooltip is gone (e.g. after zooming).
  const outlined = hovered ?? (focusedId ? geometry.byId.get(focusedId) : undefined);
  const frameWidth = frameRef.current?.clientWidth ?? 0;
  const hoveredValue = hovered && year !== null ? prevalenceIn(hovered.feature, year) : null;

  return (
    <div className="map-frame" ref={frameRef}>
      <svg
        ref={svgRef}
        className="world-map"
        data-testid="world-map"
        viewBox={`0 0 ${WIDTH} ${geometry.height}`}
        role="group"
        aria-label={`World map of adult HIV prevalence by country${year === null ? '' : `, ${year}`}`}
      >
        <g ref={zoomLayerRef}>
          <path className="sphere" d={geometry.sphere} />
          <path className="graticule" d={geometry.graticule} />
          <g
            className="countries"
            onPointerMove={handlePointerMove}
            onPointerLeave={() => setTooltip(null)}
            onFocus={handleFocus}
            onBlur={() => {
              setTooltip(null);
              setFocusedId(null);
            }}
            onKeyDown={handleKeyDown}
            onClick={handleClick}
          >
            <CountryPaths shapes={geometry.shapes} year={year} tabbableId={tabbableId} selectedId={selectedId} />
          </g>
          {selected ? <path className="country-outline country-outline--selected" d={selected.d} /> : null}
          {outlined && outlined !== selected ? <path className="country-outline" d={outlined.d} /> : null}
        </g>
      </svg>
      {hovered ? (
        <div
          className={`map-tooltip${tooltip && tooltip.x > frameWidth - 200 ? ' map-tooltip--left' : ''}`}
          style={{ left: tooltip?.x ?? 0, top: tooltip?.y ?? 0 }}
          aria-hidden="true"
        >
          <strong>{hovered.feature.properties.name}</strong>
          <span className="map-tooltip__code">{hovered.feature.properties.code ?? 'no ISO code'}</span>
          {year !== null ? (
            <span className={hoveredValue === null ? 'map-tooltip__value map-tooltip__value--none' : 'map-tooltip__value'}>
              {year}: {formatPrevalence(hoveredValue)}
            </span>
          ) : null}
        </div>
      ) : null}
      <div className="map-zoom" role="group" aria-label="Zoom">
        <button type="button" onClick={() => zoomBy(ZOOM_STEP)} aria-label="Zoom in" title="Zoom in">
          +
        </button>
        <button type="button" onClick={() => zoomBy(1 / ZOOM_STEP)} aria-label="Zoom out" title="Zoom out">
          −
        </button>
        <button type="button" onClick={resetZoom} disabled={!zoomed} className="map-zoom__reset">
          Reset view
        </button>
      </div>
    </div>
  );
}
