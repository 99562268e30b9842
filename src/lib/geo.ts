import type { BBox, Geometry } from '../domain/place.js';

const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon']);

/** Checks a GeoJSON geometry's structure and coordinate ranges; returns a message or null when valid. */
export function geometryProblem(g: unknown): string | null {
  if (g === null || typeof g !== 'object') return 'geometry must be a GeoJSON object';
  const { type, coordinates } = g as { type?: unknown; coordinates?: unknown };
  if (typeof type !== 'string' || !GEOMETRY_TYPES.has(type)) return `unsupported geometry type ${JSON.stringify(type)}`;
  const depth = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 }[type as Geometry['type']];
  const check = (c: unknown, d: number): string | null => {
    if (!Array.isArray(c)) return 'coordinates must be arrays';
    if (d === 0) {
      const [lon, lat] = c as unknown[];
      if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat))
        return 'a position must be [longitude, latitude] numbers';
      if (lon < -180 || lon > 180) return `longitude ${lon} is outside -180..180`;
      if (lat < -90 || lat > 90) return `latitude ${lat} is outside -90..90`;
      return null;
    }
    for (const inner of c) {
      const p = check(inner, d - 1);
      if (p) return p;
    }
    return null;
  };
  return check(coordinates, depth);
}

/** Walks every position of a geometry. */
function eachPosition(g: Geometry, fn: (p: number[]) => void): void {
  const walk = (c: unknown, d: number) => {
    if (d === 0) fn(c as number[]);
    else for (const inner of c as unknown[]) walk(inner, d - 1);
  };
  const depth = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 }[g.type];
  walk(g.coordinates, depth);
}

/** The bounding box of a geometry, or null for an empty one. */
export function bboxOf(g: Geometry | null): BBox | null {
  if (!g) return null;
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  eachPosition(g, ([lon, lat]) => {
    if (lon! < minLon) minLon = lon!;
    if (lon! > maxLon) maxLon = lon!;
    if (lat! < minLat) minLat = lat!;
    if (lat! > maxLat) maxLat = lat!;
  });
  return minLon === Infinity ? null : [minLon, minLat, maxLon, maxLat];
}

/** Rounds every coordinate to `decimals` places (3 ≈ 110 m, finer than 1:50m boundaries). */
export function roundGeometry<G extends Geometry>(g: G, decimals: number): G {
  const f = 10 ** decimals;
  const round = (c: unknown): unknown => (typeof c === 'number' ? Math.round(c * f) / f : (c as unknown[]).map(round));
  return { ...g, coordinates: round(g.coordinates) } as G;
}

// ---- Simplification for small scales ---------------------------------------------------------

type Ring = number[][];

const keyOf = (p: number[]): string => `${p[0]},${p[1]}`;

/** Squared distance from p to the segment a–b, in degrees (planar: enough at a world map's scale). */
function segmentDistance2(p: number[], a: number[], b: number[]): number {
  const [px, py] = p as [number, number];
  const [ax, ay] = a as [number, number];
  const dx = b[0]! - ax;
  const dy = b[1]! - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / len2;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const ex = px - (ax + t * dx);
  const ey = py - (ay + t * dy);
  return ex * ex + ey * ey;
}

/**
 * Douglas–Peucker on `line` (its two ends always kept), without recursion: the indices of the
 * positions kept. With `force`, the farthest interior position is kept even if within tolerance.
 */
function douglasPeucker(line: Ring, tolerance2: number, force: boolean): number[] {
  const last = line.length - 1;
  const keep = new Uint8Array(line.length);
  keep[0] = 1;
  keep[last] = 1;
  const stack: [number, number][] = [[0, last]];
  let first = true;
  while (stack.length > 0) {
    const [from, to] = stack.pop()!;
    let farthest = -1;
    let max = -1;
    for (let i = from + 1; i < to; i++) {
      const d = segmentDistance2(line[i]!, line[from]!, line[to]!);
      if (d > max) {
        max = d;
        farthest = i;
      }
    }
    if (farthest >= 0 && (max > tolerance2 || (force && first))) {
      keep[farthest] = 1;
      stack.push([from, farthest], [farthest, to]);
    }
    first = false;
  }
  const kept: number[] = [];
  for (let i = 0; i <= last; i++) if (keep[i]) kept.push(i);
  return kept;
}

/** Twice the signed area of a closed ring (positive: counter-clockwise). */
export function ringArea2(ring: Ring): number {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++) s += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  return s;
}

function extentOf(ring: Ring): { width: number; height: number } {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of ring as [number, number][]) {
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return { width: maxX - minX, height: maxY - minY };
}

/** Numbers the distinct positions of rings (floats as map keys: no number-to-string conversions). */
function numberPositions(rings: Ring[]): { ids: Map<Ring, Int32Array>; count: number } {
  const byX = new Map<number, Map<number, number>>();
  let count = 0;
  const ids = new Map<Ring, Int32Array>();
  for (const ring of rings) {
    const out = new Int32Array(ring.length);
    for (let i = 0; i < ring.length; i++) {
      const [x, y] = ring[i] as [number, number];
      let column = byX.get(x);
      if (!column) byX.set(x, (column = new Map()));
      let id = column.get(y);
      if (id === undefined) column.set(y, (id = count++));
      out[i] = id;
    }
    ids.set(ring, out);
  }
  return { ids, count };
}

/**
 * The junctions of a set of closed rings: positions where rings meet with different neighbours
 * (where a shared border begins, ends or forks), as TopoJSON finds them. Between two junctions a
 * border is the same run of positions in each ring that has it (in either direction), so simplifying
 * each run with its ends fixed gives neighbours the same simplified border: no gaps, no overlaps.
 */
function junctions(rings: Int32Array[], count: number): Uint8Array {
  // The unordered pair of neighbours first seen at each position, as one number (lower * count + higher).
  const neighbours = new Float64Array(count).fill(-1);
  const found = new Uint8Array(count);
  for (const ids of rings) {
    const n = ids.length - 1;
    for (let i = 0; i < n; i++) {
      const a = ids[(i - 1 + n) % n]!;
      const b = ids[(i + 1) % n]!;
      const pair = a < b ? a * count + b : b * count + a;
      const id = ids[i]!;
      if (neighbours[id] === -1) neighbours[id] = pair;
      else if (neighbours[id] !== pair) found[id] = 1;
    }
  }
  return found;
}

/** The runs of a closed ring between its anchors: index pairs [from, to] with to ≤ from + n (wrapping). */
function anchorsOf(ring: Ring, ids: Int32Array, fixed: Uint8Array): number[] {
  const n = ring.length - 1; // distinct positions; ring[n] repeats ring[0]
  let anchors: number[] = [];
  for (let i = 0; i < n; i++) if (fixed[ids[i]!]) anchors.push(i);
  if (anchors.length === 0) {
    // No junction (an island, or an enclave whose ring its host has as a hole): start from the
    // smallest position, which both copies of an enclave's ring agree on.
    let min = 0;
    for (let i = 1; i < n; i++) {
      const [x, y] = ring[i] as [number, number];
      const [mx, my] = ring[min] as [number, number];
      if (x < mx || (x === mx && y < my)) min = i;
    }
    anchors = [min];
  }
  if (anchors.length === 1) {
    // Split a run that closes on itself at its position farthest from the anchor.
    const a = ring[anchors[0]!]!;
    let far = anchors[0]!;
    let max = -1;
    for (let i = 0; i < n; i++) {
      const d = (ring[i]![0]! - a[0]!) ** 2 + (ring[i]![1]! - a[1]!) ** 2;
      if (d > max) {
        max = d;
        far = i;
      }
    }
    if (far !== anchors[0]) anchors = [anchors[0]!, far].sort((x, y) => x - y);
  }
  return anchors;
}

/**
 * Where a closed ring crosses itself: the pairs of segments that cross (not at a shared end), and
 * the start indices of those segments. A sweep along x, so about n log n for a ring of n positions.
 */
export function selfCrossings(ring: Ring): { pairs: number; segments: Set<number> } {
  const m = ring.length - 1;
  const crossing = new Set<number>();
  let pairs = 0;
  if (m < 4) return { pairs, segments: crossing };
  const minX = (i: number) => Math.min(ring[i]![0]!, ring[i + 1]![0]!);
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => minX(a) - minX(b));
  const side = (p: number[], q: number[], r: number[]) => Math.sign((q[0]! - p[0]!) * (r[1]! - p[1]!) - (q[1]! - p[1]!) * (r[0]! - p[0]!));
  for (let k = 0; k < m; k++) {
    const i = order[k]!;
    const a = ring[i]!;
    const b = ring[i + 1]!;
    const maxX = Math.max(a[0]!, b[0]!);
    for (let l = k + 1; l < m && minX(order[l]!) <= maxX; l++) {
      const j = order[l]!;
      // Neighbouring segments share an end; that is no crossing.
      if (Math.abs(i - j) <= 1 || Math.abs(i - j) === m - 1) continue;
      const c = ring[j]!;
      const d = ring[j + 1]!;
      if (Math.max(a[1]!, b[1]!) < Math.min(c[1]!, d[1]!) || Math.max(c[1]!, d[1]!) < Math.min(a[1]!, b[1]!)) continue;
      if (side(a, b, c) * side(a, b, d) < 0 && side(c, d, a) * side(c, d, b) < 0) {
        pairs++;
        crossing.add(i);
        crossing.add(j);
      }
    }
  }
  return { pairs, segments: crossing };
}

/** The ring closed (its last position its first), as GeoJSON requires. */
function closed(ring: Ring): Ring {
  return ring.length > 0 && keyOf(ring[0]!) !== keyOf(ring[ring.length - 1]!) ? [...ring, ring[0]!] : ring;
}

/** A run of a ring between two anchors, and the arc (the border shared by every ring that has it) it is. */
interface Run {
  from: number;
  to: number;
  arc: string;
  /** True when the ring goes along the arc against its canonical direction. */
  reversed: boolean;
}

/**
 * Simplifies the polygons of many geometries together for a small-scale (world) map: Douglas–Peucker
 * with `tolerance` (degrees) on each arc, a border between two junctions, computed once per arc and
 * used by every ring that has it, so shared borders stay shared (no gaps, no overlaps).
 *
 * Every ring kept stays closed, with at least 4 positions, each one of the original's in its order.
 * A ring that the simplification made cross itself more often than the source did (some source rings
 * cut at the antimeridian cross themselves) is simplified again with half the tolerance on the arcs
 * where it crosses, up to 6 times (1/64 of the tolerance). A polygon whose extent is within the tolerance both ways (an islet, a
 * tiny hole) is dropped, except each geometry's largest polygon, so no place disappears. Other
 * geometry types are returned as they are.
 */
export function simplifyPolygons<G extends Geometry | null>(geometries: readonly G[], tolerance: number): G[] {
  const polygonsOf = (g: Geometry | null): Ring[][] => (g?.type === 'Polygon' ? [g.coordinates] : g?.type === 'MultiPolygon' ? g.coordinates : []);
  const tiny = (ring: Ring) => {
    const { width, height } = extentOf(ring);
    return width < tolerance && height < tolerance;
  };
  // Drop what is too small to see first, so that it makes no junctions.
  const kept = geometries.map((g) => {
    const polygons = polygonsOf(g);
    if (polygons.length === 0) return polygons;
    let largest = 0;
    let largestArea = -1;
    polygons.forEach((p, i) => {
      const area = Math.abs(ringArea2(p[0]!));
      if (area > largestArea) {
        largestArea = area;
        largest = i;
      }
    });
    return polygons.filter((p, i) => i === largest || !tiny(p[0]!)).map((p) => [p[0]!, ...p.slice(1).filter((hole) => !tiny(hole))].map(closed));
  });
  const rings = kept.flat(2);
  const { ids, count } = numberPositions(rings);
  const fixed = junctions(
    [...ids.values()].filter((r) => r.length > 1),
    count,
  );

  // Every ring's runs, each named by its arc: the ids of its first, second and last positions in
  // the arc's canonical direction (the smaller of the two readings).
  const runsOf = new Map<Ring, Run[]>();
  const arcs = new Map<string, { ring: Ring; from: number; to: number; reversed: boolean }>();
  for (const ring of rings) {
    const n = ring.length - 1;
    if (n <= 3) continue;
    const rid = ids.get(ring)!;
    const anchors = anchorsOf(ring, rid, fixed);
    const runs: Run[] = [];
    for (let k = 0; k < anchors.length; k++) {
      const from = anchors[k]!;
      const to = k + 1 < anchors.length ? anchors[k + 1]! : anchors[0]! + n;
      const at = (i: number) => rid[i % n]!;
      const forward = `${at(from)},${at(from + 1)},${at(to)}`;
      const backward = `${at(to)},${at(to - 1)},${at(from)}`;
      const reversed = backward < forward;
      const arc = reversed ? backward : forward;
      runs.push({ from, to, arc, reversed });
      if (!arcs.has(arc)) arcs.set(arc, { ring, from, to, reversed });
    }
    runsOf.set(ring, runs);
  }

  const arcTolerance = new Map<string, number>();
  /** Arcs that keep their farthest position whatever the tolerance: those of rings it would flatten. */
  const forced = new Set<string>();
  const simplifiedArcs = new Map<string, Ring>();
  /** An arc simplified at its tolerance, in its canonical direction. */
  const arcLine = (arc: string): Ring => {
    const hit = simplifiedArcs.get(arc);
    if (hit) return hit;
    const { ring, from, to, reversed } = arcs.get(arc)!;
    const n = ring.length - 1;
    const line: Ring = [];
    for (let i = from; i <= to; i++) line.push(ring[i % n]!);
    if (reversed) line.reverse();
    const t = arcTolerance.get(arc) ?? tolerance;
    const result = douglasPeucker(line, t * t, forced.has(arc)).map((i) => line[i]!);
    simplifiedArcs.set(arc, result);
    return result;
  };
  /** A ring from its arcs; the index in the result where each run's segments begin. */
  const simplify = (ring: Ring): { ring: Ring; starts: number[] } => {
    const out: Ring = [];
    const starts: number[] = [];
    for (const run of runsOf.get(ring)!) {
      starts.push(out.length);
      const line = arcLine(run.arc);
      const ordered = run.reversed ? [...line].reverse() : line;
      for (let j = 0; j + 1 < ordered.length; j++) out.push(ordered[j]!);
    }
    out.push(out[0]!);
    return { ring: out, starts };
  };
  // Keep a ring a ring: when the tolerance would flatten it, its arcs keep their farthest
  // positions, for every ring that has them (its neighbour keeps the same border).
  for (const ring of runsOf.keys()) {
    if (simplify(ring).ring.length >= 4) continue;
    for (const run of runsOf.get(ring)!) {
      forced.add(run.arc);
      simplifiedArcs.delete(run.arc);
    }
  }

  const result = new Map<Ring, Ring>();
  const sourceCrossings = new Map<Ring, number>();
  let pending = [...runsOf.keys()];
  for (let round = 0; pending.length > 0; round++) {
    const again: Ring[] = [];
    for (const ring of pending) {
      const simplified = simplify(ring);
      result.set(ring, simplified.ring);
      if (round >= 6) continue;
      const crossing = selfCrossings(simplified.ring);
      if (crossing.pairs === 0) continue;
      if (!sourceCrossings.has(ring)) sourceCrossings.set(ring, selfCrossings(ring).pairs);
      if (crossing.pairs <= sourceCrossings.get(ring)!) continue;
      // Halve the tolerance of the arcs the crossing segments belong to, and try again.
      const runs = runsOf.get(ring)!;
      const touched = new Set<string>();
      for (const segment of crossing.segments) {
        let k = runs.length - 1;
        while (k > 0 && simplified.starts[k]! > segment) k--;
        touched.add(runs[k]!.arc);
      }
      for (const arc of touched) {
        arcTolerance.set(arc, (arcTolerance.get(arc) ?? tolerance) / 2);
        simplifiedArcs.delete(arc);
      }
      again.push(ring);
    }
    // The arcs changed may be other rings' too: those are simplified again as well.
    const changed = new Set(again.flatMap((r) => runsOf.get(r)!.map((run) => run.arc)));
    pending = [
      ...new Set([
        ...again,
        ...[...runsOf.keys()].filter((r) => !again.includes(r) && runsOf.get(r)!.some((run) => changed.has(run.arc) && arcTolerance.has(run.arc))),
      ]),
    ];
  }
  return geometries.map((g, i) => {
    if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) return g;
    const polygons = kept[i]!.map((p) => p.map((ring) => result.get(ring) ?? ring));
    return (g.type === 'Polygon' ? { ...g, coordinates: polygons[0]! } : { ...g, coordinates: polygons }) as G;
  });
}
