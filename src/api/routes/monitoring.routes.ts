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
import { DATA_VALUE_FORMATS, DATA_VALUE_MEDIA_TYPES, type DataValueFormat } from '../../domain/monitoring.js';
import { defineRoute, sendText } from '../route.js';

const DataValueSetOutSchema = z
  .object({ dataSet: z.string().optional(), period: z.string().optional(), orgUnit: z.string().optional(), dataValues: z.array(DataValueOutSchema) })
  .meta({ id: 'DataValueSetOut' });

const ExportQuerySchema = DataValueQuerySchema.extend({
  format: z
    .enum(DATA_VALUE_FORMATS)
    .optional()
    .meta({ description: 'json (default), csv, xml (DXF2) or adx (needs dataSet); Accept: text/csv, application/xml or application/adx+xml also choose' }),
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
    summary: 'A data set (by id or code): its elements, the structure of their category combos and of its attribute combo, and its places within your scope',
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
    responses: {
      200: { description: 'The data elements', content: json(z.object({ dataElements: z.array(DataElementOutSchema) }).meta({ id: 'DataElementList' })) },
    },
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
    responses: {
      200: {
        description: 'The category combos',
        content: json(z.object({ categoryCombos: z.array(CategoryComboOutSchema) }).meta({ id: 'CategoryComboList' })),
      },
    },
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
    responses: {
      200: {
        description: 'The validation rules',
        content: json(z.object({ validationRules: z.array(ValidationRuleOutSchema) }).meta({ id: 'ValidationRuleList' })),
      },
    },
    async handler({ services, actor }) {
      return services.metadata.listValidationRules(actor);
    },
  }),
];

/** The export format: ?format first, then the Accept header, else JSON. */
function exportFormat(format: DataValueFormat | undefined, accept: string | undefined): DataValueFormat {
  if (format) return format;
  const a = (accept ?? '').toLowerCase();
  if (a.includes('text/csv')) return 'csv';
  if (a.includes('application/adx+xml')) return 'adx';
  if (a.includes('application/xml') || a.includes('text/xml')) return 'xml';
  return 'json';
}

/** The media types POST /api/dataValueSets reads, and the format of each (text/xml is XML too). */
const DATA_VALUE_BODY = {
  formats: { ...Object.fromEntries(DATA_VALUE_FORMATS.map((f) => [DATA_VALUE_MEDIA_TYPES[f], f])), 'text/xml': 'xml' } as Record<string, DataValueFormat>,
  schemas: { 'application/json': DataValueSetSchema },
};

/** DHIS2-compatible monitoring endpoints: metadata and dataValueSets (JSON, CSV, DXF2 XML, ADX). */
export const monitoringRoutes = [
  ...metadataReadRoutes,
  defineRoute({
    method: 'POST',
    url: '/api/metadata',
    operationId: 'importMetadata',
    summary: 'Import DHIS2 metadata JSON (organisation units, categories, data elements, data sets, indicators), atomically',
    tags: ['monitoring'],
    query: MetadataImportOptionsSchema,
    textBody: { formats: { 'application/json': 'json' as const }, schemas: { 'application/json': MetadataSchema } },
    responses: {
      200: {
        description: 'What was created and updated (with importMode=VALIDATE: what would be; nothing is stored)',
        content: { 'application/json': MetadataReportSchema },
      },
    },
    async handler({ query, body, services, actor }) {
      return services.metadata.importText(actor, { ...body, options: query });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/dataValueSets',
    operationId: 'importDataValueSet',
    summary: 'Import a DHIS2 dataValueSet (JSON, CSV, DXF2 XML or ADX by content type); answers a DHIS2 import summary',
    tags: ['monitoring'],
    query: ImportOptionsSchema,
    textBody: DATA_VALUE_BODY,
    responses: {
      200: { description: 'The import summary (status ERROR: nothing stored under atomicMode=ALL)', content: { 'application/json': ImportSummarySchema } },
    },
    async handler({ query, body, services, actor }) {
      return services.dataValues.importText(actor, { ...body, options: query });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/dataValueSets',
    operationId: 'exportDataValueSet',
    summary: 'Export data values (within your scope) as a DHIS2 dataValueSet (JSON, CSV, DXF2 XML or ADX)',
    tags: ['monitoring'],
    query: ExportQuerySchema,
    responses: {
      200: {
        description: 'The data values; format=csv gives DHIS2 CSV, format=xml a DXF2 dataValueSet, format=adx an ADX document',
        content: { 'application/json': DataValueSetOutSchema, 'text/csv': z.string(), 'application/xml': z.string(), 'application/adx+xml': z.string() },
      },
    },
    async handler({ query: { format, ...q }, services, actor, request, reply }) {
      return sendText(reply, await services.dataValues.exportText(actor, q, exportFormat(format, request.headers.accept)));
    },
  }),
];
