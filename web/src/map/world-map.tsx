import { geoEqualEarth, geoGraticule10, geoPath } from 'd3-geo';
import type { GeoPath } from 'd3-geo';
import { select } from 'd3-selection';
import { zoom, zoomIdentity } from 'd3-zoom';
import type { D3ZoomEvent, ZoomBehavior, ZoomTransform } from 'd3-zoom';
import type { Polygon } from 'geojson';
import { memo, useCallback, useEffect, useImperativeHandle, useMemo, useRef, useState } from 'react';
import type { FocusEvent, KeyboardEvent, MouseEvent, PointerEvent, ReactNode, Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../i18n/format';
import { placeId, useCountryName } from './countries';
import type { CountryCollection, CountryFeature } from '../api';

/** Width of the map's coordinate system; the SVG scales to its container through its viewBox. */
const WIDTH = 960;
const PAD = 8;
const MAX_ZOOM = 24;
const ZOOM_STEP = 1.6;

export interface WorldMapHandle {
  /** Pans and zooms so that the country fills most of the view. */
  zoomToCountry(id: string): void;
  /** Pans and zooms so that the box [[west, south], [east, north]] (degrees) fills most of the view. */
  zoomToBounds(bounds: [[number, number], [number, number]], maxZoom?: number): void;
}

/** How the countries are coloured and described: prevalence, a neutral base, policy status… */
export interface Shading {
  fill(feature: CountryFeature): string;
  /** Written to `data-value`. */
  value?(feature: CountryFeature): string;
  /** Written to `data-status`. */
  status?(feature: CountryFeature): string;
  /** What the country's tooltip and accessible name say after its name. */
  describe(feature: CountryFeature): { text: string; muted?: boolean } | null;
}

/** What an overlay needs to draw on the map: positions in the SVG's coordinates at the current zoom. */
export interface MapView {
  /** The SVG position of a longitude/latitude at the current zoom, or null if it cannot be projected. */
  point(longitude: number, latitude: number): [number, number] | null;
  /** Current zoom factor (1: whole world). */
  k: number;
  width: number;
  height: number;
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
  sphere: string;
  graticule: string;
  path: GeoPath;
  projection: (point: [number, number]) => [number, number] | null;
}

interface Tooltip {
  /** The country hovered, or null for an overlay element's tooltip. */
  id: string | null;
  lines: string[];
  x: number;
  y: number;
}

interface WorldMapProps {
  features: CountryFeature[];
  shading: Shading;
  selectedId: string | null;
  onSelect(id: string): void;
  /** The map's accessible name. */
  label: string;
  testId?: string;
  /** Height of the map's coordinate system (width 960) when it should be taller than the world. */
  minHeight?: number;
  /**
   * Layers drawn above the countries in screen space, so that symbols and line widths keep their
   * size when zooming. An element with `data-tooltip` (lines separated by newlines) gets a tooltip.
   */
  overlay?(view: MapView): ReactNode;
  ref?: Ref<WorldMapHandle>;
}

function project(features: CountryFeature[], minHeight: number): Geometry {
  // Antarctica has no HIV estimate and would take a fifth of an Equal Earth map: fit the
  // projection to the other countries and let Antarctica run off the bottom edge.
  const fitted: CountryCollection = {
    type: 'FeatureCollection',
    features: features.filter((f) => f.properties.code !== 'ATA'),
  };
  const projection = geoEqualEarth().fitWidth(WIDTH - 2 * PAD, fitted);
  const [tx, ty] = projection.translate();
  projection.translate([tx + PAD, ty + PAD]);
  // A map taller than the world (for zooming into a region) keeps the world in its middle.
  const natural = Math.ceil(geoPath(projection).bounds(fitted)[1][1] + PAD);
  if (minHeight > natural) projection.translate([tx + PAD, ty + PAD + (minHeight - natural) / 2]);
  const path = geoPath(projection);
  const bottom = Math.max(path.bounds(fitted)[1][1], minHeight - PAD);
  const shapes = features.map((feature) => ({
    feature,
    id: placeId(feature),
    d: path(feature) ?? '',
  }));
  return {
    height: Math.ceil(bottom + PAD),
    shapes,
    byId: new Map(shapes.map((s) => [s.id, s])),
    sphere: path({ type: 'Sphere' }) ?? '',
    graticule: path(geoGraticule10()) ?? '',
    path,
    projection: (point) => projection(point),
  };
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
  names,
  shading,
  tabbableId,
  selectedId,
}: {
  shapes: Shape[];
  names: ReadonlyMap<string, string>;
  shading: Shading;
  tabbableId: string | null;
  selectedId: string | null;
}) {
  const { t } = useTranslation('map');
  return (
    <>
      {shapes.map(({ feature, id, d }) => {
        const name = names.get(id) ?? feature.properties.name;
        const about = shading.describe(feature);
        return (
          <path
            key={id}
            className="country"
            d={d}
            fill={shading.fill(feature)}
            data-id={id}
            data-code={feature.properties.code ?? ''}
            data-name={name}
            data-value={shading.value ? shading.value(feature) : undefined}
            data-status={shading.status ? shading.status(feature) : undefined}
            role="button"
            aria-label={about ? t('worldMap.country', { name, about: about.text }) : name}
            aria-pressed={id === selectedId}
            tabIndex={id === tabbableId ? 0 : -1}
          />
        );
      })}
    </>
  );
});

/**
 * Choropleth world map: one path per country, zoom and pan with d3-zoom, a tooltip on hover and
 * focus, arrow-key navigation between countries (one tab stop), and optional overlay layers.
 */
export function WorldMap({ features, shading, selectedId, onSelect, label: mapLabel, testId = 'world-map', minHeight = 0, overlay, ref }: WorldMapProps) {
  const { t } = useTranslation('map');
  const { locale } = useFormat();
  const nameOf = useCountryName();
  const geometry = useMemo(() => project(features, minHeight), [features, minHeight]);
  const names = useMemo(() => new Map(geometry.shapes.map((s) => [s.id, nameOf(s.feature)])), [geometry, nameOf]);
  /** Place ids in alphabetical order of name: the order of arrow-key navigation. */
  const order = useMemo(() => [...names].sort((a, b) => a[1].localeCompare(b[1], locale)).map(([id]) => id), [names, locale]);
  const frameRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const zoomLayerRef = useRef<SVGGElement>(null);
  const zoomRef = useRef<ZoomBehavior<SVGSVGElement, unknown> | null>(null);
  const [tooltip, setTooltip] = useState<Tooltip | null>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const [transform, setTransform] = useState<ZoomTransform>(zoomIdentity);
  const zoomed = transform.k !== 1 || transform.x !== 0 || transform.y !== 0;

  const tabbableId = activeId ?? selectedId ?? order[0] ?? null;

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
        setTransform(event.transform);
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

  const fitBox = useCallback(
    ([[x0, y0], [x1, y1]]: [[number, number], [number, number]], maxZoom = MAX_ZOOM, fill = 0.7) => {
      if (!svgRef.current || !zoomRef.current) return;
      const k = Math.max(1, Math.min(maxZoom, fill / Math.max((x1 - x0) / WIDTH, (y1 - y0) / geometry.height, 1e-6)));
      const target = zoomIdentity
        .translate(WIDTH / 2, geometry.height / 2)
        .scale(k)
        .translate(-(x0 + x1) / 2, -(y0 + y1) / 2);
      zoomRef.current.transform(select(svgRef.current), target);
    },
    [geometry],
  );

  useImperativeHandle(
    ref,
    () => ({
      zoomToCountry(id: string) {
        const shape = geometry.byId.get(id);
        if (shape) fitBox(geometry.path.bounds(mainPart(shape.feature, geometry.path)));
      },
      zoomToBounds([[west, south], [east, north]], maxZoom = 12) {
        const corners = [
          geometry.projection([west, south]),
          geometry.projection([west, north]),
          geometry.projection([east, south]),
          geometry.projection([east, north]),
        ].filter((p): p is [number, number] => p !== null);
        if (corners.length === 0) return;
        const xs = corners.map((p) => p[0]);
        const ys = corners.map((p) => p[1]);
        fitBox(
          [
            [Math.min(...xs), Math.min(...ys)],
            [Math.max(...xs), Math.max(...ys)],
          ],
          maxZoom,
          0.85,
        );
      },
    }),
    [geometry, fitBox],
  );

  const view = useMemo<MapView>(
    () => ({
      point(longitude, latitude) {
        const p = geometry.projection([longitude, latitude]);
        return p ? transform.apply(p) : null;
      },
      k: transform.k,
      width: WIDTH,
      height: geometry.height,
    }),
    [geometry, transform],
  );

  function countryId(target: EventTarget): string | null {
    return target instanceof SVGPathElement && target.classList.contains('country') && target.dataset.id ? target.dataset.id : null;
  }

  function overlayTip(target: EventTarget): string[] | null {
    if (!(target instanceof Element)) return null;
    const tip = target.closest('[data-tooltip]')?.getAttribute('data-tooltip');
    return tip ? tip.split('\n') : null;
  }

  function handlePointerMove(event: PointerEvent<SVGSVGElement>) {
    const frame = frameRef.current;
    if (!frame) return;
    const box = frame.getBoundingClientRect();
    const lines = overlayTip(event.target);
    if (lines) {
      setTooltip({ id: null, lines, x: event.clientX - box.left, y: event.clientY - box.top });
      return;
    }
    const id = countryId(event.target);
    if (!id) {
      setTooltip(null);
      return;
    }
    setTooltip({ id, lines: [], x: event.clientX - box.left, y: event.clientY - box.top });
  }

  function handleFocus(event: FocusEvent<SVGSVGElement>) {
    const frame = frameRef.current;
    if (!frame || !(event.target instanceof SVGElement)) return;
    const box = frame.getBoundingClientRect();
    const rect = event.target.getBoundingClientRect();
    const at = { x: rect.left + rect.width / 2 - box.left, y: rect.top + rect.height / 2 - box.top };
    const lines = overlayTip(event.target);
    if (lines) {
      setTooltip({ id: null, lines, ...at });
      return;
    }
    const id = countryId(event.target);
    if (!id) return;
    setActiveId(id);
    setFocusedId(id);
    setTooltip({ id, lines: [], ...at });
  }

  function moveFocus(id: string) {
    setActiveId(id);
    const element = zoomLayerRef.current?.querySelector<SVGPathElement>(`path.country[data-id="${CSS.escape(id)}"]`);
    element?.focus();
  }

  function handleKeyDown(event: KeyboardEvent<SVGGElement>) {
    const id = countryId(event.target);
    if (!id) return;
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

  const hovered = tooltip?.id ? geometry.byId.get(tooltip.id) : undefined;
  const selected = selectedId ? geometry.byId.get(selectedId) : undefined;
  // The keyboard focus stays outlined even when the tooltip is gone (e.g. after zooming).
  const outlined = hovered ?? (focusedId ? geometry.byId.get(focusedId) : undefined);
  const frameWidth = frameRef.current?.clientWidth ?? 0;
  const about = hovered ? shading.describe(hovered.feature) : null;

  return (
    <div className="map-frame" ref={frameRef}>
      <svg
        ref={svgRef}
        className="world-map"
        data-testid={testId}
        viewBox={`0 0 ${WIDTH} ${geometry.height}`}
        role="group"
        aria-label={mapLabel}
        onPointerMove={handlePointerMove}
        onPointerLeave={() => setTooltip(null)}
        onFocus={handleFocus}
        onBlur={() => {
          setTooltip(null);
          setFocusedId(null);
        }}
      >
        <g ref={zoomLayerRef}>
          <path className="sphere" d={geometry.sphere} />
          <path className="graticule" d={geometry.graticule} />
          <g className="countries" onKeyDown={handleKeyDown} onClick={handleClick}>
            <CountryPaths shapes={geometry.shapes} names={names} shading={shading} tabbableId={tabbableId} selectedId={selectedId} />
          </g>
          {selected ? <path className="country-outline country-outline--selected" d={selected.d} /> : null}
          {outlined && outlined !== selected ? <path className="country-outline" d={outlined.d} /> : null}
        </g>
        {overlay ? <g className="map-overlay">{overlay(view)}</g> : null}
      </svg>
      {tooltip && (hovered || tooltip.lines.length > 0) ? (
        <div
          className={`map-tooltip${tooltip.x > frameWidth - 200 ? ' map-tooltip--left' : ''}`}
          style={{ left: tooltip.x, top: tooltip.y }}
          aria-hidden="true"
        >
          {hovered ? (
            <>
              <strong>{names.get(hovered.id)}</strong>
              <span className="map-tooltip__code">{hovered.feature.properties.code ?? t('worldMap.noIsoCode')}</span>
              {about ? <span className={about.muted ? 'map-tooltip__value map-tooltip__value--none' : 'map-tooltip__value'}>{about.text}</span> : null}
            </>
          ) : (
            tooltip.lines.map((line, i) =>
              i === 0 ? (
                <strong key={i}>{line}</strong>
              ) : (
                <span key={i} className="map-tooltip__line">
                  {line}
                </span>
              ),
            )
          )}
        </div>
      ) : null}
      <div className="map-zoom" role="group" aria-label={t('worldMap.zoom')}>
        <button type="button" onClick={() => zoomBy(ZOOM_STEP)} aria-label={t('worldMap.zoomIn')} title={t('worldMap.zoomIn')}>
          +
        </button>
        <button type="button" onClick={() => zoomBy(1 / ZOOM_STEP)} aria-label={t('worldMap.zoomOut')} title={t('worldMap.zoomOut')}>
          −
        </button>
        <button type="button" onClick={resetZoom} disabled={!zoomed} className="map-zoom__reset">
          {t('worldMap.reset')}
        </button>
      </div>
    </div>
  );
}
