import { describe, expect, it } from 'vitest';
import { AppError } from '../../domain/errors.js';
import { sampleValue } from '../../../test/support/dhis2-value.js';
import { DHIS2_CSV_HEADER, formatDhis2Csv, parseDhis2Csv } from './dhis2-csv.js';

// Text that the format must escape.
const value = sampleValue('a "quoted", comma\nand newline');

describe('DHIS2 CSV', () => {
  it('formats with the full header and parses back the same values', () => {
    const text = formatDhis2Csv([value, { ...value, orgUnit: 'BdfsJfj87js', value: null, comment: null, followup: true, deleted: true }]);
    expect(text.split('\n')[0]).toBe(DHIS2_CSV_HEADER.join(','));
    const set = parseDhis2Csv(text);
    expect(set.dataValues).toHaveLength(2);
    expect(set.dataValues[0]).toEqual({
      dataElement: 'f7n9E0hX8qk',
      period: '201201',
      orgUnit: 'DiszpKrYNg8',
      categoryOptionCombo: 'HllvX50cXC0',
      attributeOptionCombo: 'HllvX50cXC0',
      value: '10001',
      storedBy: 'john',
      lastUpdated: '2012-01-02T00:00:00.000Z',
      comment: value.comment,
      followup: false,
    });
    expect(set.dataValues[1]).toMatchObject({ orgUnit: 'BdfsJfj87js', value: '', followup: true, deleted: true });
    expect(set.dataValues[1]).not.toHaveProperty('comment');
  });

  it('imports short headers positionally; empty COC and AOC mean the default', () => {
    const set = parseDhis2Csv('de,pe,ou,coc,acoc,value\r\nf7n9E0hX8qk,201201,DiszpKrYNg8,,,5\r\nf7n9E0hX8qk,201202,DiszpKrYNg8\r\n');
    expect(set.dataValues).toEqual([
      { dataElement: 'f7n9E0hX8qk', period: '201201', orgUnit: 'DiszpKrYNg8', value: '5' },
      { dataElement: 'f7n9E0hX8qk', period: '201202', orgUnit: 'DiszpKrYNg8' },
    ]);
    expect(parseDhis2Csv('de,pe,ou,coc,acoc,value\n').dataValues).toEqual([]);
  });

  it('names the line of a malformed row', () => {
    const bad = (text: string, message: RegExp) => {
      try {
        parseDhis2Csv(text);
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(AppError);
        expect((err as AppError).code).toBe('IMPORT_INVALID');
        expect((err as AppError).message).toMatch(message);
      }
    };
    bad('de,pe,ou,coc,acoc,value\nA,201201,B,,,1\nA,,B,,,2\n', /^CSV line 3: period is missing/);
    bad('h\nA,201201,B,,,1,,,,,,extra\n', /^CSV line 2: 12 columns/);
    bad('h\nA,201201,B,,,1,,,,maybe\n', /^CSV line 2: followup must be true or false/);
    bad('h\nA,201201,B,,,"1\n', /^CSV line 2, field 6 \(character 14 of the line\): a quoted field is never closed/);
  });
});
