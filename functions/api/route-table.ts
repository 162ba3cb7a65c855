import type { HttpMethod } from './http/router.js';
import type { ManagementContext } from './management/management-context.js';
import { apiRoutes } from './routes.js';

/** One deployed endpoint: a method and a path template, e.g. `GET /authz/api/roles/{identifier}`. */
export interface Endpoint {
  readonly method: HttpMethod;
  readonly path: string;
}

/** The paths served by the authorize function in AWS; every other endpoint goes to the management function. */
export const AUTHORIZE_PATHS: readonly string[] = ['/authz/api/acl'];

/**
 * Every endpoint of the deployed API, read from the same route table the handlers serve (building
 * routes binds handlers without calling them), so the API Gateway routes cannot drift from the code.
 */
export function deployedEndpoints(): Endpoint[] {
  return apiRoutes({} as ManagementContext).map(({ method, path }) => ({ method, path }));
}
