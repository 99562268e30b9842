import {
  PopulationGroupInputSchema,
  PopulationGroupSchema,
  SiteDetailSchema,
  SiteInputSchema,
  SitePopulationInputSchema,
  SiteQuerySchema,
  SiteSchema,
  SiteServiceInputSchema,
  TaxonomyCategorySchema,
  TaxonomyOptionSchema,
} from '../../domain/registry.js';
import { pageSchema } from '../../domain/place.js';
import { z } from '../../domain/validation.js';
import { actorOf } from '../actor.js';
import { defineRoute } from '../route.js';

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
          'application/geo+json': z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) }),
          'text/csv': z.string(),
        },
      },
    },
    async handler({ query: { format, ...q }, services, reply }) {
      if (format === 'geojson') {
        reply.type('application/geo+json');
        return services.sites.featureCollection(q);
      }
      if (format === 'hxl' || format === 'csv') {
        reply.type('text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="sites${format === 'hxl' ? '.hxl' : ''}.csv"`);
        return format === 'hxl' ? services.sites.hxl(q) : services.sites.csv(q);
      }
      return services.sites.list(q);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/sites',
    operationId: 'createSite',
    summary: 'Register a site',
    tags: ['sites'],
    body: SiteInputSchema,
    responses: { 201: { description: 'The new site', content: json(SiteSchema) } },
    async handler({ body, services, request, reply }) {
      reply.code(201);
      return services.sites.create(body, actorOf(request));
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/sites/:id',
    operationId: 'getSite',
    summary: 'A site with its populations (low–high estimates), services and gaps',
    tags: ['sites'],
    params: IdParams,
    responses: { 200: { description: 'The site profile', content: json(SiteDetailSchema) } },
    async handler({ params, services }) {
      return services.sites.get(params.id);
    },
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/sites/:id',
    operationId: 'updateSite',
    summary: "Replace a site's fields",
    tags: ['sites'],
    params: IdParams,
    body: SiteInputSchema,
    responses: { 200: { description: 'The site', content: json(SiteSchema) } },
    async handler({ params, body, services, request }) {
      return services.sites.update(params.id, body, actorOf(request));
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/sites/:id',
    operationId: 'deleteSite',
    summary: 'Delete a site that no corridor or flow names',
    tags: ['sites'],
    params: IdParams,
    responses: { 204: { description: 'Deleted' } },
    async handler({ params, services, request, reply }) {
      await services.sites.delete(params.id, actorOf(request));
      return reply.code(204).send();
    },
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/sites/:id/populations',
    operationId: 'setSitePopulations',
    summary: 'Replace the populations present at a site, with low–high size estimates',
    tags: ['sites'],
    params: IdParams,
    body: z.array(SitePopulationInputSchema).max(500),
    responses: { 200: { description: 'The site profile', content: json(SiteDetailSchema) } },
    async handler({ params, body, services, request }) {
      return services.sites.setPopulations(params.id, body, actorOf(request));
    },
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/sites/:id/services',
    operationId: 'setSiteServices',
    summary: 'Replace the services found at or near a site',
    tags: ['sites'],
    params: IdParams,
    body: z.array(SiteServiceInputSchema).max(100),
    responses: { 200: { description: 'The site profile', content: json(SiteDetailSchema) } },
    async handler({ params, body, services, request }) {
      return services.sites.setServices(params.id, body, actorOf(request));
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/site-types',
    operationId: 'listSiteTypes',
    summary: 'Site types (spaces of vulnerability)',
    tags: ['sites'],
    responses: { 200: { description: 'Codes and names', content: json(CodeNameList) } },
    async handler({ services }) {
      return services.taxonomy.siteTypes();
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/service-types',
    operationId: 'listServiceTypes',
    summary: 'HIV service types',
    tags: ['sites'],
    responses: { 200: { description: 'Codes and names', content: json(CodeNameList) } },
    async handler({ services }) {
      return services.taxonomy.serviceTypes();
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/taxonomy',
    operationId: 'getTaxonomy',
    summary: 'The population taxonomy: categories and their options',
    tags: ['populations'],
    responses: { 200: { description: 'The taxonomy', content: json(z.object({ categories: z.array(TaxonomyCategorySchema) })) } },
    async handler({ services }) {
      return services.taxonomy.taxonomy();
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
    async handler({ params, body, services, request, reply }) {
      reply.code(201);
      return services.taxonomy.addOption(params.category, body, actorOf(request));
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/population-groups',
    operationId: 'listPopulationGroups',
    summary: 'Population groups (cells of the taxonomy) and the services each needs',
    tags: ['populations'],
    responses: { 200: { description: 'Every group', content: json(pageSchema(PopulationGroupSchema, 'PopulationGroupPage')) } },
    async handler({ services }) {
      return services.taxonomy.groups();
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/population-groups',
    operationId: 'createPopulationGroup',
    summary: 'Define a population group',
    tags: ['populations'],
    body: PopulationGroupInputSchema,
    responses: { 201: { description: 'The group', content: json(PopulationGroupSchema) } },
    async handler({ body, services, request, reply }) {
      reply.code(201);
      return services.taxonomy.createGroup(body, actorOf(request));
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/population-groups/:id',
    operationId: 'getPopulationGroup',
    summary: 'One population group',
    tags: ['populations'],
    params: IdParams,
    responses: { 200: { description: 'The group', content: json(PopulationGroupSchema) } },
    async handler({ params, services }) {
      return services.taxonomy.group(params.id);
    },
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/population-groups/:id',
    operationId: 'updatePopulationGroup',
    summary: 'Replace a population group',
    tags: ['populations'],
    params: IdParams,
    body: PopulationGroupInputSchema,
    responses: { 200: { description: 'The group', content: json(PopulationGroupSchema) } },
    async handler({ params, body, services, request }) {
      return services.taxonomy.updateGroup(params.id, body, actorOf(request));
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/population-groups/:id',
    operationId: 'deletePopulationGroup',
    summary: 'Delete a population group counted at no site',
    tags: ['populations'],
    params: IdParams,
    responses: { 204: { description: 'Deleted' } },
    async handler({ params, services, request, reply }) {
      await services.taxonomy.deleteGroup(params.id, actorOf(request));
      return reply.code(204).send();
    },
  }),
];
