import type { RoleAssignment } from '../../core/role-assignment.js';
import type { Scope } from '../../core/scope.js';
import type { ChangeOperation } from '../change-log.js';
import { roleAssignmentSk, roleAssignmentUniqueSk } from '../keys.js';
import type { AccountItemMap } from './entity-items.js';

/**
 * The role assignment entity's keys (codec: `roleAssignmentItem`, `roleAssignmentKeyItem`): each
 * assignment is stored under its identifier and holds a uniqueness key for its (scope, role, resource
 * group, principal).
 */

/** The key of the assignment `identifier` of `scope`. */
export function roleAssignmentKey(scope: Scope, identifier: string): string {
  return roleAssignmentSk(scope, identifier);
}

/** The key of the uniqueness item of `assignment`'s (scope, role, resource group, principal). */
export function roleAssignmentUniquenessKey(assignment: RoleAssignment): string {
  return roleAssignmentUniqueSk(assignment);
}

/**
 * The deletes that remove `assignment` and the uniqueness item it holds (left alone when another
 * assignment holds it).
 */
export function roleAssignmentDeletions(
  items: AccountItemMap,
  assignment: RoleAssignment,
): ChangeOperation[] {
  const guard = roleAssignmentUniqueSk(assignment);
  const operations: ChangeOperation[] = [
    { kind: 'delete', sk: roleAssignmentSk(assignment.scope, assignment.identifier) },
  ];
  if (items.get(guard)?.roleAssignmentIdentifier === assignment.identifier) {
    operations.push({ kind: 'delete', sk: guard });
  }
  return operations;
}
