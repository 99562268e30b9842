import { pageSchema } from '../../domain/place.js';
import { PolicyInputSchema, PolicySchema, ProjectInputSchema, ProjectSchema, RESTRICTION_TYPES } from '../../domain/registry.js';
import { z } from '../../domain/validation.js';
import { crudRoutes } from '../crud.js';
import { defineRoute } from '../route.js';

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
    async handler({ query, services, actor }) {
      return services.portfolio.projects(actor, query);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/policies',
    operationId: 'listPolicies',
    summary: 'HIV-related travel restrictions by country, each with its citation',
    tags: ['policies'],
    query: z
      .object({
        country: iso3.optional(),
        restriction: z.enum(RESTRICTION_TYPES).optional(),
        status: z.enum(['in_force', 'repealed', 'none', 'unclear']).optional(),
        ...paging,
      })
      .strict(),
    responses: { 200: { description: 'A page of policies', content: json(pageSchema(PolicySchema, 'PolicyPage')) } },
    async handler({ query, services, actor }) {
      return services.portfolio.policies(actor, query);
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
        content: json(
          z.object({
            items: z.array(
              z.object({
                country: z.string(),
                countryName: z.string(),
                status: z.enum(['restrictions', 'none', 'unclear']),
                restrictions: z.array(z.string()),
              }),
            ),
          }),
        ),
      },
    },
    async handler({ services, actor }) {
      return services.portfolio.statusByCountry(actor);
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
        content: json(
          z.object({
            items: z.array(
              z.object({
                asOf: z.string().describe('Year or date as published, e.g. 2019, 2021-10, c.2018'),
                source: z.string(),
                metric: z.string(),
                count: z.number(),
                confidence: z.string(),
                reference: z.string(),
              }),
            ),
          }),
        ),
      },
    },
    async handler({ services, actor }) {
      return services.portfolio.referenceCounts(actor);
    },
  }),
  ...crudRoutes({
    path: '/api/projects',
    tag: 'projects',
    noun: 'project',
    input: ProjectInputSchema,
    output: ProjectSchema,
    create: (s, actor, body) => s.portfolio.createProject(actor, body),
    get: (s, actor, id) => s.portfolio.project(actor, id),
    update: (s, actor, id, body) => s.portfolio.updateProject(actor, id, body),
    remove: (s, actor, id) => s.portfolio.deleteProject(actor, id),
  }),
  ...crudRoutes({
    path: '/api/policies',
    tag: 'policies',
    noun: 'policy',
    input: PolicyInputSchema,
    output: PolicySchema,
    create: (s, actor, body) => s.portfolio.createPolicy(actor, body),
    get: (s, actor, id) => s.portfolio.policy(actor, id),
    update: (s, actor, id, body) => s.portfolio.updatePolicy(actor, id, body),
    remove: (s, actor, id) => s.portfolio.deletePolicy(actor, id),
  }),
];
