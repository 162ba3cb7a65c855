import type { ActingPrincipal } from '../../core/principal.js';
import { scopeFromParams } from '../../core/scope.js';
import { fieldError } from '../../core/validation/field-error.js';
import type { PolicyCache } from '../../store/policy-cache.js';
import { accessCheckFrom, delegationCheck, explanationDto, scopeDto } from '../acl/acl-decision.js';
import { type AuthenticatedRequest, authenticateRequest } from '../authenticate-request.js';
import { pageOf } from '../http/envelope.js';
import { AccessDeniedError, InvalidRequestError } from '../http/errors.js';
import { pagingFromQuery, parseInput } from '../http/parse.js';
import type { Route } from '../http/router.js';
import { permissionsReviewSchema, principalsReviewSchema } from './review-request.js';

/** The path of "what can a principal do at a scope". */
export const PERMISSIONS_REVIEW_PATH = '/authz/api/access-review/permissions';

/** The path of "who can do a permission on a resource". */
export const PRINCIPALS_REVIEW_PATH = '/authz/api/access-review/principals';

/** 403 unless the caller may look at other principals' access (`core_acl_check`, as delegated checks). */
function requireReviewer(auth: AuthenticatedRequest, about: string): void {
  if (auth.policy.evaluator.check(auth.caller, delegationCheck(auth.accountId)).permitted) return;
  throw new AccessDeniedError(
    `Principal of type ${auth.caller.type} with identifier ${auth.caller.identifier} : Missing permission core_acl_check on account with identifier ${auth.accountId} (needed to review ${about})`,
  );
}

function isCaller(principal: ActingPrincipal, auth: AuthenticatedRequest): boolean {
  return principal.type === auth.caller.type && principal.identifier === auth.caller.identifier;
}

/**
 * The access-review endpoints (DESIGN §6.2, documented in `docs/api.md`), answered by the same
 * evaluator over the same cached snapshot as `POST /authz/api/acl`, so they agree with it:
 * - `POST /authz/api/access-review/permissions` — every permission the principal (default the
 *   caller; anyone else needs `core_acl_check`) holds on resources at the scope, per resource type,
 *   with the resources selected (`ALL` or some identifiers / attribute values) and the granting assignment;
 * - `POST /authz/api/access-review/principals` — a page of the users and service accounts permitted
 *   the check (needs `core_acl_check`), each with the assignment that grants it.
 */
export function reviewRoutes(cache: PolicyCache, now: () => number): Route[] {
  return [
    {
      method: 'POST',
      path: PERMISSIONS_REVIEW_PATH,
      handler: async (request) => {
        const auth = await authenticateRequest(request, cache, now());
        const body = parseInput(permissionsReviewSchema, request.body);
        const scope = scopeFromParams(body.scope);
        if (!scope || scope.accountIdentifier !== auth.accountId) {
          throw new InvalidRequestError('Invalid scope', [
            fieldError('scope', "must name the request's account, and a project's organization"),
          ]);
        }
        const principal: ActingPrincipal = body.principal
          ? { type: body.principal.principalType, identifier: body.principal.principalIdentifier }
          : auth.caller;
        if (!isCaller(principal, auth)) requireReviewer(auth, "another principal's permissions");
        const permissions = auth.policy.evaluator
          .effectivePermissions(principal, scope)
          .filter(
            (entry) =>
              (!body.resourceType || entry.resourceType === body.resourceType) &&
              (!body.permission || entry.permission === body.permission),
          )
          .map((entry) => ({ ...entry, grantedBy: explanationDto(entry.grantedBy) }));
        return {
          data: {
            principal: { principalIdentifier: principal.identifier, principalType: principal.type },
            scope: scopeDto(scope),
            permissions,
          },
        };
      },
    },
    {
      method: 'POST',
      path: PRINCIPALS_REVIEW_PATH,
      handler: async (request) => {
        const auth = await authenticateRequest(request, cache, now());
        const body = parseInput(principalsReviewSchema, request.body);
        const { pageIndex, pageSize } = pagingFromQuery(request.query);
        requireReviewer(auth, 'who holds a permission');
        const check = accessCheckFrom(body, 'resourceScope');
        const allowed = auth.policy.evaluator.whoCan(check).map(({ principal, explanation }) => ({
          principal: { principalIdentifier: principal.identifier, principalType: principal.type },
          explanation: explanationDto(explanation),
        }));
        return { data: pageOf(allowed, pageIndex, pageSize) };
      },
    },
  ];
}
