import { type Scope, scopeToParams } from '../../../core/scope.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import type { AuthenticatedRequest } from '../../authenticate-request.js';
import type { ApiRequest } from '../../http/router.js';

const SCOPE_PARAMETERS = ['accountIdentifier', 'orgIdentifier', 'projectIdentifier'] as const;

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
