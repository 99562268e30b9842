import { ModelJobSchema, ModelRunRequestSchema } from '../../domain/model.js';
import { z } from '../../domain/validation.js';
import { defineRoute } from '../route.js';

const json = (schema: z.ZodType) => ({ 'application/json': schema });
const JobParams = z.object({ id: z.string().min(1).max(64) }).strict();
const KEPT = 'Jobs live in the server process’s memory: they are lost when it restarts.';

/** Model runs as jobs: start, follow, cancel (`ModelService`; permission model:run). */
export const modelRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/model/runs',
    operationId: 'startModelRun',
    summary: `Start a model run (one run per seed) as a job; follow it with GET /api/model/runs/{id}. ${KEPT}`,
    tags: ['model'],
    body: ModelRunRequestSchema,
    responses: {
      202: { description: 'The job, queued', content: json(ModelJobSchema) },
      429: { description: 'You already have as many runs queued or running as a user may (RATE_LIMITED, with Retry-After)' },
      503: { description: 'The server runs as many model runs as it may (OVERLOADED, with Retry-After)' },
    },
    async handler({ body, services, actor, reply }) {
      reply.code(202);
      return services.model.start(actor, body);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/model/runs/:id',
    operationId: 'getModelRun',
    summary: 'A model run: its status, progress per run and, once done, the labelled results (summary and every run)',
    tags: ['model'],
    params: JobParams,
    responses: { 200: { description: 'The job (only its owner and admins see it; 404 for anyone else)', content: json(ModelJobSchema) } },
    async handler({ params, services, actor }) {
      return services.model.job(actor, params.id);
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/model/runs/:id',
    operationId: 'cancelModelRun',
    summary: 'Cancel a queued or running model run (409 CONFLICT once it has finished or failed)',
    tags: ['model'],
    params: JobParams,
    responses: { 200: { description: 'The job, cancelled', content: json(ModelJobSchema) } },
    async handler({ params, services, actor }) {
      return services.model.cancel(actor, params.id);
    },
  }),
];
