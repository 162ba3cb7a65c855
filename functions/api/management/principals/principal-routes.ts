import type { Route } from '../../http/router.js';
import type { ManagementContext } from '../management-context.js';
import { apiKeyRoutes } from './api-key-routes.js';
import { credentialRoutes } from './credential-routes.js';
import { serviceAccountRoutes } from './service-account-routes.js';
import { tokenRoutes } from './token-routes.js';
import { userGroupHarnessRoutes } from './user-group-harness-routes.js';
import { userGroupRoutes } from './user-group-routes.js';

/**
 * Every principal management route (DESIGN §6.2): user groups (`/ng/api/user-groups…`), service
 * accounts (`/ng/api/serviceaccount…`), API keys (`/ng/api/apikey…`) and tokens (`/ng/api/token…`).
 * Each is authenticated by `x-api-key`, authorized with the account's evaluator, and writes through
 * `writeAccount` (one change-log transaction, so the next request sees it).
 */
export function principalRoutes(context: ManagementContext): Route[] {
  return [
    ...userGroupRoutes(context),
    ...userGroupHarnessRoutes(context),
    ...serviceAccountRoutes(context),
    ...apiKeyRoutes(context),
    ...tokenRoutes(context),
    ...credentialRoutes(context),
  ];
}
