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
import { defineRoute } from '../route.js';

const DataValueSetOutSchema = z
  .object({ dataSet: z.string().optional(), period: z.string().optional(), orgUnit: z.string().optional(), dataValues: z.array(DataValueOutSchema) })
  .meta({ id: 'DataValueSetOut' });

/** DHIS2-compatible monitoring endpoints: metadata and dataValueSets (JSON). */
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
    summary: 'Import a DHIS2 dataValueSet (JSON); answers a DHIS2 import summary',
    tags: ['monitoring'],
    query: ImportOptionsSchema,
    body: DataValueSetSchema,
    responses: { 200: { description: 'The import summary (status ERROR: nothing stored under atomicMode=ALL)', content: { 'application/json': ImportSummarySchema } } },
    async handler({ query, body, services, actor }) {
      return services.dataValues.import(actor, body, query);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/dataValueSets',
    operationId: 'exportDataValueSet',
    summary: 'Export data values (within your scope) as a DHIS2 dataValueSet (JSON)',
    tags: ['monitoring'],
    query: DataValueQuerySchema,
    responses: { 200: { description: 'The data values', content: { 'application/json': DataValueSetOutSchema } } },
    async handler({ query, services, actor }) {
      return services.dataValues.export(actor, query);
    },
  }),
];
