import type { RoleAssignment } from '../../functions/core/role-assignment.js';
import {
  roleAssignmentFromItem,
  roleAssignmentUniquenessKey,
  uniquenessHolder,
} from '../../functions/store/entities/role-assignments.js';
import type { StoredItem } from '../../functions/store/items.js';
import { ENTITY } from '../../functions/store/keys.js';
import { MIGRATION_ASSIGNMENT_PREFIX } from '../mapping/map-export.js';
import { isMigrationIncarnation, type PlannedItem } from './plan-items.js';

/** Whether a stored role assignment is one a migration made for one of `groups` (account-scope user groups). */
function isMigrationAssignmentOf(assignment: RoleAssignment, groups: ReadonlySet<string>): boolean {
  return (
    assignment.identifier.startsWith(MIGRATION_ASSIGNMENT_PREFIX) &&
    assignment.principal.type === 'USER_GROUP' &&
    (assignment.principal.scopeLevel ?? 'account') === 'account' &&
    groups.has(assignment.principal.identifier)
  );
}

/**
 * The deletes that revoke what an earlier apply granted and the plan no longer does: the stored role
 * assignments a migration made (identifier `fg_ra_…`) to one of `migratedGroups` — the plan's user
 * groups and those of the earlier plans of the same source — that are not among the planned items,
 * each with the uniqueness item it holds. Phase 0: revoked before anything is granted, so an
 * interrupted apply never holds more than the earlier and the new plan both grant. Assignments made
 * by hand, or to other principals, are never touched; a stored assignment that does not decode
 * grants nothing and is left alone.
 */
export function staleAssignmentDeletes(
  accountId: string,
  existing: ReadonlyMap<string, Record<string, unknown>>,
  planned: readonly PlannedItem[],
  migratedGroups: ReadonlySet<string>,
): PlannedItem[] {
  const plannedKeys = new Set(planned.map((entry) => entry.item.SK));
  const deletes: PlannedItem[] = [];
  for (const [sk, item] of existing) {
    if (item.entity !== ENTITY.RoleAssignment || plannedKeys.has(sk)) continue;
    let assignment: RoleAssignment;
    try {
      assignment = roleAssignmentFromItem(accountId, item);
    } catch {
      continue;
    }
    if (!isMigrationAssignmentOf(assignment, migratedGroups)) continue;
    deletes.push({ item: item as StoredItem, mode: 'absent', phase: 0 });
    const guard = existing.get(roleAssignmentUniquenessKey(assignment));
    if (guard && uniquenessHolder(existing, assignment) === assignment.identifier) {
      deletes.push({ item: guard as StoredItem, mode: 'absent', phase: 0 });
    }
  }
  return deletes;
}

/**
 * The deletes of member items of the plan's user groups stored under an earlier migration
 * incarnation (one the group's planned item no longer points at): they grant nothing, and without
 * this every re-apply that changes a group's members would leave its old member set behind. Phase 3:
 * after the groups' items point at their new incarnations. Incarnations made through the API are
 * left alone (a write through the API may be staging one).
 */
export function retiredMemberDeletes(
  existing: ReadonlyMap<string, Record<string, unknown>>,
  planned: readonly PlannedItem[],
): PlannedItem[] {
  const plannedIncarnation = new Map<string, unknown>();
  for (const { item } of planned) {
    if (item.entity === ENTITY.UserGroup)
      plannedIncarnation.set(`${item.scopePath}#${item.identifier}`, item.incarnation);
  }
  const deletes: PlannedItem[] = [];
  for (const item of existing.values()) {
    if (item.entity !== ENTITY.UserGroupMember || typeof item.incarnation !== 'string') continue;
    const incarnation = plannedIncarnation.get(`${item.scopePath}#${item.identifier}`);
    if (incarnation === undefined || incarnation === item.incarnation) continue;
    if (!isMigrationIncarnation(item.incarnation)) continue;
    deletes.push({ item: item as StoredItem, mode: 'absent', phase: 3 });
  }
  return deletes;
}
