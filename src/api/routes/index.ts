import { buildOpenApi } from '../openapi.js';
import type { RouteDef } from '../route.js';
import { healthRoutes } from './health.routes.js';
import { openApiRoutes } from './openapi.routes.js';
import { authRoutes } from './auth.routes.js';
import { corridorRoutes } from './corridors.routes.js';
import { periodRoutes } from './periods.routes.js';
import { placeRoutes } from './places.routes.js';
import { portfolioRoutes } from './portfolio.routes.js';
import { siteRoutes } from './sites.routes.js';
import { monitoringRoutes } from './monitoring.routes.js';
import { dataEntryRoutes } from './data-entry.routes.js';
import { modelRoutes } from './model.routes.js';

const featureRoutes: RouteDef[] = [
  ...healthRoutes,
  ...authRoutes,
  ...placeRoutes,
  ...siteRoutes,
  ...corridorRoutes,
  ...portfolioRoutes,
  ...monitoringRoutes,
  ...dataEntryRoutes,
  ...periodRoutes,
  ...modelRoutes,
];

/** Every route of the API. Tests enumerate this list, so a new route is covered automatically. */
export const ROUTES: RouteDef[] = [...featureRoutes, ...openApiRoutes(featureRoutes)];

/** The OpenAPI document of every route: what `/api/openapi.json` serves and the web app's types are generated from. */
export function apiDocument(): Record<string, unknown> {
  return buildOpenApi(ROUTES);
}
