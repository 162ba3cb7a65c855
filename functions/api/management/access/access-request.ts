import { type Scope, scopeToParams } from '../../../core/scope.js';
import { fieldError } from '../../../core/validation/field-error.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import { type AuthenticatedRequest, authenticateRequest } from '../../authenticate-request.js';
import { InvalidRequestError } from '../../http/errors.js';
import type { ApiRequest } from '../../http/router.js';
import type { ManagementContext } from '../management-context.js';
import { requestScope, requireExistingScope } from '../request-scope.js';

/** An authenticated request and the existing scope its query parameters name. */
export interface ScopedRequest {
  readonly auth: AuthenticatedRequest;
  readonly scope: Scope;
}

const SCOPE_PARAMETERS = ['accountIdentifier', 'orgIdentifier', 'projectIdentifier'] as const;

/**
 * Authenticates the request (401/403) and reads its scope from `accountIdentifier`, `orgIdentifier`
 * and `projectIdentifier`: 400 naming the parameter when it is malformed, 404 when the organization or
 * project does not exist.
 */
export async function scopedRequest(request: ApiRequest, context: ManagementContext): Promise<ScopedRequest> {
  const auth = await authenticateRequest(request, context.cache, context.now());
  for (const name of SCOPE_PARAMETERS) {
    const value = request.query[name];
    if (value?.includes('#')) {
      throw new InvalidRequestError(`Invalid ${name}`, [fieldError(name, "must not contain '#'")]);
    }
  }
  const scope = requireExistingScope(auth.policy, requestScope(request));
  return { auth, scope };
}

/** The same authenticated caller, judged against a newer policy (inside a write's plan). */
export function withPolicy(auth: AuthenticatedRequest, policy: AccountPolicy): AuthenticatedRequest {
  return { accountId: auth.accountId, caller: auth.caller, policy };
}

/**
 * The `searchTerm` filter of the role and resource-group lists: a case-insensitive substring of the
 * name or identifier (Harness treats the term as a regex; we do not evaluate client regexes).
 */
export function matchesSearchTerm(
  request: Pick<ApiRequest, 'query'> | { query: { searchTerm?: string | undefined } },
  entity: { identifier: string; name: string },
): boolean {
  const term = request.query.searchTerm?.trim().toLowerCase();
  if (!term) return true;
  return entity.identifier.toLowerCase().includes(term) || entity.name.toLowerCase().includes(term);
}

/** A scope in the wire form of responses: `{accountIdentifier, orgIdentifier?, projectIdentifier?}`. */
export function scopeDto(scope: Scope): Record<string, string> {
  const params = scopeToParams(scope);
  const dto: Record<string, string> = {};
  for (const name of SCOPE_PARAMETERS) {
    const value = params[name];
    if (value) dto[name] = value;
  }
  return dto;
}
