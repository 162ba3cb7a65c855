import { defaultAllUsersAssignments } from '../../functions/core/all-users-groups.js';
import type { UserGroup } from '../../functions/core/principal.js';
import type { RoleAssignment } from '../../functions/core/role-assignment.js';
import { accountScope, type Scope, scopePath } from '../../functions/core/scope.js';
import { customResourceGroupItem } from '../../functions/store/entities/resource-groups.js';
import {
  roleAssignmentItem,
  roleAssignmentKeyItem,
} from '../../functions/store/entities/role-assignments.js';
import { customRoleItem } from '../../functions/store/entities/roles.js';
import { scopeItem } from '../../functions/store/entities/scopes.js';
import { userGroupItems } from '../../functions/store/entities/user-groups.js';
import { membershipItem, userItem } from '../../functions/store/entities/users.js';
import type { ItemMeta, StoredItem } from '../../functions/store/items.js';
import { STABLE_HASH_LENGTH, stableHash } from '../mapping/identifiers.js';
import type { MigrationPlan } from '../mapping/migration-plan.js';

/**
 * How an item is reconciled with the table: `ifAbsent` items (scopes and their default bindings)
 * are created when missing and otherwise left alone; `exact` items (everything the migration owns)
 * are written whenever the stored content differs; `absent` items (the default all-users view when
 * the plan removes it) are deleted when present.
 */
export type ReconcileMode = 'ifAbsent' | 'exact' | 'absent';

/**
 * An item of the plan. `phase` 0 revokes the migration's earlier assignments the plan no longer
 * holds; phase 1 holds everything role assignments depend on; phase 2 holds the migration's role
 * assignments, written last so that an interrupted apply grants at most a subset of the final access;
 * phase 3 deletes the member items of incarnations the groups no longer use.
 */
export interface PlannedItem {
  readonly item: StoredItem;
  readonly mode: ReconcileMode;
  readonly phase: 0 | 1 | 2 | 3;
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
 * not exist yet) and the projects with their default all-users bindings, the account's default
 * all-users view (kept or removed), the users (active, members of the account), the user groups,
 * custom roles and resource groups, and the role assignments with their uniqueness guards.
 */
export function planItems(plan: MigrationPlan): PlannedItem[] {
  const accountId = plan.targetAccountId;
  const account = accountScope(accountId);
  const items: PlannedItem[] = [...scopeItems(accountId, plan.organization, plan.organization.orgIdentifier)];
  for (const assignment of defaultAllUsersAssignments(account)) {
    const mode = plan.defaultView === 'remove' ? 'absent' : 'ifAbsent';
    items.push(...assignmentItems(accountId, assignment, mode, 1));
  }
  for (const user of plan.users) {
    const active = {
      userId: user.userId,
      email: user.email,
      status: 'ACTIVE' as const,
      ...(user.name === undefined ? {} : { name: user.name }),
    };
    items.push(
      { item: userItem(accountId, active, PLANNED_META), mode: 'exact', phase: 1 },
      { item: membershipItem(accountId, user.userId, account, PLANNED_META), mode: 'exact', phase: 1 },
    );
  }
  for (const project of plan.projects)
    items.push(...scopeItems(accountId, project.scope, project.name, project.description));
  for (const { fgId: _fgId, ...group } of plan.userGroups) {
    // Members first (phase 1), the group's item pointing at them with the assignments (phase 2): an
    // interrupted apply leaves the group on its earlier member set, never on a partial one.
    const [head, ...members] = userGroupItems(accountId, group, PLANNED_META, migrationIncarnation(group));
    for (const item of members) items.push({ item, mode: 'exact', phase: 1 });
    if (head) items.push({ item: head, mode: 'exact', phase: 2 });
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

/**
 * The incarnation a migrated group's members are stored under: derived from the group and its member
 * set, so a repeated apply of the same plan writes nothing, and a plan that changes the members gives
 * the group a new incarnation (the earlier members then grant nothing).
 */
export function migrationIncarnation(group: UserGroup): string {
  const members = [...new Set(group.users)].sort().join('\n');
  return `m${stableHash(`${scopePath(group.scope)}\n${group.identifier}\n${members}`)}`;
}

/** The shape of {@link migrationIncarnation}'s incarnations: `m` and a stable hash. */
const MIGRATION_INCARNATION = new RegExp(`^m[0-9a-f]{${STABLE_HASH_LENGTH}}$`);

/** Whether an incarnation is one {@link migrationIncarnation} gives (the API's are random and one character shorter). */
export function isMigrationIncarnation(incarnation: string): boolean {
  return MIGRATION_INCARNATION.test(incarnation);
}

/** The items an apply leaves in an account that had none of them: the plan's items but those it removes. */
export function appliedItems(plan: MigrationPlan): StoredItem[] {
  return planItems(plan)
    .filter((entry) => entry.mode !== 'absent')
    .map((entry) => entry.item);
}
