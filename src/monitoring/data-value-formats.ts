import type { DataValueFormat, DataValueOut, DataValueSetInput } from '../domain/monitoring.js';
import { parseJson } from '../lib/json.js';
import { formatDhis2Csv, parseDhis2Csv } from './interop/dhis2-csv.js';
import { formatDhis2Xml, parseDhis2Xml } from './interop/dhis2-xml.js';

/** The formats that carry a dataValueSet by UID as it is (ADX names categories: the service maps it with the metadata). */
export type PlainDataValueFormat = Exclude<DataValueFormat, 'adx'>;

/** An exported set, as `DataValueService.export` gives it. */
export interface DataValueSetOut {
  dataSet?: string;
  period?: string;
  orgUnit?: string;
  dataValues: DataValueOut[];
}

/**
 * Reads a JSON, CSV or DXF2 XML dataValueSet. CSV and XML errors name the line, JSON errors the
 * line and column (or the field nested too deep); the content is checked against
 * DataValueSetSchema by `DataValueService.import`, which every way in goes through.
 */
export function readDataValueSet(format: PlainDataValueFormat, text: string): DataValueSetInput {
  switch (format) {
    case 'json':
      return parseJson(text) as DataValueSetInput;
    case 'csv':
      return parseDhis2Csv(text);
    case 'xml':
      return parseDhis2Xml(text);
  }
}

/** Writes exported values as JSON, DHIS2 CSV or a DXF2 XML dataValueSet. */
export function writeDataValueSet(format: PlainDataValueFormat, set: DataValueSetOut): string {
  switch (format) {
    case 'json':
      return JSON.stringify(set);
    case 'csv':
      return formatDhis2Csv(set.dataValues);
    case 'xml':
      return formatDhis2Xml(set);
  }
}

/** What an export answers in each format: its media type and the file name it is saved under. */
export const DATA_VALUE_FILES: Record<DataValueFormat, { contentType: string; filename?: string }> = {
  json: { contentType: 'application/json; charset=utf-8' },
  csv: { contentType: 'text/csv; charset=utf-8', filename: 'dataValueSet.csv' },
  xml: { contentType: 'application/xml; charset=utf-8', filename: 'dataValueSet.xml' },
  adx: { contentType: 'application/adx+xml; charset=utf-8', filename: 'dataValueSet.adx.xml' },
};
