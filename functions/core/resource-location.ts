import type { AccessCheck } from './access-check.js';
import { scopeLevelOfResourceType } from './resource-types.js';
import {
  accountScope,
  levelRank,
  organizationScope,
  projectScope,
  type Scope,
  scopeOwnIdentifier,
} from './scope.js';

/**
 * The scope a checked resource lives in. Ordinary resources live in `resourceScope`; an account,
 * organization or project entity lives in its own scope, so PROJECT `p` checked with its org as
 * `resourceScope` lives at the project (reference §6.3 rule 4, DESIGN §3.4). A type-level check on a
 * scope type ("any project here") lives at `resourceScope`. Returns `undefined` for a malformed check
 * (an entity that cannot be a child of `resourceScope`).
 */
export function resourceHomeScope(check: AccessCheck): Scope | undefined {
  const { resourceScope, resourceType, resourceIdentifier } = check;
  if (!resourceScope) {
    return resourceType === 'ACCOUNT' && resourceIdentifier ? accountScope(resourceIdentifier) : undefined;
  }
  const entityLevel = scopeLevelOfResourceType(resourceType);
  if (!entityLevel || resourceIdentifier === undefined) return resourceScope;
  if (entityLevel === resourceScope.level) {
    return scopeOwnIdentifier(resourceScope) === resourceIdentifier ? resourceScope : undefined;
  }
  if (levelRank(entityLevel) !== levelRank(resourceScope.level) + 1) return undefined;
  if (resourceScope.level === 'account')
    return organizationScope(resourceScope.accountIdentifier, resourceIdentifier);
  if (resourceScope.level === 'organization') {
    return projectScope(resourceScope.accountIdentifier, resourceScope.orgIdentifier, resourceIdentifier);
  }
  return undefined;
}
