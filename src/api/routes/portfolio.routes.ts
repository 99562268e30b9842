import { pageSchema } from '../../domain/place.js';
import { PolicyInputSchema, PolicySchema, ProjectInputSchema, ProjectSchema, RESTRICTION_TYPES } from '../../domain/registry.js';
import { z } from '../../domain/validation.js';
import { actorOf } from '../actor.js';
import { defineRoute } from '../route.js';

const IdParams = z.object({ id: z.string().min(1).max(64) }).strict();
const json = (schema: z.ZodType) => ({ 'application/json': schema });
const iso3 = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO3 code such as KEN');
const paging = {
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
  offset: z.coerce.number().int().min(0).default(0),
};

export const portfolioRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/projects',
    operationId: 'listProjects',
    summary: 'Projects of the portfolio',
    tags: ['projects'],
    query: z.object({ country: iso3.optional(), status: z.enum(['planned', 'active', 'closed']).optional(), ...paging }).strict(),
    responses: { 200: { description: 'A page of projects', content: json(pageSchema(ProjectSchema, 'ProjectPage')) } },
    async handler({ query, services }) {
      return services.portfolio.projects(query);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/projects',
    operationId: 'createProject',
    summary: 'Add a project',
    tags: ['projects'],
    body: ProjectInputSchema,
    responses: { 201: { description: 'The project', content: json(ProjectSchema) } },
    async handler({ body, services, request, reply }) {
      reply.code(201);
      return services.portfolio.createProject(body, actorOf(request));
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/projects/:id',
    operationId: 'getProject',
    summary: 'One project',
    tags: ['projects'],
    params: IdParams,
    responses: { 200: { description: 'The project', content: json(ProjectSchema) } },
    async handler({ params, services }) {
      return services.portfolio.project(params.id);
    },
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/projects/:id',
    operationId: 'updateProject',
    summary: 'Replace a project',
    tags: ['projects'],
    params: IdParams,
    body: ProjectInputSchema,
    responses: { 200: { description: 'The project', content: json(ProjectSchema) } },
    async handler({ params, body, services, request }) {
      return services.portfolio.updateProject(params.id, body, actorOf(request));
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/projects/:id',
    operationId: 'deleteProject',
    summary: 'Delete a project',
    tags: ['projects'],
    params: IdParams,
    responses: { 204: { description: 'Deleted' } },
    async handler({ params, services, request, reply }) {
      await services.portfolio.deleteProject(params.id, actorOf(request));
      return reply.code(204).send();
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/policies',
    operationId: 'listPolicies',
    summary: 'HIV-related travel restrictions by country, each with its citation',
    tags: ['policies'],
    query: z
      .object({ country: iso3.optional(), restriction: z.enum(RESTRICTION_TYPES).optional(), status: z.enum(['in_force', 'repealed', 'none', 'unclear']).optional(), ...paging })
      .strict(),
    responses: { 200: { description: 'A page of policies', content: json(pageSchema(PolicySchema, 'PolicyPage')) } },
    async handler({ query, services }) {
      return services.portfolio.policies(query);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/policies',
    operationId: 'createPolicy',
    summary: "Record a country's policy on one type of restriction",
    tags: ['policies'],
    body: PolicyInputSchema,
    responses: { 201: { description: 'The policy', content: json(PolicySchema) } },
    async handler({ body, services, request, reply }) {
      reply.code(201);
      return services.portfolio.createPolicy(body, actorOf(request));
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/policies/status-by-country',
    operationId: 'getPolicyStatusByCountry',
    summary: "Each country's overall restriction status, for maps",
    tags: ['policies'],
    responses: {
      200: {
        description: 'restrictions: any in force; unclear: any unclear and none in force; none: recorded as none',
        content: json(z.object({ items: z.array(z.object({ country: z.string(), countryName: z.string(), status: z.enum(['restrictions', 'none', 'unclear']), restrictions: z.array(z.string()) })) })),
      },
    },
    async handler({ services }) {
      return services.portfolio.statusByCountry();
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/policies/reference-counts',
    operationId: 'getPolicyReferenceCounts',
    summary: 'Published counts of countries with HIV-related travel restrictions (2008–2021), with sources',
    tags: ['policies'],
    responses: {
      200: {
        description: 'The bundled published counts',
        content: json(z.object({ items: z.array(z.object({ asOf: z.number(), source: z.string(), metric: z.string(), count: z.number(), confidence: z.string(), reference: z.string() })) })),
      },
    },
    async handler({ services }) {
      return services.portfolio.referenceCounts();
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/policies/:id',
    operationId: 'getPolicy',
    summary: 'One policy',
    tags: ['policies'],
    params: IdParams,
    responses: { 200: { description: 'The policy', content: json(PolicySchema) } },
    async handler({ params, services }) {
      return services.portfolio.policy(params.id);
    },
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/policies/:id',
    operationId: 'updatePolicy',
    summary: 'Replace a policy',
    tags: ['policies'],
    params: IdParams,
    body: PolicyInputSchema,
    responses: { 200: { description: 'The policy', content: json(PolicySchema) } },
    async handler({ params, body, services, request }) {
      return services.portfolio.updatePolicy(params.id, body, actorOf(request));
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/policies/:id',
    operationId: 'deletePolicy',
    summary: 'Delete a policy',
    tags: ['policies'],
    params: IdParams,
    responses: { 204: { description: 'Deleted' } },
    async handler({ params, services, request, reply }) {
      await services.portfolio.deletePolicy(params.id, actorOf(request));
      return reply.code(204).send();
    },
  }),
];
