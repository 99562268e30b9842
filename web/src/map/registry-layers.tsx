import { useState } from 'react';
import type { KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schema } from '../api';
import { formatCount, formatRange, useFormat } from '../i18n/format';
import { siteTypeStyle, symbolPath } from '../registry/labels';
import type { MapView } from './world-map';

type Corridor = Schema<'Corridor'>;
type RouteTotal = Schema<'RouteTotal'>;
type SiteFeature = Schema<'SiteFeature'>;

/** Dark, distinct hues for corridors, readable over the yellow–red prevalence shading. */
export const CORRIDOR_COLORS = ['#1b3a5c', '#6a1b9a', '#00796b', '#8d5a00', '#c2185b', '#2e7d32', '#3949ab', '#5d4037', '#00838f', '#455a64'];
export const FLOW_COLOR = '#1565c0';
/** Widest flow line, in SVG units (about pixels at the usual map width). */
export const FLOW_MAX_WIDTH = 10;
const FLOW_MIN_WIDTH = 1.2;

export function corridorColor(index: number): string {
  return CORRIDOR_COLORS[index % CORRIDOR_COLORS.length]!;
}

/** Stroke width of a flow: proportional to the square root of its count, so areas compare like counts. */
export function flowWidth(count: number, maxCount: number): number {
  if (maxCount <= 0 || count <= 0) return FLOW_MIN_WIDTH;
  return Math.max(FLOW_MIN_WIDTH, FLOW_MAX_WIDTH * Math.sqrt(count / maxCount));
}

/** Rounds to one significant figure: 88,045 → 90,000. */
export function roundNice(value: number): number {
  if (value <= 0) return 0;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return Math.max(1, Math.round(value / magnitude)) * magnitude;
}

/** Symbol radius for the zoom: small when the whole world shows, larger when zoomed in. */
function markerRadius(k: number): number {
  return Math.min(7.5, 3.5 + 0.5 * k);
}

interface OverlayProps {
  view: MapView;
  sites: SiteFeature[];
  corridors: Corridor[];
  flows: RouteTotal[];
  maxFlow: number;
  selectedSiteId: string | null;
  onSelectSite(id: string): void;
  typeName(code: string): string;
  countryName(code: string): string;
}

/** Corridors, flows and sites drawn over the countries, in that order (sites on top). */
export function RegistryOverlay(props: OverlayProps) {
  return (
    <>
      <CorridorLines view={props.view} corridors={props.corridors} />
      <FlowLines view={props.view} flows={props.flows} maxFlow={props.maxFlow} />
      <SiteMarkers {...props} />
    </>
  );
}

function CorridorLines({ view, corridors }: { view: MapView; corridors: Corridor[] }) {
  const { t } = useTranslation('map');
  return (
    <g className="corridors">
      {corridors.map((corridor, index) => {
        const points = corridor.places
          .filter((p) => p.latitude !== null && p.longitude !== null)
          .map((p) => view.point(p.longitude!, p.latitude!))
          .filter((p): p is [number, number] => p !== null);
        if (points.length < 2) return null;
        const list = points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ');
        const first = corridor.places[0]?.name ?? '';
        const last = corridor.places[corridor.places.length - 1]?.name ?? '';
        const tip = [
          corridor.illustrative ? t('overlay.corridorIllustrative', { name: corridor.name }) : corridor.name,
          `${first} → ${last}`,
          t('overlay.places', { count: corridor.places.length }),
        ].join('\n');
        return (
          <g key={corridor.id} className="corridor" data-tooltip={tip}>
            <polyline className="corridor__casing" points={list} />
            <polyline
              className="corridor__line"
              points={list}
              stroke={corridorColor(index)}
              data-testid="corridor-line"
              data-code={corridor.code}
              aria-label={t('overlay.corridor', { name: corridor.name })}
            />
            {points.map(([x, y], i) => (
              <circle key={i} className="corridor__stop" cx={x} cy={y} r={2.2} stroke={corridorColor(index)} />
            ))}
          </g>
        );
      })}
    </g>
  );
}

type Point = [number, number];

const f1 = (p: Point) => `${p[0].toFixed(1)},${p[1].toFixed(1)}`;

/** Shortest route drawn as an arc; shorter ones are drawn as a loop so that they stay visible. */
const LOOP_BELOW = 24;

/**
 * The path of a flow from a to b, bent to the right of its direction so that A→B and B→A do not
 * overlap, with the middle point and direction for its arrowhead.
 */
export function flowPath(a: Point, b: Point): { d: string; mid: Point; direction: Point } {
  const length = Math.hypot(b[0] - a[0], b[1] - a[1]);
  // Places a few kilometres apart (the two sides of a border crossing) point east when they coincide.
  const [ux, uy]: Point = length > 0.01 ? [(b[0] - a[0]) / length, (b[1] - a[1]) / length] : [1, 0];
  // The right-hand normal in screen coordinates (y grows downwards).
  const [nx, ny]: Point = [-uy, ux];
  if (length >= LOOP_BELOW) {
    const bend = 0.22 * length;
    const c: Point = [(a[0] + b[0]) / 2 + nx * bend, (a[1] + b[1]) / 2 + ny * bend];
    const mid: Point = [0.25 * a[0] + 0.5 * c[0] + 0.25 * b[0], 0.25 * a[1] + 0.5 * c[1] + 0.25 * b[1]];
    return { d: `M${f1(a)}Q${f1(c)} ${f1(b)}`, mid, direction: [ux, uy] };
  }
  // A teardrop loop out to the right: a cubic whose controls lie ahead of and behind the ends.
  const size = 22;
  const c1: Point = [a[0] + nx * size - ux * size * 0.6, a[1] + ny * size - uy * size * 0.6];
  const c2: Point = [b[0] + nx * size + ux * size * 0.6, b[1] + ny * size + uy * size * 0.6];
  const mid: Point = [(a[0] + 3 * c1[0] + 3 * c2[0] + b[0]) / 8, (a[1] + 3 * c1[1] + 3 * c2[1] + b[1]) / 8];
  const tx = b[0] + c2[0] - c1[0] - a[0];
  const ty = b[1] + c2[1] - c1[1] - a[1];
  const t = Math.hypot(tx, ty) || 1;
  return { d: `M${f1(a)}C${f1(c1)} ${f1(c2)} ${f1(b)}`, mid, direction: [tx / t, ty / t] };
}

function FlowLines({ view, flows, maxFlow }: { view: MapView; flows: RouteTotal[]; maxFlow: number }) {
  const { t } = useTranslation('map');
  const f = useFormat();
  // Widest first, so that thin flows stay visible on top of thick ones.
  const ordered = [...flows].sort((a, b) => b.count - a.count);
  return (
    <g className="flows">
      {ordered.map((flow) => {
        if (flow.fromLatitude === null || flow.fromLongitude === null || flow.toLatitude === null || flow.toLongitude === null) {
          return null;
        }
        const a = view.point(flow.fromLongitude, flow.fromLatitude);
        const b = view.point(flow.toLongitude, flow.toLatitude);
        if (!a || !b) return null;
        const width = flowWidth(flow.count, maxFlow);
        const { d, mid, direction } = flowPath(a, b);
        const head = Math.max(6, width * 1.3 + 4);
        const [mx, my] = mid;
        const [ux, uy] = direction;
        const arrow = [
          [mx + ux * head * 0.6, my + uy * head * 0.6],
          [mx - ux * head * 0.6 - uy * head * 0.55, my - uy * head * 0.6 + ux * head * 0.55],
          [mx - ux * head * 0.6 + uy * head * 0.55, my - uy * head * 0.6 - ux * head * 0.55],
        ]
          .map(([x, y]) => `${x!.toFixed(1)},${y!.toFixed(1)}`)
          .join(' ');
        const tip = `${flow.fromName} → ${flow.toName}\n${t('overlay.people', { count: flow.count, n: formatCount(f, flow.count) })}`;
        return (
          <g key={`${flow.from}>${flow.to}`} className="flow" data-tooltip={tip}>
            <path className="flow__casing" d={d} strokeWidth={width + 2} />
            <path
              className="flow__line"
              d={d}
              stroke={FLOW_COLOR}
              strokeWidth={width}
              data-testid="flow-line"
              data-count={flow.count}
              data-from={flow.from}
              data-to={flow.to}
            />
            <polygon className="flow__arrow" points={arrow} fill={FLOW_COLOR} />
          </g>
        );
      })}
    </g>
  );
}

function SiteMarkers({ view, sites, selectedSiteId, onSelectSite, typeName, countryName }: OverlayProps) {
  const { t } = useTranslation('map');
  const f = useFormat();
  const [activeId, setActiveId] = useState<string | null>(null);
  const r = markerRadius(view.k);
  const order = [...sites].sort((a, b) => a.properties.name.localeCompare(b.properties.name, f.locale));
  const tabbable = activeId && sites.some((s) => s.properties.id === activeId) ? activeId : (selectedSiteId ?? order[0]?.properties.id ?? null);

  function onKeyDown(event: KeyboardEvent<SVGPathElement>, id: string) {
    const index = order.findIndex((s) => s.properties.id === id);
    let next: SiteFeature | undefined;
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown') next = order[(index + 1) % order.length];
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') next = order[(index - 1 + order.length) % order.length];
    else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onSelectSite(id);
      return;
    } else return;
    event.preventDefault();
    if (!next) return;
    setActiveId(next.properties.id);
    const element = event.currentTarget.ownerSVGElement?.querySelector<SVGPathElement>(
      `[data-testid="site-marker"][data-site-id="${CSS.escape(next.properties.id)}"]`,
    );
    element?.focus();
  }

  // Selected site last, so it is drawn on top.
  const drawn = [...sites].sort((a, b) => Number(a.properties.id === selectedSiteId) - Number(b.properties.id === selectedSiteId));
  return (
    <g className="sites">
      {drawn.map((site) => {
        const [longitude, latitude] = site.geometry.coordinates as [number, number];
        const p = view.point(longitude, latitude);
        if (!p) return null;
        const { id, name, type, country, totals, gapCount } = site.properties;
        const style = siteTypeStyle(type);
        const selected = id === selectedSiteId;
        const population =
          totals.sizeHigh > 0 ? t('overlay.peopleRange', { range: formatRange(f, totals.sizeLow, totals.sizeHigh) }) : t('overlay.notEstimated');
        const tip = [name, `${typeName(type)} · ${countryName(country)}`, `${population} · ${t('overlay.gaps', { count: gapCount })}`].join('\n');
        return (
          <g key={id} transform={`translate(${p[0].toFixed(1)},${p[1].toFixed(1)})`} data-tooltip={tip}>
            {selected ? <circle className="site-marker__halo" r={r * 2} /> : null}
            <path
              className={selected ? 'site-marker site-marker--selected' : 'site-marker'}
              d={symbolPath(style.shape, selected ? r * 1.3 : r)}
              fill={style.color}
              data-testid="site-marker"
              data-site-id={id}
              data-type={type}
              role="button"
              aria-label={t('overlay.site', { name, type: typeName(type), country: countryName(country) })}
              aria-pressed={selected}
              tabIndex={id === tabbable ? 0 : -1}
              onClick={() => onSelectSite(id)}
              onKeyDown={(event) => onKeyDown(event, id)}
            />
          </g>
        );
      })}
    </g>
  );
}
