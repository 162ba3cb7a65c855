import { defaultAllUsersAssignments } from '../../functions/core/all-users-groups.js';
import type { RoleAssignment } from '../../functions/core/role-assignment.js';
import type { Scope } from '../../functions/core/scope.js';
import {
  customResourceGroupItem,
  customRoleItem,
  type ItemMeta,
  roleAssignmentItem,
  roleAssignmentKeyItem,
  type StoredItem,
  scopeItem,
  userGroupItem,
} from '../../functions/store/items.js';
import type { MigrationPlan } from '../mapping/migration-plan.js';

/**
 * How an item is reconciled with the table: `ifAbsent` items (scopes and their default bindings)
 * are created when missing and otherwise left alone; `exact` items (everything the migration owns)
 * are written whenever the stored content differs.
 */
export type ReconcileMode = 'ifAbsent' | 'exact';

/**
 * An item of the plan. `phase` 1 holds everything role assignments depend on; phase 2 holds the
 * migration's role assignments, written last so that an interrupted apply grants at most a subset
 * of the final access.
 */
export interface PlannedItem {
  readonly item: StoredItem;
  readonly mode: ReconcileMode;
  readonly phase: 1 | 2;
}

/** Bookkeeping placeholder of planned items; the real times and version are set when written. */
export const PLANNED_META: ItemMeta = { createdAt: 0, lastModifiedAt: 0, version: 1 };

function assignmentItems(
  accountId: string,
  assignment: RoleAssignment,
  mode: ReconcileMode,
  phase: 1 | 2,
): PlannedItem[] {
  return [
    { item: roleAssignmentItem(accountId, assignment, PLANNED_META), mode, phase },
    { item: roleAssignmentKeyItem(accountId, assignment), mode, phase },
  ];
}

function scopeItems(accountId: string, scope: Scope, name: string, description?: string): PlannedItem[] {
  return [
    {
      item: scopeItem(accountId, scope, { name, ...(description ? { description } : {}) }, PLANNED_META),
      mode: 'ifAbsent',
      phase: 1,
    },
    ...defaultAllUsersAssignments(scope).flatMap((assignment) =>
      assignmentItems(accountId, assignment, 'ifAbsent', 1),
    ),
  ];
}

/**
 * The table items of a plan, built with the store's item builders: the organization (when it does
 * not exist yet) and the projects with their default all-users bindings, the user groups, custom
 * roles and resource groups, and the role assignments with their uniqueness guards.
 */
export function planItems(plan: MigrationPlan): PlannedItem[] {
  const accountId = plan.targetAccountId;
  const items: PlannedItem[] = [...scopeItems(accountId, plan.organization, plan.organization.orgIdentifier)];
  for (const project of plan.projects)
    items.push(...scopeItems(accountId, project.scope, project.name, project.description));
  for (const { fgId: _fgId, ...group } of plan.userGroups) {
    items.push({ item: userGroupItem(accountId, group, PLANNED_META), mode: 'exact', phase: 1 });
  }
  for (const role of plan.roles)
    items.push({ item: customRoleItem(accountId, role, PLANNED_META), mode: 'exact', phase: 1 });
  for (const group of plan.resourceGroups) {
    items.push({ item: customResourceGroupItem(accountId, group, PLANNED_META), mode: 'exact', phase: 1 });
  }
  for (const assignment of plan.assignments)
    items.push(...assignmentItems(accountId, assignment, 'exact', 2));
  return items;
}
