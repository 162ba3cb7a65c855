import type { PolicyCache } from '../../store/policy-cache.js';
import { authenticateRequest } from '../authenticate-request.js';
import { parseInput } from '../http/parse.js';
import type { Route } from '../http/router.js';
import { decideAclRequest } from './acl-decision.js';
import { aclRequestSchema } from './acl-request.js';

/** `POST /authz/api/acl[?explain=true]`: batch access checks (reference §6.1, DESIGN §6.2). */
export function aclRoute(cache: PolicyCache, now: () => number): Route {
  return {
    method: 'POST',
    path: '/authz/api/acl',
    handler: async (request) => {
      const { accountId, caller, policy } = await authenticateRequest(request, cache, now());
      const body = parseInput(aclRequestSchema, request.body);
      const explain = request.query.explain === 'true';
      return { data: decideAclRequest(policy.evaluator, accountId, caller, body, explain) };
    },
  };
}
