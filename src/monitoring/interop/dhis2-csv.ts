import type { DataValueOut, DataValueSetInput } from '../../domain/monitoring.js';
import { AppError } from '../../domain/errors.js';
import { parseCsv, toCsv } from '../../lib/csv.js';
import { clip } from '../../lib/text.js';

/** DHIS2's dataValueSets CSV columns, in order (the first row is a header and is skipped). */
export const DHIS2_CSV_HEADER = [
  'dataelement',
  'period',
  'orgunit',
  'categoryoptioncombo',
  'attributeoptioncombo',
  'value',
  'storedby',
  'lastupdated',
  'comment',
  'followup',
  'deleted',
];

function invalid(line: number, message: string): AppError {
  return new AppError('IMPORT_INVALID', `CSV line ${line}: ${message}`, [{ line, message }]);
}

function flag(line: number, column: string, raw: string | undefined): boolean | undefined {
  const s = raw?.trim().toLowerCase();
  if (s === undefined || s === '') return undefined;
  if (s === 'true') return true;
  if (s === 'false') return false;
  throw invalid(line, `${column} must be true or false, not "${clip(raw ?? '')}"`);
}

/**
 * Parses DHIS2 dataValueSets CSV into the JSON import shape. Columns are positional, so short
 * headers (de,pe,ou,coc,acoc,value) import the same way; empty optional fields mean "absent".
 */
export function parseDhis2Csv(text: string): DataValueSetInput {
  const records = parseCsv(text).slice(1);
  const dataValues = records.map(({ line, fields }) => {
    if (fields.length > DHIS2_CSV_HEADER.length) {
      throw invalid(line, `${fields.length} columns, at most ${DHIS2_CSV_HEADER.length} expected (${DHIS2_CSV_HEADER.join(',')})`);
    }
    const [de, pe, ou, coc, aoc, value, storedBy, lastUpdated, comment, followup, deleted] = fields.map((f) => f.trim());
    for (const [name, v] of [
      ['dataelement', de],
      ['period', pe],
      ['orgunit', ou],
    ] as const) {
      if (!v) throw invalid(line, `${name} is missing`);
    }
    const opt = (s: string | undefined) => (s ? s : undefined);
    return {
      dataElement: de!,
      period: pe!,
      orgUnit: ou!,
      ...(opt(coc) ? { categoryOptionCombo: coc } : {}),
      ...(opt(aoc) ? { attributeOptionCombo: aoc } : {}),
      ...(value !== undefined ? { value: fields[5] } : {}),
      ...(opt(storedBy) ? { storedBy } : {}),
      ...(opt(lastUpdated) ? { lastUpdated } : {}),
      ...(comment !== undefined && fields[8] !== '' ? { comment: fields[8] } : {}),
      ...(flag(line, 'followup', followup) !== undefined ? { followup: flag(line, 'followup', followup) } : {}),
      ...(flag(line, 'deleted', deleted) !== undefined ? { deleted: flag(line, 'deleted', deleted) } : {}),
    };
  });
  return { dataValues };
}

/** Formats exported data values as DHIS2 dataValueSets CSV, with the full header. */
export function formatDhis2Csv(values: readonly DataValueOut[]): string {
  return toCsv(
    DHIS2_CSV_HEADER,
    values.map((v) => [
      v.dataElement,
      v.period,
      v.orgUnit,
      v.categoryOptionCombo,
      v.attributeOptionCombo,
      v.value,
      v.storedBy,
      v.lastUpdated,
      v.comment,
      v.followup ? 'true' : 'false',
      v.deleted ? 'true' : '',
    ]),
  );
}
