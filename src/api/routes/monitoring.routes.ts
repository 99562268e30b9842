import {
  DataValueOutSchema,
  DataValueQuerySchema,
  DataValueSetSchema,
  ImportOptionsSchema,
  ImportSummarySchema,
  MetadataReportSchema,
  MetadataSchema,
} from '../../domain/monitoring.js';
import { z } from '../../domain/validation.js';
import { formatDhis2Csv, parseDhis2Csv } from '../../monitoring/interop/dhis2-csv.js';
import { formatDhis2Xml, parseDhis2Xml } from '../../monitoring/interop/dhis2-xml.js';
import { defineRoute } from '../route.js';

const DataValueSetOutSchema = z
  .object({ dataSet: z.string().optional(), period: z.string().optional(), orgUnit: z.string().optional(), dataValues: z.array(DataValueOutSchema) })
  .meta({ id: 'DataValueSetOut' });

const ExportQuerySchema = DataValueQuerySchema.extend({
  format: z.enum(['json', 'csv', 'xml']).optional().meta({ description: 'json (default), csv or xml (DXF2); Accept: text/csv or application/xml also choose' }),
});

/** The export format: ?format first, then the Accept header, else JSON. */
function exportFormat(format: 'json' | 'csv' | 'xml' | undefined, accept: string | undefined): 'json' | 'csv' | 'xml' {
  if (format) return format;
  const a = (accept ?? '').toLowerCase();
  if (a.includes('text/csv')) return 'csv';
  if (a.includes('application/xml') || a.includes('text/xml')) return 'xml';
  return 'json';
}

/** DHIS2-compatible monitoring endpoints: metadata and dataValueSets (JSON, CSV, DXF2 XML). */
export const monitoringRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/metadata',
    operationId: 'importMetadata',
    summary: 'Import DHIS2 metadata JSON (organisation units, categories, data elements, data sets, indicators), atomically',
    tags: ['monitoring'],
    body: MetadataSchema,
    responses: { 200: { description: 'What was created and updated', content: { 'application/json': MetadataReportSchema } } },
    async handler({ body, services, actor }) {
      return services.metadata.import(actor, body);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/dataValueSets',
    operationId: 'importDataValueSet',
    summary: 'Import a DHIS2 dataValueSet (JSON, CSV or DXF2 XML by content type); answers a DHIS2 import summary',
    tags: ['monitoring'],
    query: ImportOptionsSchema,
    body: DataValueSetSchema,
    bodyFormats: { 'text/csv': parseDhis2Csv, 'application/xml': parseDhis2Xml, 'text/xml': parseDhis2Xml },
    responses: { 200: { description: 'The import summary (status ERROR: nothing stored under atomicMode=ALL)', content: { 'application/json': ImportSummarySchema } } },
    async handler({ query, body, services, actor }) {
      return services.dataValues.import(actor, body, query);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/dataValueSets',
    operationId: 'exportDataValueSet',
    summary: 'Export data values (within your scope) as a DHIS2 dataValueSet (JSON, CSV or DXF2 XML)',
    tags: ['monitoring'],
    query: ExportQuerySchema,
    responses: {
      200: {
        description: 'The data values; format=csv gives DHIS2 CSV, format=xml a DXF2 dataValueSet',
        content: { 'application/json': DataValueSetOutSchema, 'text/csv': z.string(), 'application/xml': z.string() },
      },
    },
    async handler({ query: { format, ...q }, services, actor, request, reply }) {
      const set = await services.dataValues.export(actor, q);
      const chosen = exportFormat(format, request.headers.accept);
      if (chosen === 'csv') {
        reply.type('text/csv; charset=utf-8').header('Content-Disposition', 'attachment; filename="dataValueSet.csv"');
        return formatDhis2Csv(set.dataValues);
      }
      if (chosen === 'xml') {
        reply.type('application/xml; charset=utf-8').header('Content-Disposition', 'attachment; filename="dataValueSet.xml"');
        return formatDhis2Xml(set);
      }
      return set;
    },
  }),
];
