import type { ActingPrincipal } from '../../core/principal.js';
import { scopeFromParams } from '../../core/scope.js';
import { fieldError } from '../../core/validation/field-error.js';
import { accessCheckFrom, delegationCheck, explanationDto, scopeDto } from '../acl/acl-decision.js';
import type { AuthenticatedRequest } from '../authenticate-request.js';
import { AccessDeniedError, InvalidRequestError } from '../http/errors.js';
import type { Route } from '../http/router.js';
import { declareRoutes, endpoint } from '../management/declared-route.js';
import type { ManagementContext } from '../management/management-context.js';
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
const TAG = 'Access review';

const permissionsReview = endpoint({
  method: 'POST',
  path: PERMISSIONS_REVIEW_PATH,
  summary: 'What a principal (default: the caller) can do at a scope, with the granting assignments',
  tag: TAG,
  scopeFrom: 'account',
  body: permissionsReviewSchema,
  needs: 'per-resource',
  handle: async ({ auth, body }) => {
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
      principal: { principalIdentifier: principal.identifier, principalType: principal.type },
      scope: scopeDto(scope),
      permissions,
    };
  },
});

const principalsReview = endpoint({
  method: 'POST',
  path: PRINCIPALS_REVIEW_PATH,
  summary: 'Who (users and service accounts) is permitted a check, with the granting assignments',
  tag: TAG,
  scopeFrom: 'account',
  body: principalsReviewSchema,
  paged: true,
  needs: { check: (scope) => delegationCheck(scope.accountIdentifier) },
  handle: async ({ auth, body, page }) => {
    const check = accessCheckFrom(body, 'resourceScope');
    const allowed = auth.policy.evaluator.whoCan(check).map(({ principal, explanation }) => ({
      principal: { principalIdentifier: principal.identifier, principalType: principal.type },
      explanation: explanationDto(explanation),
    }));
    return page(allowed);
  },
});

export function reviewRoutes(context: ManagementContext): Route[] {
  return declareRoutes(context, [permissionsReview, principalsReview]);
}
