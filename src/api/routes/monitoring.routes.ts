import {
  CategoryComboOutSchema,
  DataElementOutSchema,
  DataSetDetailSchema,
  DataSetSummarySchema,
  IndicatorOutSchema,
  ValidationRuleOutSchema,
  DataValueOutSchema,
  DataValueQuerySchema,
  DataValueSetSchema,
  ImportOptionsSchema,
  MetadataImportOptionsSchema,
  ImportSummarySchema,
  MetadataReportSchema,
  MetadataSchema,
} from '../../domain/monitoring.js';
import { z } from '../../domain/validation.js';
import { formatDhis2Csv, parseDhis2Csv } from '../../monitoring/interop/dhis2-csv.js';
import { formatDhis2Xml, parseDhis2Xml } from '../../monitoring/interop/dhis2-xml.js';
import { parseAdx } from '../../monitoring/interop/adx.js';
import { defineRoute } from '../route.js';

const DataValueSetOutSchema = z
  .object({ dataSet: z.string().optional(), period: z.string().optional(), orgUnit: z.string().optional(), dataValues: z.array(DataValueOutSchema) })
  .meta({ id: 'DataValueSetOut' });

const ExportQuerySchema = DataValueQuerySchema.extend({
  format: z.enum(['json', 'csv', 'xml', 'adx']).optional().meta({ description: 'json (default), csv, xml (DXF2) or adx (needs dataSet); Accept: text/csv, application/xml or application/adx+xml also choose' }),
});

const IdParams = z.object({ id: z.string().min(1).max(230) }).strict();
const json = (schema: z.ZodType) => ({ 'application/json': schema });

/** The metadata read routes (permission registry:read): lists in DHIS2's `{<type>: […]}` envelope. */
const metadataReadRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/metadata/dataSets',
    operationId: 'listDataSets',
    summary: 'Data sets: period type, attribute combo, how many elements and assigned places (within your scope)',
    tags: ['monitoring'],
    responses: { 200: { description: 'The data sets', content: json(z.object({ dataSets: z.array(DataSetSummarySchema) }).meta({ id: 'DataSetList' })) } },
    async handler({ services, actor }) {
      return services.metadata.listDataSets(actor);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/metadata/dataSets/:id',
    operationId: 'getDataSet',
    summary: "A data set (by id or code): its elements, the structure of their category combos and of its attribute combo, and its places within your scope",
    tags: ['monitoring'],
    params: IdParams,
    responses: { 200: { description: 'The data set', content: json(DataSetDetailSchema) }, 404: { description: 'No data set has this id or code' } },
    async handler({ params, services, actor }) {
      return services.metadata.dataSet(actor, params.id);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/metadata/dataElements',
    operationId: 'listDataElements',
    summary: 'Data elements with their value type, aggregation type and category combo',
    tags: ['monitoring'],
    responses: { 200: { description: 'The data elements', content: json(z.object({ dataElements: z.array(DataElementOutSchema) }).meta({ id: 'DataElementList' })) } },
    async handler({ services, actor }) {
      return services.metadata.listDataElements(actor);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/metadata/categoryCombos',
    operationId: 'listCategoryCombos',
    summary: 'Category combos with their categories and options (in order) and how many category option combos each has',
    tags: ['monitoring'],
    responses: { 200: { description: 'The category combos', content: json(z.object({ categoryCombos: z.array(CategoryComboOutSchema) }).meta({ id: 'CategoryComboList' })) } },
    async handler({ services, actor }) {
      return services.metadata.listCategoryCombos(actor);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/metadata/indicators',
    operationId: 'listIndicators',
    summary: 'Indicators: numerator and denominator expressions, factor, description and source',
    tags: ['monitoring'],
    responses: { 200: { description: 'The indicators', content: json(z.object({ indicators: z.array(IndicatorOutSchema) }).meta({ id: 'IndicatorList' })) } },
    async handler({ services, actor }) {
      return services.metadata.listIndicators(actor);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/metadata/validationRules',
    operationId: 'listValidationRules',
    summary: 'Validation rules (DHIS2 shape: left side, operator, right side, importance, period type)',
    tags: ['monitoring'],
    responses: { 200: { description: 'The validation rules', content: json(z.object({ validationRules: z.array(ValidationRuleOutSchema) }).meta({ id: 'ValidationRuleList' })) } },
    async handler({ services, actor }) {
      return services.metadata.listValidationRules(actor);
    },
  }),
];

/** The export format: ?format first, then the Accept header, else JSON. */
function exportFormat(format: 'json' | 'csv' | 'xml' | 'adx' | undefined, accept: string | undefined): 'json' | 'csv' | 'xml' | 'adx' {
  if (format) return format;
  const a = (accept ?? '').toLowerCase();
  if (a.includes('text/csv')) return 'csv';
  if (a.includes('application/adx+xml')) return 'adx';
  if (a.includes('application/xml') || a.includes('text/xml')) return 'xml';
  return 'json';
}

/** DHIS2-compatible monitoring endpoints: metadata and dataValueSets (JSON, CSV, DXF2 XML). */
export const monitoringRoutes = [
  ...metadataReadRoutes,
  defineRoute({
    method: 'POST',
    url: '/api/metadata',
    operationId: 'importMetadata',
    summary: 'Import DHIS2 metadata JSON (organisation units, categories, data elements, data sets, indicators), atomically',
    tags: ['monitoring'],
    query: MetadataImportOptionsSchema,
    body: MetadataSchema,
    responses: { 200: { description: 'What was created and updated (with importMode=VALIDATE: what would be; nothing is stored)', content: { 'application/json': MetadataReportSchema } } },
    async handler({ query, body, services, actor }) {
      return services.metadata.import(actor, body, query);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/dataValueSets',
    operationId: 'importDataValueSet',
    summary: 'Import a DHIS2 dataValueSet (JSON, CSV, DXF2 XML or ADX by content type); answers a DHIS2 import summary',
    tags: ['monitoring'],
    query: ImportOptionsSchema,
    body: DataValueSetSchema,
    // ADX needs the metadata to map its category attributes, so the handler reads it from the raw body.
    bodyFormats: { 'text/csv': parseDhis2Csv, 'application/xml': parseDhis2Xml, 'text/xml': parseDhis2Xml, 'application/adx+xml': () => ({ dataValues: [] }) },
    responses: { 200: { description: 'The import summary (status ERROR: nothing stored under atomicMode=ALL)', content: { 'application/json': ImportSummarySchema } } },
    async handler({ query, body, services, actor, request }) {
      if (String(request.headers['content-type']).toLowerCase().startsWith('application/adx+xml')) {
        return services.dataValues.importAdx(actor, parseAdx(request.body as string), query);
      }
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
        content: { 'application/json': DataValueSetOutSchema, 'text/csv': z.string(), 'application/xml': z.string(), 'application/adx+xml': z.string() },
      },
    },
    async handler({ query: { format, ...q }, services, actor, request, reply }) {
      const chosen = exportFormat(format, request.headers.accept);
      if (chosen === 'adx') {
        const adx = await services.dataValues.exportAdx(actor, q);
        reply.type('application/adx+xml; charset=utf-8').header('Content-Disposition', 'attachment; filename="dataValueSet.adx.xml"');
        return adx;
      }
      const set = await services.dataValues.export(actor, q);
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
