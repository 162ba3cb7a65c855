import { findManagedResourceGroup } from '../../../core/managed-resource-groups.js';
import { findManagedRole } from '../../../core/managed-roles.js';
import type { RoleAssignment } from '../../../core/role-assignment.js';
import type { Scope } from '../../../core/scope.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import {
  customResourceGroupAt,
  customRoleAt,
  roleAssignmentsAt,
} from '../../../store/readers/access-readers.js';

/**
 * Harness's `RoleAssignmentMetadataDTO`: a role assignment with the display names of its role and
 * resource group, as the aggregate reads of users, user groups and service accounts carry it.
 */
export interface RoleAssignmentMetadata {
  readonly identifier: string;
  readonly roleIdentifier: string;
  readonly roleName: string;
  readonly roleScopeLevel: string;
  readonly resourceGroupIdentifier: string;
  readonly resourceGroupName: string;
  readonly managedRole: boolean;
  readonly managedRoleAssignment: boolean;
}

/** The metadata of one assignment; a role or group that no longer resolves shows its identifier as name. */
export function roleAssignmentMetadata(
  policy: AccountPolicy,
  assignment: RoleAssignment,
): RoleAssignmentMetadata {
  const customRole = customRoleAt(policy.items, assignment.scope, assignment.roleIdentifier)?.value;
  const managedRole = customRole ? undefined : findManagedRole(assignment.roleIdentifier);
  const group =
    customResourceGroupAt(policy.items, assignment.scope, assignment.resourceGroupIdentifier)?.value ??
    findManagedResourceGroup(assignment.resourceGroupIdentifier);
  return {
    identifier: assignment.identifier,
    roleIdentifier: assignment.roleIdentifier,
    roleName: customRole?.name ?? managedRole?.name ?? assignment.roleIdentifier,
    roleScopeLevel: assignment.scope.level,
    resourceGroupIdentifier: assignment.resourceGroupIdentifier,
    resourceGroupName: group?.name ?? assignment.resourceGroupIdentifier,
    managedRole: managedRole !== undefined,
    managedRoleAssignment: assignment.managed,
  };
}

/** The principal an aggregate read is about. */
export interface MetadataPrincipal {
  readonly type: 'USER' | 'USER_GROUP' | 'SERVICE_ACCOUNT';
  readonly identifier: string;
  /** For a user group: the level of the scope it is defined at (an assignment names it by that level). */
  readonly scopeLevel?: Scope['level'];
}

/** The assignments made at exactly `scope` to `principal`, as metadata, by identifier. */
export function roleAssignmentMetadataOf(
  policy: AccountPolicy,
  scope: Scope,
  principal: MetadataPrincipal,
): RoleAssignmentMetadata[] {
  return roleAssignmentsAt(policy.items, scope)
    .map((stored) => stored.value)
    .filter(
      (assignment) =>
        assignment.principal.type === principal.type &&
        assignment.principal.identifier === principal.identifier &&
        (principal.scopeLevel === undefined ||
          (assignment.principal.scopeLevel ?? assignment.scope.level) === principal.scopeLevel),
    )
    .sort((a, b) => a.identifier.localeCompare(b.identifier))
    .map((assignment) => roleAssignmentMetadata(policy, assignment));
}
