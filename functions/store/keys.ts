import type { AssignablePrincipalType } from '../core/principal.js';
import type { RoleAssignment } from '../core/role-assignment.js';
import { type Scope, scopePath } from '../core/scope.js';
import type { ApiKeyType } from '../core/token.js';

/**
 * Key builders of the single table (DESIGN §5, `docs/data-model.md`).
 *
 * Every policy item of an account lives in the account partition `ACCOUNT#<accountId>`; the change
 * log of the account lives in its own partition `ACCOUNT#<accountId>#CHANGES`. Key parts are joined
 * with `#`, so no identifier may contain `#`: the builders throw instead of producing a key that
 * could collide with another entity's key. All builders are pure.
 */

/** The separator between key parts. */
const SEPARATOR = '#';

/** Number of digits of a zero-padded change-log version. */
const CHANGE_VERSION_DIGITS = 12;

/** The largest version {@link changeSk} can encode. */
const MAX_CHANGE_VERSION = 10 ** CHANGE_VERSION_DIGITS - 1;

/** Throws unless `value` is a non-empty string without the key separator. */
function keyPart(what: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error(`Key part ${what} must be a non-empty string`);
  }
  if (value.includes(SEPARATOR)) {
    throw new Error(`Key part ${what} must not contain '${SEPARATOR}': ${JSON.stringify(value)}`);
  }
  return value;
}

/** The scope path of `scope`, after checking that none of its identifiers contains the separator. */
function scopePart(scope: Scope): string {
  keyPart('accountIdentifier', scope.accountIdentifier);
  if (scope.level !== 'account') keyPart('orgIdentifier', scope.orgIdentifier);
  if (scope.level === 'project') keyPart('projectIdentifier', scope.projectIdentifier);
  return scopePath(scope);
}

/** Joins key parts with the separator. */
function join(...parts: readonly string[]): string {
  return parts.join(SEPARATOR);
}

/** Partition key of the account partition, which holds every policy item of the account: `ACCOUNT#<accountId>`. */
export function accountPk(accountId: string): string {
  return join('ACCOUNT', keyPart('accountId', accountId));
}

/** Partition key of the account's change log: `ACCOUNT#<accountId>#CHANGES`. */
export function changeLogPk(accountId: string): string {
  return join(accountPk(accountId), 'CHANGES');
}

/**
 * The key `GET /health?deep=true` reads to see whether the store answers: `HEALTH`/`PROBE`, outside
 * every account partition; no item is ever written there.
 */
export const HEALTH_PROBE_KEY = { PK: 'HEALTH', SK: 'PROBE' } as const;

/** Sort key of the account item (in the account partition), which holds the account's version counter. */
export const ACCOUNT_META_SK = 'META';

/** Sort key of a scope item: `SCOPE#<scopePath>`. */
export function scopeSk(scope: Scope): string {
  return join('SCOPE', scopePart(scope));
}

/** Sort key of a custom role defined at `scope`: `ROLE#<scopePath>#<identifier>`. */
export function roleSk(scope: Scope, identifier: string): string {
  return join('ROLE', scopePart(scope), keyPart('role identifier', identifier));
}

/** Sort key of a custom resource group defined at `scope`: `RG#<scopePath>#<identifier>`. */
export function resourceGroupSk(scope: Scope, identifier: string): string {
  return join('RG', scopePart(scope), keyPart('resource group identifier', identifier));
}

/** Sort key of a role assignment made at `scope`: `RA#<scopePath>#<identifier>`. */
export function roleAssignmentSk(scope: Scope, identifier: string): string {
  return join('RA', scopePart(scope), keyPart('role assignment identifier', identifier));
}

/**
 * Sort key of the uniqueness guard of a role assignment: one item per (scope, role, resource group,
 * principal), so a second assignment with the same content fails its `attribute_not_exists` condition.
 * `RAKEY#<scopePath>#<roleId>#<rgId>#<principalType>#<principalScopeLevel or '-'>#<principalId>`.
 */
export function roleAssignmentUniqueSk(assignment: RoleAssignment): string {
  const { principal } = assignment;
  return join(
    'RAKEY',
    scopePart(assignment.scope),
    keyPart('roleIdentifier', assignment.roleIdentifier),
    keyPart('resourceGroupIdentifier', assignment.resourceGroupIdentifier),
    keyPart('principal type', principal.type),
    keyPart('principal scopeLevel', principal.scopeLevel ?? '-'),
    keyPart('principal identifier', principal.identifier),
  );
}

/** Sort key of a user group defined at `scope`: `UG#<scopePath>#<identifier>`. */
export function userGroupSk(scope: Scope, identifier: string): string {
  return join('UG', scopePart(scope), keyPart('user group identifier', identifier));
}

/**
 * Sort key of one member of one incarnation of a user group: `UGMEMBER#<incarnation>#<userId>`.
 * Incarnations are random and never reused, so the members of one incarnation form one key range
 * ({@link userGroupMembersPrefix}) whatever group they belong to.
 */
export function userGroupMemberSk(incarnation: string, userId: string): string {
  return join(userGroupMembersPrefix(incarnation).slice(0, -1), keyPart('userId', userId));
}

/** The sort-key prefix of every member of one user-group incarnation: `UGMEMBER#<incarnation>#`. */
export function userGroupMembersPrefix(incarnation: string): string {
  return `${join('UGMEMBER', keyPart('user group incarnation', incarnation))}${SEPARATOR}`;
}

/** The incarnation a {@link userGroupMembersPrefix} names, or `undefined` when `prefix` is not one. */
export function incarnationOfMembersPrefix(prefix: string): string | undefined {
  const match = /^UGMEMBER#([^#]+)#$/.exec(prefix);
  return match?.[1];
}

/** Sort key of a service account: `SA#<identifier>` (service-account identifiers are unique per account). */
export function serviceAccountSk(identifier: string): string {
  return join('SA', keyPart('service account identifier', identifier));
}

/** Sort key of a user of the account: `USER#<userId>`. */
export function userSk(userId: string): string {
  return join('USER', keyPart('userId', userId));
}

/** Sort key of a user's membership of a scope: `MEMBER#<userId>#<scopePath>`. */
export function membershipSk(userId: string, scope: Scope): string {
  return join('MEMBER', keyPart('userId', userId), scopePart(scope));
}

/** Sort key of an invite: `INVITE#<inviteId>` (invite ids are random and unique per account). */
export function inviteSk(inviteId: string): string {
  return join('INVITE', keyPart('inviteId', inviteId));
}

/** Sort key of the account's settings item (the seat limit `maxUsers`): `SETTINGS`. */
export const ACCOUNT_SETTINGS_SK = 'SETTINGS';

/**
 * Sort key of an API key: `APIKEY#<parentType>#<parentIdentifier>#<identifier>` (API-key identifiers
 * are unique per parent).
 */
export function apiKeySk(parentType: ApiKeyType, parentIdentifier: string, identifier: string): string {
  return join(
    'APIKEY',
    keyPart('API key parent type', parentType),
    keyPart('API key parent identifier', parentIdentifier),
    keyPart('API key identifier', identifier),
  );
}

/**
 * Sort key of a token: `TOKEN#<tokenId>`, keyed by the random id embedded in the token string (not
 * the user-facing identifier), so authentication finds it without any other lookup.
 */
export function tokenSk(tokenId: string): string {
  return join('TOKEN', keyPart('tokenId', tokenId));
}

/**
 * Sort key of a change-log entry: `CHANGE#<version zero-padded to 12 digits>`, so that the
 * lexicographic order of the keys is the numeric order of the versions.
 */
export function changeSk(version: number): string {
  if (!Number.isSafeInteger(version) || version < 0 || version > MAX_CHANGE_VERSION) {
    throw new Error(`Change version must be an integer between 0 and ${MAX_CHANGE_VERSION}: ${version}`);
  }
  return join('CHANGE', String(version).padStart(CHANGE_VERSION_DIGITS, '0'));
}

/**
 * Upper bound of the change-log sort keys: `~` sorts after every digit, so this sorts after every
 * {@link changeSk}. Use it as the upper end of `SK BETWEEN changeSk(v + 1) AND CHANGE_LOG_END_SK`.
 */
export const CHANGE_LOG_END_SK = 'CHANGE#~';

/**
 * GSI1 partition key of the role assignments of one principal (management lookups only):
 * `ACCOUNT#<accountId>#RA_BY_PRINCIPAL#<principalType>#<principalId>`.
 */
export function assignmentsByPrincipalGsi1Pk(
  accountId: string,
  principalType: AssignablePrincipalType,
  principalId: string,
): string {
  return join(
    accountPk(accountId),
    'RA_BY_PRINCIPAL',
    keyPart('principal type', principalType),
    keyPart('principal identifier', principalId),
  );
}

/** GSI1 partition key of the members of one scope (management lookups only): `ACCOUNT#<accountId>#MEMBERS#<scopePath>`. */
export function membersOfScopeGsi1Pk(accountId: string, scope: Scope): string {
  return join(accountPk(accountId), 'MEMBERS', scopePart(scope));
}

/**
 * GSI1 partition key of the invites waiting for the cleanup job, across all accounts (the job's only
 * way in; management reads never use it): `INVITE_DUE`.
 */
export const INVITES_DUE_GSI1PK = 'INVITE_DUE';

/** Digits of a zero-padded epoch-millisecond time in {@link inviteDueGsi1Sk}. */
const DUE_TIME_DIGITS = 15;

/** The zero-padded time prefix of {@link inviteDueGsi1Sk}, so the lexicographic order is the time order. */
export function dueTimeKey(dueAt: number): string {
  if (!Number.isSafeInteger(dueAt) || dueAt < 0 || dueAt >= 10 ** DUE_TIME_DIGITS) {
    throw new Error(`Due time must be an integer epoch-ms time: ${dueAt}`);
  }
  return String(dueAt).padStart(DUE_TIME_DIGITS, '0');
}

/**
 * GSI1 sort key of an invite under {@link INVITES_DUE_GSI1PK}: `<dueAt, 15 digits>#<accountId>#<inviteId>`,
 * where `dueAt` is when the cleanup job next has something to do with it.
 */
export function inviteDueGsi1Sk(dueAt: number, accountId: string, inviteId: string): string {
  return join(dueTimeKey(dueAt), keyPart('accountId', accountId), keyPart('inviteId', inviteId));
}

/**
 * Sort key of the record of a completed FirstGen migration of source account `sourceAccountId`:
 * `MIGRATION#<sourceAccountId>` (holds the hash of the plan last applied).
 */
export function migrationSk(sourceAccountId: string): string {
  return join('MIGRATION', keyPart('source account id', sourceAccountId));
}

/** Digits of the zero-padded epoch-millisecond time in an audit record's sort key. */
const AUDIT_TIME_DIGITS = 15;

/** The partition of an account's audit trail (kept apart from the policy partition, which caches read whole). */
export function auditPk(accountId: string): string {
  return join('AUDIT', keyPart('account id', accountId));
}

/** The sort key of an audit record: `AUDIT#<time, zero-padded ms>#<recordId>`, so a Query reads it in time order. */
export function auditSk(time: number, recordId: string): string {
  if (!Number.isSafeInteger(time) || time < 0)
    throw new Error(`Audit time must be a non-negative integer: ${time}`);
  return join('AUDIT', String(time).padStart(AUDIT_TIME_DIGITS, '0'), keyPart('audit record id', recordId));
}

/** The value of the `entity` attribute of each kind of item. */
export const ENTITY = {
  Account: 'Account',
  Scope: 'Scope',
  Role: 'Role',
  ResourceGroup: 'ResourceGroup',
  RoleAssignment: 'RoleAssignment',
  RoleAssignmentKey: 'RoleAssignmentKey',
  UserGroup: 'UserGroup',
  UserGroupMember: 'UserGroupMember',
  ServiceAccount: 'ServiceAccount',
  User: 'User',
  Membership: 'Membership',
  Invite: 'Invite',
  AccountSettings: 'AccountSettings',
  ApiKey: 'ApiKey',
  Token: 'Token',
  Change: 'Change',
  Migration: 'Migration',
  AuditRecord: 'AuditRecord',
} as const;

/** The `entity` attribute of an item. */
export type EntityName = (typeof ENTITY)[keyof typeof ENTITY];
