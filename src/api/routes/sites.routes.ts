import {
  PopulationGroupInputSchema,
  PopulationGroupSchema,
  SiteDetailSchema,
  SiteInputSchema,
  SitePopulationsInputSchema,
  SiteQuerySchema,
  SiteSchema,
  SiteServicesInputSchema,
  TaxonomyCategorySchema,
  TaxonomyOptionSchema,
} from '../../domain/registry.js';
import { featureCollectionSchema, PointSchema } from '../../domain/geojson.js';
import { pageSchema } from '../../domain/place.js';
import { z } from '../../domain/validation.js';
import { crudRoutes } from '../crud.js';
import { defineRoute, sendText } from '../route.js';

const IdParams = z.object({ id: z.string().min(1).max(64) }).strict();
const json = (schema: z.ZodType) => ({ 'application/json': schema });
const CodeNameList = z.array(z.object({ code: z.string(), name: z.string() }));

export const siteRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/sites',
    operationId: 'listSites',
    summary: 'Sites (spaces of vulnerability), as JSON, GeoJSON, HXL-tagged CSV or CSV',
    tags: ['sites'],
    query: SiteQuerySchema,
    responses: {
      200: {
        description: 'A page of sites; format=geojson gives points, format=hxl HXL-tagged CSV, format=csv the import format',
        content: {
          'application/json': pageSchema(SiteSchema, 'SitePage'),
          'application/geo+json': featureCollectionSchema(
            'Site',
            PointSchema,
            SiteSchema.extend({ gapCount: z.number(), totals: SiteDetailSchema.shape.totals }).meta({ id: 'SiteFeatureProperties' }),
          ),
          'text/csv': z.string(),
        },
      },
    },
    async handler({ query: { format, ...q }, services, actor, reply }) {
      if (format === 'geojson') {
        reply.type('application/geo+json');
        return services.sites.featureCollection(actor, q);
      }
      if (format === 'hxl' || format === 'csv') return sendText(reply, await services.sites.exportText(actor, q, format));
      return services.sites.list(actor, q);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/population-totals',
    operationId: 'getPopulationTotals',
    summary: 'Size estimates summed over the sites of an area (country, type, box): lows, highs and midpoint, per group',
    tags: ['populations'],
    query: SiteQuerySchema.omit({ format: true, limit: true, offset: true }),
    responses: {
      200: {
        description: 'Totals per population group and overall',
        content: json(
          z.object({
            sites: z.number(),
            groups: z.array(
              z.object({ group: z.string(), groupName: z.string(), sizeLow: z.number(), sizeHigh: z.number(), sizeEstimate: z.number(), sites: z.number() }),
            ),
            total: z.object({ sizeLow: z.number(), sizeHigh: z.number(), sizeEstimate: z.number() }),
          }),
        ),
      },
    },
    async handler({ query, services, actor }) {
      return services.sites.populationTotals(actor, { ...query, limit: 1, offset: 0 });
    },
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/sites/:id/populations',
    operationId: 'setSitePopulations',
    summary: 'Replace the populations present at a site, with low–high size estimates',
    tags: ['sites'],
    params: IdParams,
    body: SitePopulationsInputSchema,
    responses: { 200: { description: 'The site profile', content: json(SiteDetailSchema) } },
    async handler({ params, body, services, actor }) {
      return services.sites.setPopulations(actor, params.id, body);
    },
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/sites/:id/services',
    operationId: 'setSiteServices',
    summary: 'Replace the services found at or near a site',
    tags: ['sites'],
    params: IdParams,
    body: SiteServicesInputSchema,
    responses: { 200: { description: 'The site profile', content: json(SiteDetailSchema) } },
    async handler({ params, body, services, actor }) {
      return services.sites.setServices(actor, params.id, body);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/site-types',
    operationId: 'listSiteTypes',
    summary: 'Site types (spaces of vulnerability)',
    tags: ['sites'],
    responses: { 200: { description: 'Codes and names', content: json(CodeNameList) } },
    async handler({ services, actor }) {
      return services.taxonomy.siteTypes(actor);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/service-types',
    operationId: 'listServiceTypes',
    summary: 'HIV service types',
    tags: ['sites'],
    responses: { 200: { description: 'Codes and names', content: json(CodeNameList) } },
    async handler({ services, actor }) {
      return services.taxonomy.serviceTypes(actor);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/taxonomy',
    operationId: 'getTaxonomy',
    summary: 'The population taxonomy: categories and their options',
    tags: ['populations'],
    responses: { 200: { description: 'The taxonomy', content: json(z.object({ categories: z.array(TaxonomyCategorySchema) })) } },
    async handler({ services, actor }) {
      return services.taxonomy.taxonomy(actor);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/taxonomy/:category/options',
    operationId: 'addTaxonomyOption',
    summary: 'Add an option to a taxonomy category',
    tags: ['populations'],
    params: z.object({ category: z.string().min(1).max(64) }).strict(),
    body: TaxonomyOptionSchema,
    responses: { 201: { description: 'The taxonomy', content: json(z.object({ categories: z.array(TaxonomyCategorySchema) })) } },
    async handler({ params, body, services, actor, reply }) {
      reply.code(201);
      return services.taxonomy.addOption(actor, params.category, body);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/population-groups',
    operationId: 'listPopulationGroups',
    summary: 'Population groups (cells of the taxonomy) and the services each needs',
    tags: ['populations'],
    responses: { 200: { description: 'Every group', content: json(pageSchema(PopulationGroupSchema, 'PopulationGroupPage')) } },
    async handler({ services, actor }) {
      return services.taxonomy.groups(actor);
    },
  }),
  ...crudRoutes({
    path: '/api/sites',
    tag: 'sites',
    noun: 'site',
    input: SiteInputSchema,
    output: SiteSchema,
    detail: SiteDetailSchema,
    create: (s, actor, body) => s.sites.create(actor, body),
    get: (s, actor, id) => s.sites.get(actor, id),
    update: (s, actor, id, body) => s.sites.update(actor, id, body),
    remove: (s, actor, id) => s.sites.delete(actor, id),
    removeNote: 'refused while a corridor or flow names it',
  }),
  ...crudRoutes({
    path: '/api/population-groups',
    tag: 'populations',
    noun: 'population group',
    input: PopulationGroupInputSchema,
    output: PopulationGroupSchema,
    create: (s, actor, body) => s.taxonomy.createGroup(actor, body),
    get: (s, actor, id) => s.taxonomy.group(actor, id),
    update: (s, actor, id, body) => s.taxonomy.updateGroup(actor, id, body),
    remove: (s, actor, id) => s.taxonomy.deleteGroup(actor, id),
    removeNote: 'refused while a site counts it',
  }),
];
