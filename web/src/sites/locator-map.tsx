import { geoMercator, geoPath } from 'd3-geo';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { $api } from '../api';
import type { CountryCollection } from '../api';
import { siteTypeStyle, symbolPath } from '../registry/labels';

const W = 300;
const H = 220;
/** Half-widths of the area shown around the site, in degrees. */
const SPAN_LON = 4;
const SPAN_LAT = 3;

/**
 * A small map of the site among its neighbours. It asks only for the countries whose extent meets
 * the area shown, not the whole world.
 */
export function LocatorMap({ latitude, longitude, country, type, name }: { latitude: number; longitude: number; country: string; type: string; name: string }) {
  const { t } = useTranslation('sites');
  const west = Math.max(-180, longitude - SPAN_LON);
  const east = Math.min(180, longitude + SPAN_LON);
  const south = Math.max(-90, latitude - SPAN_LAT);
  const north = Math.min(90, latitude + SPAN_LAT);
  const bbox = [west, south, east, north].map((v) => v.toFixed(3)).join(',');
  // Boundaries do not change: kept for the visit, and not read again after a write.
  const load = $api.useQuery(
    'get',
    '/api/places',
    { params: { query: { level: 'country', format: 'geojson', bbox } } },
    { staleTime: Infinity, meta: { keepOnWrite: true }, select: (body) => (body as CountryCollection).features },
  );

  const drawing = useMemo(() => {
    if (!load.data) return null;
    const projection = geoMercator().fitExtent(
      [
        [4, 4],
        [W - 4, H - 4],
      ],
      {
        type: 'MultiPoint',
        coordinates: [
          [west, south],
          [east, north],
        ],
      },
    );
    const path = geoPath(projection);
    const shapes = load.data.map((f) => {
      const centroid = path.centroid(f);
      return { code: f.properties.code ?? '', name: f.properties.name, d: path(f) ?? '', centroid };
    });
    return { shapes, site: projection([longitude, latitude]) };
  }, [load.data, west, south, east, north, latitude, longitude]);

  if (load.status === 'error') return null;
  const style = siteTypeStyle(type);
  return (
    <figure className="locator" data-testid="locator-map">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('locator.label', { name })}>
        <rect width={W} height={H} className="locator__sea" />
        {drawing?.shapes.map((s, i) => (
          <path key={`${s.code}-${i}`} d={s.d} className={s.code === country ? 'locator__country locator__country--home' : 'locator__country'} />
        ))}
        {drawing?.shapes.map((s, i) =>
          Number.isFinite(s.centroid[0]) && s.centroid[0] > 20 && s.centroid[0] < W - 20 && s.centroid[1] > 12 && s.centroid[1] < H - 8 ? (
            <text key={`label-${s.code}-${i}`} x={s.centroid[0]} y={s.centroid[1]} className="locator__label">
              {s.name}
            </text>
          ) : null,
        )}
        {drawing?.site ? (
          <g transform={`translate(${drawing.site[0].toFixed(1)},${drawing.site[1].toFixed(1)})`}>
            <circle r={11} className="locator__halo" />
            <path d={symbolPath(style.shape, 6)} fill={style.color} stroke="#fff" strokeWidth={1.5} />
          </g>
        ) : null}
      </svg>
      <figcaption className="muted">{t('locator.source')}</figcaption>
    </figure>
  );
}
