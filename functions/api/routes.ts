import { probeStore } from '../store/store-probe.js';
import { aclRoute } from './acl/acl-route.js';
import { auditRoutes } from './audit/audit-routes.js';
import { changeFeedRoutes } from './changes/change-feed-route.js';
import { healthRoute } from './health-route.js';
import type { Route } from './http/router.js';
import { accessRoutes } from './management/access/access-routes.js';
import { inviteRoutes } from './management/invites/invite-routes.js';
import type { ManagementContext } from './management/management-context.js';
import { principalRoutes } from './management/principals/principal-routes.js';
import { scopeRoutes } from './management/scopes/scope-routes.js';
import { userHarnessRoutes } from './management/users/user-harness-routes.js';
import { userRoutes } from './management/users/user-routes.js';
import { openApiRoute } from './openapi/openapi-route.js';
import { reviewRoutes } from './review/review-routes.js';

/** Every deployed route of the API, `GET /openapi.json` last (the local server adds its `/local/*` routes on top). */
export function apiRoutes(context: ManagementContext): Route[] {
  const routes = [
    healthRoute(() => probeStore(context.target)),
    aclRoute(context.cache, context.now),
    ...scopeRoutes(context),
    ...accessRoutes(context),
    ...principalRoutes(context),
    ...userRoutes(context),
    ...userHarnessRoutes(context),
    ...inviteRoutes(context),
    ...reviewRoutes(context),
    ...changeFeedRoutes(context),
    ...auditRoutes(context),
  ];
  return [...routes, openApiRoute(routes)];
}
