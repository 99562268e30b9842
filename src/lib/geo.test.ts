import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Geometry } from '../domain/place.js';
import { bboxOf, geometryProblem, ringArea2, roundGeometry, selfCrossings, simplifyPolygons } from './geo.js';

describe('geometry helpers', () => {
  it('finds the bounding box of multipolygons and points', () => {
    expect(
      bboxOf({
        type: 'MultiPolygon',
        coordinates: [
          [
            [
              [1, 2],
              [3, -4],
              [1, 2],
            ],
          ],
          [
            [
              [-10, 5],
              [0, 0],
              [-10, 5],
            ],
          ],
        ],
      }),
    ).toEqual([-10, -4, 3, 5]);
    expect(bboxOf({ type: 'Point', coordinates: [34.1, 0.6] })).toEqual([34.1, 0.6, 34.1, 0.6]);
    expect(bboxOf(null)).toBeNull();
  });

  it('says what is wrong with a bad geometry', () => {
    expect(geometryProblem({ type: 'Point', coordinates: [34, 0.5] })).toBeNull();
    expect(geometryProblem({ type: 'Point', coordinates: [200, 0] })).toMatch(/longitude 200/);
    expect(
      geometryProblem({
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [0, 'x'],
          ],
        ],
      }),
    ).toMatch(/position/);
    expect(geometryProblem({ type: 'Circle', coordinates: [] })).toMatch(/unsupported geometry type "Circle"/);
    expect(geometryProblem('nope')).toMatch(/GeoJSON object/);
  });

  it('rounds coordinates', () => {
    expect(roundGeometry({ type: 'LineString', coordinates: [[1.23456, -0.00049]] }, 3).coordinates).toEqual([[1.235, -0]]);
  });
});

type Ring = number[][];
const ringsOf = (g: Geometry | null | undefined): Ring[] => (g?.type === 'Polygon' ? g.coordinates : g?.type === 'MultiPolygon' ? g.coordinates.flat(1) : []);
const positions = (gs: (Geometry | null)[]) => gs.reduce((s, g) => s + ringsOf(g).reduce((t, r) => t + r.length, 0), 0);
const key = (p: number[]) => `${p[0]},${p[1]}`;

/** A wiggly line from (x, 0) to (x, 10): 201 positions, off the straight line by at most `amp`. */
const wiggle = (x: number, amp: number): Ring => Array.from({ length: 201 }, (_, i) => [x + amp * Math.sin(i * 1.7), i / 20]);

describe('simplifyPolygons (the world view’s geometry)', () => {
  // Natural Earth 1:50m countries, as the world loader stores them (3 decimals).
  const world = (
    JSON.parse(readFileSync(new URL('../../data/boundaries/ne_admin0_countries_50m.geojson', import.meta.url), 'utf8')) as {
      features: { geometry: Geometry }[];
    }
  ).features.map((f) => roundGeometry(f.geometry, 3));
  const simplified = simplifyPolygons(world, 0.05);
  /** The source ring of a simplified one: the ring of that country holding its second position. */
  const ringAt = world.map((g) => new Map(ringsOf(g).flatMap((r) => r.map((p) => [key(p), r] as const))));
  const sourceOf = (i: number, ring: Ring) => ringAt[i]!.get(key(ring[1]!))!;
  const tinyRing = (r: Ring) => {
    const b = bboxOf({ type: 'LineString', coordinates: r })!;
    return b[2] - b[0] < 0.05 && b[3] - b[1] < 0.05;
  };

  it('keeps every country, every ring closed with at least 4 of the original positions in order, and the same orientation', () => {
    expect(simplified).toHaveLength(world.length);
    simplified.forEach((g, i) => {
      const before = ringsOf(world[i]!);
      const after = ringsOf(g);
      expect(after.length).toBeGreaterThan(0);
      expect(after.length).toBeLessThanOrEqual(before.length);
      for (const ring of after) {
        expect(ring.length).toBeGreaterThanOrEqual(4);
        expect(key(ring[0]!)).toBe(key(ring[ring.length - 1]!));
        // Its positions are a subsequence of one source ring (read cyclically).
        const source = sourceOf(i, ring);
        const at = new Map(source.slice(0, -1).map((p, j) => [key(p), j]));
        const steps = ring.slice(0, -1).map((p, j, all) => (at.get(key(all[(j + 1) % all.length]!))! - at.get(key(p))! + at.size) % at.size);
        expect(steps.every((d) => d > 0)).toBe(true);
        expect(steps.reduce((s, d) => s + d, 0)).toBe(at.size);
        expect(Math.sign(ringArea2(ring))).toBe(Math.sign(ringArea2(source)));
      }
    });
  });

  it('adds no self-crossing to any ring', () => {
    simplified.forEach((g, i) => {
      for (const ring of ringsOf(g)) {
        const source = sourceOf(i, ring);
        expect(selfCrossings(ring).pairs).toBeLessThanOrEqual(selfCrossings(source).pairs);
      }
    });
  });

  it('keeps shared borders shared: each position two countries had in common and still have is on both', () => {
    const owners = (gs: (Geometry | null)[]) => {
      const by = new Map<string, Set<number>>();
      gs.forEach((g, i) => ringsOf(g).forEach((r) => r.forEach((p) => by.set(key(p), (by.get(key(p)) ?? new Set()).add(i)))));
      return by;
    };
    const before = owners(world);
    const after = owners(simplified);
    // Positions of rings dropped as too small to see (Italy's hole for the Vatican) are not compared.
    const dropped = new Set(
      world
        .flatMap((g) => ringsOf(g).filter(tinyRing))
        .flat()
        .map(key),
    );
    let checked = 0;
    for (const [k, countries] of after) {
      const had = before.get(k)!;
      if (dropped.has(k)) continue;
      // A position of a border kept by one neighbour is kept by every neighbour with that border.
      if (had.size > 1) {
        checked++;
        expect([...countries].sort(), k).toEqual([...had].filter((c) => ringsOf(simplified[c]!).length > 0).sort());
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('makes the world’s boundaries less than half as big', () => {
    const rounded = (gs: (Geometry | null)[]) => Buffer.byteLength(JSON.stringify(gs));
    expect(positions(simplified)).toBeLessThan(positions(world) * 0.4);
    expect(rounded(simplified)).toBeLessThan(rounded(world) * 0.4);
  });

  it('drops islets within the tolerance but keeps larger islands, and never a place’s only polygon', () => {
    const square = (x: number, y: number, size: number): Ring[] => [
      [
        [x, y],
        [x + size, y],
        [x + size, y + size],
        [x, y + size],
        [x, y],
      ],
    ];
    const islands: Geometry = { type: 'MultiPolygon', coordinates: [square(0, 0, 5), square(10, 0, 0.01), square(20, 0, 0.2)] };
    const islet: Geometry = { type: 'Polygon', coordinates: square(40, 0, 0.01) };
    const [a, b] = simplifyPolygons([islands, islet], 0.05);
    expect(a!.coordinates).toEqual([square(0, 0, 5), square(20, 0, 0.2)]);
    expect(b).toEqual(islet);
  });

  it('simplifies a border shared by two polygons the same way in both, and an enclave like its host’s hole', () => {
    const border = wiggle(5, 0.01);
    // West: (0,0) → border up → (0,10); east: the border down, its other side.
    const west: Geometry = { type: 'Polygon', coordinates: [[[0, 0], ...border, [0, 10], [0, 0]]] };
    const east: Geometry = { type: 'Polygon', coordinates: [[...[...border].reverse(), [10, 0], [10, 10], border[border.length - 1]!]] };
    const enclaveRing: Ring = [
      [2, 2],
      [3, 2],
      [3.01, 2.5],
      [3, 3],
      [2, 3],
      [2, 2],
    ];
    const host: Geometry = {
      type: 'Polygon',
      coordinates: [
        [
          [-10, -10],
          [20, -10],
          [20, 20],
          [-10, 20],
          [-10, -10],
        ],
        [
          [3, 3],
          [3.01, 2.5],
          [3, 2],
          [2, 2],
          [2, 3],
          [3, 3],
        ],
      ],
    };
    const enclave: Geometry = { type: 'Polygon', coordinates: [enclaveRing] };
    const [w, e, h, en] = simplifyPolygons([west, east, host, enclave], 0.05) as Geometry[];
    const onBorder = (g: Geometry | null | undefined) =>
      new Set(
        ringsOf(g)[0]!
          .filter((p) => Math.abs(p[0]! - 5) < 0.02 && p[1]! > 0 && p[1]! < 10)
          .map(key),
      );
    expect(onBorder(w).size).toBeLessThan(10);
    expect(onBorder(w)).toEqual(onBorder(e));
    expect(new Set(ringsOf(h!)[1]!.map(key))).toEqual(new Set(ringsOf(en!)[0]!.map(key)));
  });

  it('leaves triangles, points and lines as they are', () => {
    const triangle: Geometry = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [0, 1],
          [0, 0],
        ],
      ],
    };
    const line: Geometry = { type: 'LineString', coordinates: wiggle(0, 0.001) };
    const point: Geometry = { type: 'Point', coordinates: [1, 2] };
    expect(simplifyPolygons([triangle, line, point, null], 1)).toEqual([triangle, line, point, null]);
  });
});
