import {
  ASSIGNABLE_PRINCIPAL_TYPES,
  type AssignablePrincipalType,
  type AssignmentPrincipal,
} from '../../core/principal.js';
import type { RoleAssignment } from '../../core/role-assignment.js';
import { type Scope, scopePath } from '../../core/scope.js';
import type { ChangeOperation } from '../change-log.js';
import { ItemReader } from '../item-reader.js';
import {
  checkAccount,
  type ItemMeta,
  metaAttributes,
  optional,
  type StoredItem,
  scopeAttributes,
} from '../items.js';
import {
  accountPk,
  assignmentsByPrincipalGsi1Pk,
  ENTITY,
  roleAssignmentSk,
  roleAssignmentUniqueSk,
} from '../keys.js';
import type { AccountItemMap } from './entity-items.js';

/**
 * The role assignment entity: its keys, its item and its decoder, and the uniqueness item it holds.
 * Each assignment is stored under its identifier and holds a uniqueness key for its (scope, role,
 * resource group, principal).
 */

/** A copy of an assignment principal without an absent scope level. */
function copyPrincipal(principal: AssignmentPrincipal): AssignmentPrincipal {
  return {
    type: principal.type,
    identifier: principal.identifier,
    ...optional('scopeLevel', principal.scopeLevel),
  };
}

/**
 * The item of a role assignment (SK `RA#<scopePath>#<identifier>`), indexed in GSI1 under its
 * principal (`GSI1SK = <scopePath>#<identifier>`) for management lookups.
 */
export function roleAssignmentItem(
  accountId: string,
  assignment: RoleAssignment,
  meta: ItemMeta,
): StoredItem {
  checkAccount(accountId, assignment.scope, `Role assignment ${assignment.identifier}`);
  const sk = roleAssignmentSk(assignment.scope, assignment.identifier);
  return {
    PK: accountPk(accountId),
    SK: sk,
    entity: ENTITY.RoleAssignment,
    GSI1PK: assignmentsByPrincipalGsi1Pk(
      accountId,
      assignment.principal.type,
      assignment.principal.identifier,
    ),
    GSI1SK: `${scopePath(assignment.scope)}#${assignment.identifier}`,
    ...scopeAttributes(assignment.scope),
    identifier: assignment.identifier,
    roleIdentifier: assignment.roleIdentifier,
    resourceGroupIdentifier: assignment.resourceGroupIdentifier,
    principal: copyPrincipal(assignment.principal),
    disabled: assignment.disabled,
    managed: assignment.managed,
    ...metaAttributes(meta),
  };
}

/**
 * The uniqueness guard of a role assignment (SK `RAKEY#…`): written with `attribute_not_exists(PK)`
 * in the same transaction as the assignment; `roleAssignmentIdentifier` names the assignment that
 * holds the key.
 */
export function roleAssignmentKeyItem(accountId: string, assignment: RoleAssignment): StoredItem {
  checkAccount(accountId, assignment.scope, `Role assignment ${assignment.identifier}`);
  return {
    PK: accountPk(accountId),
    SK: roleAssignmentUniqueSk(assignment),
    entity: ENTITY.RoleAssignmentKey,
    roleAssignmentIdentifier: assignment.identifier,
  };
}

function principalOf(reader: ItemReader, name: string): AssignmentPrincipal {
  const raw = reader.map(name);
  const type = reader.string(`${name}.type`, raw.type);
  if (!(ASSIGNABLE_PRINCIPAL_TYPES as readonly string[]).includes(type)) {
    reader.fail(`${name}.type is not an assignable principal type`);
  }
  const scopeLevel =
    raw.scopeLevel === undefined ? undefined : reader.scopeLevel(`${name}.scopeLevel`, raw.scopeLevel);
  return {
    type: type as AssignablePrincipalType,
    identifier: reader.string(`${name}.identifier`, raw.identifier),
    ...optional('scopeLevel', scopeLevel),
  };
}

/** The role assignment of a `RoleAssignment` item of account `accountId` (throws `MalformedItemError`). */
export function roleAssignmentFromItem(accountId: string, item: Record<string, unknown>): RoleAssignment {
  const reader = new ItemReader(item);
  return {
    identifier: reader.string('identifier'),
    scope: reader.ownScope(accountId),
    roleIdentifier: reader.string('roleIdentifier'),
    resourceGroupIdentifier: reader.string('resourceGroupIdentifier'),
    principal: principalOf(reader, 'principal'),
    disabled: reader.boolean('disabled'),
    managed: reader.boolean('managed'),
  };
}

/** The key of the assignment `identifier` of `scope`. */
export function roleAssignmentKey(scope: Scope, identifier: string): string {
  return roleAssignmentSk(scope, identifier);
}

/** The key of the uniqueness item of `assignment`'s (scope, role, resource group, principal). */
export function roleAssignmentUniquenessKey(assignment: RoleAssignment): string {
  return roleAssignmentUniqueSk(assignment);
}

/**
 * The identifier of the assignment holding the uniqueness item of `assignment`, i.e. of an existing
 * assignment with the same scope, role, resource group and principal; `undefined` when free.
 */
export function uniquenessHolder(items: AccountItemMap, assignment: RoleAssignment): string | undefined {
  const holder = items.get(roleAssignmentUniqueSk(assignment))?.roleAssignmentIdentifier;
  return typeof holder === 'string' ? holder : undefined;
}

/**
 * The deletes that remove `assignment` and the uniqueness item it holds (left alone when another
 * assignment holds it).
 */
export function roleAssignmentDeletions(
  items: AccountItemMap,
  assignment: RoleAssignment,
): ChangeOperation[] {
  const operations: ChangeOperation[] = [
    { kind: 'delete', sk: roleAssignmentSk(assignment.scope, assignment.identifier) },
  ];
  if (uniquenessHolder(items, assignment) === assignment.identifier) {
    operations.push({ kind: 'delete', sk: roleAssignmentUniqueSk(assignment) });
  }
  return operations;
}
