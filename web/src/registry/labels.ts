/** How a site type is drawn: a shape and a colour, so that types differ even in greyscale. */
export interface SiteTypeStyle {
  shape: SymbolShape;
  color: string;
}

export type SymbolShape = 'circle' | 'square' | 'triangle' | 'triangle-down' | 'diamond' | 'pentagon' | 'hexagon' | 'star' | 'plus' | 'cross' | 'dot';

// Colours chosen to stand out on the yellow–red prevalence shading: blues, greens, purples, browns.
const SITE_TYPE_STYLES: Record<string, SiteTypeStyle> = {
  land_border_post: { shape: 'square', color: '#1f4e9c' },
  port: { shape: 'circle', color: '#0c8599' },
  mine: { shape: 'triangle', color: '#6f4518' },
  construction_site: { shape: 'triangle-down', color: '#862e9c' },
  farm_compound: { shape: 'hexagon', color: '#2b8a3e' },
  truck_stop: { shape: 'diamond', color: '#212529' },
  fishing_landing: { shape: 'pentagon', color: '#1c7ed6' },
  market: { shape: 'star', color: '#c2255c' },
  transit_centre: { shape: 'plus', color: '#5f3dc4' },
  camp_settlement: { shape: 'cross', color: '#087f5b' },
  other: { shape: 'dot', color: '#6c757d' },
};

export function siteTypeStyle(type: string): SiteTypeStyle {
  return SITE_TYPE_STYLES[type] ?? SITE_TYPE_STYLES.other!;
}

/** `land_border_post` → `Land border post`, for codes the server did not name. */
export function words(code: string): string {
  const s = code.replace(/[_-]+/g, ' ').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function polygon(points: number, r: number, rotate = -Math.PI / 2): string {
  const parts: string[] = [];
  for (let i = 0; i < points; i++) {
    const a = rotate + (i * 2 * Math.PI) / points;
    parts.push(`${(r * Math.cos(a)).toFixed(2)},${(r * Math.sin(a)).toFixed(2)}`);
  }
  return `M${parts.join('L')}Z`;
}

/** SVG path of a symbol centred on 0,0 whose area is about that of a circle of radius r. */
export function symbolPath(shape: SymbolShape, r: number): string {
  switch (shape) {
    case 'square': {
      const h = r * 0.89;
      return `M${-h},${-h}H${h}V${h}H${-h}Z`;
    }
    case 'triangle':
      return polygon(3, r * 1.35);
    case 'triangle-down':
      return polygon(3, r * 1.35, Math.PI / 2);
    case 'diamond':
      return polygon(4, r * 1.25);
    case 'pentagon':
      return polygon(5, r * 1.1);
    case 'hexagon':
      return polygon(6, r * 1.05, 0);
    case 'star': {
      const parts: string[] = [];
      for (let i = 0; i < 10; i++) {
        const a = -Math.PI / 2 + (i * Math.PI) / 5;
        const radius = i % 2 === 0 ? r * 1.45 : r * 0.6;
        parts.push(`${(radius * Math.cos(a)).toFixed(2)},${(radius * Math.sin(a)).toFixed(2)}`);
      }
      return `M${parts.join('L')}Z`;
    }
    case 'plus':
    case 'cross': {
      const a = r * 1.2;
      const b = r * 0.42;
      const pts = [
        [-b, -a],
        [b, -a],
        [b, -b],
        [a, -b],
        [a, b],
        [b, b],
        [b, a],
        [-b, a],
        [-b, b],
        [-a, b],
        [-a, -b],
        [-b, -b],
      ];
      const turn = shape === 'cross' ? Math.PI / 4 : 0;
      const c = Math.cos(turn);
      const s = Math.sin(turn);
      return `M${pts.map(([x, y]) => `${(x! * c - y! * s).toFixed(2)},${(x! * s + y! * c).toFixed(2)}`).join('L')}Z`;
    }
    case 'dot':
      return circlePath(r * 0.8);
    case 'circle':
    default:
      return circlePath(r);
  }
}

function circlePath(r: number): string {
  return `M${r},0A${r},${r} 0 1,1 ${-r},0A${r},${r} 0 1,1 ${r},0Z`;
}
