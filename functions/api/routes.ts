import type { PolicyCache } from '../store/policy-cache.js';
import { aclRoute } from './acl/acl-route.js';
import { healthRoute } from './health-route.js';
import type { Route } from './http/router.js';

/** What the API's routes need: the per-account policy cache and the clock. */
export interface ApiContext {
  readonly cache: PolicyCache;
  readonly now: () => number;
}

/** Every deployed route of the API (the local server adds its `/local/*` routes on top). */
export function apiRoutes(context: ApiContext): Route[] {
  return [healthRoute, aclRoute(context.cache, context.now)];
}
