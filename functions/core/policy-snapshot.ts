import type { ServiceAccount, UserGroup } from './principal.js';
import type { CustomResourceGroup } from './resource-group.js';
import type { CustomRole } from './role.js';
import type { RoleAssignment } from './role-assignment.js';
import type { Scope } from './scope.js';

/** A user's membership of a scope; membership of a scope implies membership of its ancestors. */
export interface ScopeMembership {
  readonly userId: string;
  readonly scope: Scope;
}

/**
 * Everything an account's access decisions depend on, as plain data: custom roles and resource
 * groups (managed ones come from the catalogue), role assignments, user groups with their members,
 * service accounts and scope memberships (which drive the all-users groups).
 */
export interface PolicySnapshot {
  readonly accountIdentifier: string;
  readonly customRoles: readonly CustomRole[];
  readonly customResourceGroups: readonly CustomResourceGroup[];
  readonly roleAssignments: readonly RoleAssignment[];
  readonly userGroups: readonly UserGroup[];
  readonly serviceAccounts: readonly ServiceAccount[];
  readonly scopeMemberships: readonly ScopeMembership[];
}

/** A snapshot of an account with nothing in it. */
export function emptySnapshot(accountIdentifier: string): PolicySnapshot {
  return {
    accountIdentifier,
    customRoles: [],
    customResourceGroups: [],
    roleAssignments: [],
    userGroups: [],
    serviceAccounts: [],
    scopeMemberships: [],
  };
}
