import { probeStore } from '../../store/store-probe.js';
import { aclRoute } from '../acl/acl-route.js';
import { healthRoute } from '../health-route.js';
import { createHttpHandler } from '../http/router.js';
import { lambdaContext, lambdaHttpOptions } from './lambda-context.js';

const context = await lambdaContext(process.env);

/**
 * Lambda entry of the authorize path: `POST /authz/api/acl` (and `GET /health`). It imports no
 * management route, so its bundle stays small and its cold start short (DESIGN §11).
 */
export const handler = createHttpHandler(
  [healthRoute(() => probeStore(context.target)), aclRoute(context.cache, context.now)],
  lambdaHttpOptions(process.env, context.target),
);
