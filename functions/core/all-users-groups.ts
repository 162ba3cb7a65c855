import {
  ALL_ACCOUNT_LEVEL_RESOURCES,
  ALL_ORGANIZATION_LEVEL_RESOURCES,
  ALL_PROJECT_LEVEL_RESOURCES,
} from './managed-resource-groups.js';
import { ALL_USERS_GROUP_IDENTIFIERS } from './principal.js';
import type { RoleAssignment } from './role-assignment.js';
import type { Scope, ScopeLevel } from './scope.js';

/**
 * Chooses the identifier of the default all-users assignment created with `scope`; the default is
 * {@link defaultAllUsersAssignmentIdentifier}.
 */
export type DefaultAssignmentIdentifierFactory = (scope: Scope) => string;

/** The built-in all-users group of a scope, as listed alongside the stored user groups. */
export interface AllUsersGroupDescriptor {
  readonly identifier: string;
  readonly name: string;
  readonly description: string;
}

/** The default viewer binding of each level (DESIGN §3.2): the managed role and resource group. */
export const DEFAULT_ALL_USERS_BINDINGS: Readonly<
  Record<ScopeLevel, { readonly roleIdentifier: string; readonly resourceGroupIdentifier: string }>
> = {
  account: { roleIdentifier: '_account_viewer', resourceGroupIdentifier: ALL_ACCOUNT_LEVEL_RESOURCES },
  organization: {
    roleIdentifier: '_organization_viewer',
    resourceGroupIdentifier: ALL_ORGANIZATION_LEVEL_RESOURCES,
  },
  project: { roleIdentifier: '_project_viewer', resourceGroupIdentifier: ALL_PROJECT_LEVEL_RESOURCES },
};

const ALL_USERS_GROUP_NAMES: Readonly<Record<ScopeLevel, string>> = {
  account: 'All Account Users',
  organization: 'All Organization Users',
  project: 'All Project Users',
};

/**
 * The deterministic identifier of the default all-users assignment of a scope:
 * `_default_account_viewer`, `_default_organization_viewer` or `_default_project_viewer`. It is a
 * valid entity identifier and, starting with `_`, cannot collide with a client-chosen one.
 */
export function defaultAllUsersAssignmentIdentifier(scope: Scope): string {
  return `_default_${scope.level}_viewer`;
}

/**
 * The role assignments a newly created scope receives (DESIGN §3.2): the all-users group of the
 * scope's level, living at the scope itself, bound to that level's viewer role on all resources of
 * that level. The assignments are ordinary ones (`managed: false`, enabled), so an admin may delete
 * them to opt out of "members can view everything in the scopes they belong to".
 */
export function defaultAllUsersAssignments(
  scope: Scope,
  identifierFactory: DefaultAssignmentIdentifierFactory = defaultAllUsersAssignmentIdentifier,
): RoleAssignment[] {
  const { roleIdentifier, resourceGroupIdentifier } = DEFAULT_ALL_USERS_BINDINGS[scope.level];
  return [
    {
      identifier: identifierFactory(scope),
      scope,
      roleIdentifier,
      resourceGroupIdentifier,
      principal: {
        type: 'USER_GROUP',
        identifier: ALL_USERS_GROUP_IDENTIFIERS[scope.level],
        scopeLevel: scope.level,
      },
      disabled: false,
      managed: false,
    },
  ];
}

/**
 * The built-in all-users group of a scope (`_account_all_users`, `_organization_all_users` or
 * `_project_all_users`) with its display name and description; its members are derived from scope
 * membership and never stored.
 */
export function allUsersGroupFor(scope: Scope): AllUsersGroupDescriptor {
  const noun = scope.level;
  return {
    identifier: ALL_USERS_GROUP_IDENTIFIERS[scope.level],
    name: ALL_USERS_GROUP_NAMES[scope.level],
    description: `Every user who is a member of this ${noun}; membership follows ${noun} membership.`,
  };
}
