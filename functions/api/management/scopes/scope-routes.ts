import type { Route } from '../../http/router.js';
import type { ManagementContext } from '../management-context.js';
import { organizationRoutes } from './organization-routes.js';
import { projectRoutes } from './project-routes.js';
import { scopeAggregateRoutes } from './scope-aggregate-routes.js';

/**
 * Every organization and project endpoint (DESIGN §6.2): `POST/GET /ng/api/organizations`,
 * `GET/PUT/DELETE /ng/api/organizations/{identifier}`, `POST/GET /ng/api/projects` and
 * `GET/PUT/DELETE /ng/api/projects/{identifier}`, and their aggregates under `/ng/api/aggregate/`. Creating a scope also creates its default all-users
 * binding and the creator's admin binding; deleting one cascades to everything in it.
 */
export function scopeRoutes(context: ManagementContext): Route[] {
  return [...organizationRoutes(context), ...projectRoutes(context), ...scopeAggregateRoutes(context)];
}
