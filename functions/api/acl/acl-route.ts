import { fieldError } from '../../core/validation/field-error.js';
import { recordMetric } from '../../observability/metrics.js';
import type { PolicyCache } from '../../store/policy-cache.js';
import { authenticateForAuthorization, tokenAccountOf, validAccountId } from '../authenticate-request.js';
import { InvalidRequestError, UnauthenticatedError } from '../http/errors.js';
import { parseInput } from '../http/parse.js';
import type { Route } from '../http/router.js';
import { accountNamedByChecks, decideAclRequest } from './acl-decision.js';
import { type AclRequest, aclRequestSchema } from './acl-request.js';
import { requestedConsistency } from './consistency-request.js';

/** 400 naming `accountIdentifier` when neither the query, the token nor the checks name an account. */
function requireAccount(accountId: string | undefined): string {
  if (accountId) return accountId;
  throw new InvalidRequestError('accountIdentifier is required', [
    fieldError('accountIdentifier', "must be given in the query or in the checks' resourceScope"),
  ]);
}

/**
 * `POST /authz/api/acl[?explain=true]`: batch access checks (reference §6.1, DESIGN §6.1–6.2). As in
 * Harness the body alone is a request: the account is the `accountIdentifier` query parameter when
 * given, else the account of the `x-api-key` token, else (an OIDC bearer) the checks' `resourceScope`.
 * `x-rbac-consistency` (with `x-rbac-consistency-token`) chooses how fresh the answer must be.
 */
export function aclRoute(cache: PolicyCache, now: () => number): Route {
  return {
    method: 'POST',
    path: '/authz/api/acl',
    doc: {
      summary: 'Batch access check (≤ 1,000 checks); explain=true adds the granting assignment or the reason',
      tag: 'Access checks',
      body: aclRequestSchema,
      accountOptional: true,
    },
    handler: async (request) => {
      const fromQuery = request.query.accountIdentifier;
      const known = (fromQuery && validAccountId(fromQuery)) || tokenAccountOf(request);
      if (!known && !request.bearerIdentity) throw new UnauthenticatedError('Missing or malformed x-api-key');
      let body: AclRequest | undefined;
      if (!known) body = parseInput(aclRequestSchema, request.body);
      const accountId = requireAccount(known || (body && accountNamedByChecks(body)));
      const consistency = requestedConsistency(request);
      const { caller, policy } = await authenticateForAuthorization(
        request,
        cache,
        now(),
        accountId,
        consistency,
      );
      body ??= parseInput(aclRequestSchema, request.body);
      const explain = request.query.explain === 'true';
      const data = decideAclRequest(policy.evaluator, accountId, caller, body, explain);
      const allowed = data.accessControlList.filter((entry) => entry.permitted).length;
      recordMetric('Checks', data.accessControlList.length);
      recordMetric('ChecksAllowed', allowed);
      recordMetric('ChecksDenied', data.accessControlList.length - allowed);
      return { data };
    },
  };
}
