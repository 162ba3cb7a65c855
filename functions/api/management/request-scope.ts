import { levelRank, type Scope, scopeFromParams } from '../../core/scope.js';
import { fieldError } from '../../core/validation/field-error.js';
import { scopeIdentifierProblem } from '../../core/validation/identifier-rules.js';
import type { AccountPolicy } from '../../store/policy-cache.js';
import { scopeExists } from '../../store/readers/access-readers.js';
import { InvalidRequestError, NotFoundError } from '../http/errors.js';
import type { ApiRequest } from '../http/router.js';

/** The scope query parameters, outermost first. */
const SCOPE_FIELDS = ['accountIdentifier', 'orgIdentifier', 'projectIdentifier'] as const;

/**
 * The scope named by the request's `accountIdentifier`, `orgIdentifier` and `projectIdentifier`; 400
 * naming the field when one is missing, too long or holds a path or key separator (`/`, `#`).
 */
export function requestScope(request: ApiRequest): Scope {
  for (const field of SCOPE_FIELDS) {
    const value = request.query[field];
    const problem = value ? scopeIdentifierProblem(value) : undefined;
    if (problem !== undefined) throw new InvalidRequestError('Invalid scope', [fieldError(field, problem)]);
  }
  const scope = scopeFromParams(request.query);
  if (!scope) {
    const field = request.query.accountIdentifier ? 'orgIdentifier' : 'accountIdentifier';
    throw new InvalidRequestError('Invalid scope', [
      fieldError(field, field === 'orgIdentifier' ? 'required with projectIdentifier' : 'is required'),
    ]);
  }
  return scope;
}

/** Fails with 404 unless the scope exists in the account (the account itself always does). */
export function requireExistingScope(policy: AccountPolicy, scope: Scope): Scope {
  if (levelRank(scope.level) > 0 && !scopeExists(policy.items, scope)) {
    const name =
      scope.level === 'project'
        ? scope.projectIdentifier
        : scope.level === 'organization'
          ? scope.orgIdentifier
          : '';
    throw new NotFoundError(
      `${scope.level === 'project' ? 'Project' : 'Organization'} ${name} does not exist`,
    );
  }
  return scope;
}
