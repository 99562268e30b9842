import { describe, expect, it } from 'vitest';
import { bboxOf, geometryProblem, roundGeometry } from './geo.js';

describe('geometry helpers', () => {
  it('finds the bounding box of multipolygons and points', () => {
    expect(
      bboxOf({ type: 'MultiPolygon', coordinates: [[[[1, 2], [3, -4], [1, 2]]], [[[-10, 5], [0, 0], [-10, 5]]]] }),
    ).toEqual([-10, -4, 3, 5]);
    expect(bboxOf({ type: 'Point', coordinates: [34.1, 0.6] })).toEqual([34.1, 0.6, 34.1, 0.6]);
    expect(bboxOf(null)).toBeNull();
  });

  it('says what is wrong with a bad geometry', () => {
    expect(geometryProblem({ type: 'Point', coordinates: [34, 0.5] })).toBeNull();
    expect(geometryProblem({ type: 'Point', coordinates: [200, 0] })).toMatch(/longitude 200/);
    expect(geometryProblem({ type: 'Polygon', coordinates: [[[0, 0], [0, 'x']]] })).toMatch(/position/);
    expect(geometryProblem({ type: 'Circle', coordinates: [] })).toMatch(/unsupported geometry type "Circle"/);
    expect(geometryProblem('nope')).toMatch(/GeoJSON object/);
  });

  it('rounds coordinates', () => {
    expect(roundGeometry({ type: 'LineString', coordinates: [[1.23456, -0.00049]] }, 3).coordinates).toEqual([[1.235, -0]]);
  });
});
