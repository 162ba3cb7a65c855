import type { Route } from '../http/router.js';
import { openApiDocument } from './openapi-document.js';

/** The path the OpenAPI document is served at. */
export const OPENAPI_PATH = '/openapi.json';

/**
 * `GET /openapi.json` (no auth): the OpenAPI 3.1 document of `routes` and of itself, built once on
 * first request from the routes' own schemas.
 */
export function openApiRoute(routes: readonly Route[]): Route {
  let document: unknown;
  const route: Route = {
    method: 'GET',
    path: OPENAPI_PATH,
    raw: true,
    doc: { summary: 'This OpenAPI 3.1 document', tag: 'Health', authenticated: false, scoped: false },
    handler: async () => {
      document ??= openApiDocument([...routes, route]);
      return { data: document };
    },
  };
  return route;
}
