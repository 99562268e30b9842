import { describe, expect, it } from 'vitest';
import { failure } from '../../test/support/errors.js';
import { parsePlaceFile, placeFileFormat } from './place-import.js';

describe('place import files', () => {
  it('reads CSV with coordinates into points', () => {
    const rows = parsePlaceFile('name,code,level,parent,latitude,longitude\nBusia,KE-BUS,admin1,KEN,0.46,34.09\n', 'csv');
    expect(rows).toEqual([
      { line: 2, code: 'KE-BUS', name: 'Busia', level: 'admin1', parentCode: 'KEN', geometry: { type: 'Point', coordinates: [34.09, 0.46] } },
    ]);
  });

  it('names line, field and value of every bad CSV row, and refuses unknown columns', () => {
    const e = failure(() => parsePlaceFile('name,level,latitude,longitude\nA,admin1,95,30\n,admin1,,\nC,planet,,\n', 'csv'));
    expect(e.code).toBe('IMPORT_INVALID');
    expect(e.message).toContain('line 2, field "latitude": latitude must be a number from -90 to 90 (value "95")');
    expect(e.message).toContain('line 3, field "name"');
    expect(e.message).toContain('line 4, field "level"');
    expect(failure(() => parsePlaceFile('name,lattitude\nA,1\n', 'csv')).message).toMatch(/unknown column "lattitude"/);
    expect(failure(() => parsePlaceFile('name,code\nA,B,C\n', 'csv')).message).toMatch(/line 2: expected 2 fields, found 3/);
  });

  it('reads GeoJSON features, accepting geoBoundaries field names', () => {
    const rows = parsePlaceFile(
      JSON.stringify({
        type: 'FeatureCollection',
        features: [{ type: 'Feature', properties: { shapeName: 'Busia', shapeISO: 'KE-04' }, geometry: { type: 'Point', coordinates: [34.1, 0.46] } }],
      }),
      'geojson',
    );
    expect(rows[0]).toMatchObject({ line: 1, name: 'Busia', code: 'KE-04' });
  });

  it('explains malformed GeoJSON with its line', () => {
    expect(failure(() => parsePlaceFile('{\n  "type": "FeatureCollection",\n  "features": [,]\n}', 'geojson')).message).toMatch(
      /not valid JSON: line 3, column 16/,
    );
    expect(failure(() => parsePlaceFile('{"type":"Feature"}', 'geojson')).message).toMatch(/not a GeoJSON FeatureCollection/);
    const bad = failure(() =>
      parsePlaceFile(
        JSON.stringify({
          type: 'FeatureCollection',
          features: [{ type: 'Feature', properties: { name: 'X' }, geometry: { type: 'Point', coordinates: [0, 100] } }],
        }),
        'geojson',
      ),
    );
    expect(bad.message).toBe('feature 1, field "geometry": latitude 100 is outside -90..90');
    expect(failure(() => parsePlaceFile('{"type":"FeatureCollection","features":[]}', 'geojson')).message).toMatch(/holds no places/);
  });

  it('knows formats by extension', () => {
    expect(placeFileFormat('a/b.GeoJSON')).toBe('geojson');
    expect(placeFileFormat('x.csv')).toBe('csv');
    expect(failure(() => placeFileFormat('x.xlsx')).message).toMatch(/unknown file type ".xlsx"/);
  });
});
