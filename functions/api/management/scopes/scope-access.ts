import type { AccessCheck } from '../../../core/access-check.js';
import {
  accountScope,
  type OrganizationScope,
  organizationScope,
  type ProjectScope,
} from '../../../core/scope.js';

/**
 * The access checks that guard the organization and project endpoints (reference §2.3, §5.x): an
 * organization is the ORGANIZATION entity `orgIdentifier` checked at its account, a project the
 * PROJECT entity `projectIdentifier` checked at its organization; both entities live in their own
 * scope (DESIGN §3.4), so "All Organization Level Resources" of an org covers the org itself but not
 * its projects.
 */

/** A scope that organization and project endpoints manage. */
export type ManagedScope = OrganizationScope | ProjectScope;

/** What a caller wants to do with an existing organization or project. */
export type ScopeAction = 'view' | 'edit' | 'delete';

/** The check of `action` on the organization or project entity `scope` (e.g. `core_project_edit` on PROJECT p). */
export function scopeEntityCheck(scope: ManagedScope, action: ScopeAction): AccessCheck {
  if (scope.level === 'organization') {
    return {
      permission: `core_organization_${action}`,
      resourceScope: accountScope(scope.accountIdentifier),
      resourceType: 'ORGANIZATION',
      resourceIdentifier: scope.orgIdentifier,
    };
  }
  return {
    permission: `core_project_${action}`,
    resourceScope: organizationScope(scope.accountIdentifier, scope.orgIdentifier),
    resourceType: 'PROJECT',
    resourceIdentifier: scope.projectIdentifier,
  };
}

/**
 * The type-level check of creating `scope`: `core_organization_create` on ORGANIZATION at the
 * account, or `core_project_create` on PROJECT at the project's organization.
 */
export function scopeCreationCheck(scope: ManagedScope): AccessCheck {
  if (scope.level === 'organization') {
    return {
      permission: 'core_organization_create',
      resourceScope: accountScope(scope.accountIdentifier),
      resourceType: 'ORGANIZATION',
    };
  }
  return {
    permission: 'core_project_create',
    resourceScope: organizationScope(scope.accountIdentifier, scope.orgIdentifier),
    resourceType: 'PROJECT',
  };
}
