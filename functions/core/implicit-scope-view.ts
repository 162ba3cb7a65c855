import type { ScopeLevel } from './scope.js';

const ACCOUNT_INCLUDING_CHILDREN = [
  'core_account_view',
  'core_organization_view',
  'core_project_view',
] as const;
const ACCOUNT_ONLY = ['core_account_view'] as const;
const ORGANIZATION_INCLUDING_CHILDREN = ['core_organization_view', 'core_project_view'] as const;
const ORGANIZATION_ONLY = ['core_organization_view'] as const;
const PROJECT = ['core_project_view'] as const;

/**
 * The scope `*_view` permissions a role assignment implicitly grants at a scope of `level` it covers
 * (or an ancestor of one), intersected later with the role's own permissions (reference §7.3, S14).
 * `includingChildScopes` is the selector's flag at the first scope and `false` at every ancestor.
 */
export function implicitScopeViewPermissions(
  level: ScopeLevel,
  includingChildScopes: boolean,
): readonly string[] {
  switch (level) {
    case 'account':
      return includingChildScopes ? ACCOUNT_INCLUDING_CHILDREN : ACCOUNT_ONLY;
    case 'organization':
      return includingChildScopes ? ORGANIZATION_INCLUDING_CHILDREN : ORGANIZATION_ONLY;
    case 'project':
      return PROJECT;
  }
}

/** The same table as {@link implicitScopeViewPermissions}, under its constant-style name. */
export const IMPLICIT_SCOPE_VIEW_PERMISSIONS: (
  level: ScopeLevel,
  includingChildScopes: boolean,
) => readonly string[] = implicitScopeViewPermissions;
