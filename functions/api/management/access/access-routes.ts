import type { Route } from '../../http/router.js';
import type { ManagementContext } from '../management-context.js';
import { catalogueRoutes } from './catalogue-routes.js';
import { resourceGroupFilterRoutes } from './resource-group-filter-routes.js';
import { resourceGroupRoutes } from './resource-group-routes.js';
import { roleAssignmentHarnessRoutes } from './role-assignment-harness-routes.js';
import { roleAssignmentRoutes } from './role-assignment-routes.js';
import { roleRoutes } from './role-routes.js';

/**
 * The access-management endpoints (DESIGN §6.2): roles (`/authz/api/roles`), resource groups
 * (`/resourcegroup/api/v2/resourcegroup`), role assignments (`/authz/api/roleassignments`) and the
 * permission and resource-type catalogues. Every
 * request is authenticated and scoped by `accountIdentifier`/`orgIdentifier`/`projectIdentifier`;
 * reads answer from the cached account policy (no extra DynamoDB read), writes go through
 * `writeAccount` (optimistic concurrency and the change log, via `writeAccess`, which retries it with
 * a random pause under heavy contention), so the very next access check sees them.
 */
export function accessRoutes(context: ManagementContext): Route[] {
  return [
    ...roleRoutes(context),
    ...resourceGroupRoutes(context),
    ...resourceGroupFilterRoutes(context),
    ...roleAssignmentRoutes(context),
    ...roleAssignmentHarnessRoutes(context),
    ...catalogueRoutes(context),
  ];
}
