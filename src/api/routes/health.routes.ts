import { z } from '../../domain/validation.js';
import { VERSION } from '../../paths.js';
import { defineRoute } from '../route.js';

const HealthSchema = z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgresql']), version: z.string() }).meta({ id: 'Health' });

export const healthRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/health',
    operationId: 'getHealth',
    summary: 'Liveness and the database in use',
    tags: ['system'],
    public: true,
    responses: { 200: { description: 'The server and its database answer', content: { 'application/json': HealthSchema } } },
    async handler({ services }) {
      await services.store.db.query('SELECT 1');
      return { status: 'ok', database: services.store.dialect, version: VERSION };
    },
  }),
];
