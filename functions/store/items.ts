import type { PolicyEntity } from '../core/policy-index.js';
import type { PolicySnapshot, ScopeMembership } from '../core/policy-snapshot.js';
import {
  ASSIGNABLE_PRINCIPAL_TYPES,
  type AssignablePrincipalType,
  type AssignmentPrincipal,
  type ServiceAccount,
  type UserGroup,
  type UserGroupHead,
  type UserGroupMember,
} from '../core/principal.js';
import type {
  AttributeFilter,
  CustomResourceGroup,
  ResourceFilter,
  ResourceSelector,
  ScopeFilter,
  ScopeSelector,
} from '../core/resource-group.js';
import type { CustomRole } from '../core/role.js';
import type { RoleAssignment } from '../core/role-assignment.js';
import {
  accountScope,
  organizationScope,
  parseScopePath,
  projectScope,
  SCOPE_LEVELS,
  type Scope,
  type ScopeLevel,
  scopePath,
} from '../core/scope.js';
import { API_KEY_TYPES, type ApiKeyType, tokenExpiry } from '../core/token.js';
import {
  accountPk,
  apiKeySk,
  assignmentsByPrincipalGsi1Pk,
  ENTITY,
  type EntityName,
  membershipSk,
  membersOfScopeGsi1Pk,
  resourceGroupSk,
  roleAssignmentSk,
  roleAssignmentUniqueSk,
  roleSk,
  scopeSk,
  serviceAccountSk,
  tokenSk,
  userGroupMemberSk,
  userGroupSk,
} from './keys.js';
import { decodeTags, encodeTags, type StoredTags } from './tag-codec.js';

/**
 * Mapping between domain objects and DynamoDB items (plain objects for the DocumentClient), see
 * `docs/data-model.md`.
 *
 * Every domain field is its own attribute (nested data as maps and lists, never JSON strings); a
 * scope is stored as the `scope` map plus its `scopePath` string. Optional domain fields are left
 * out when absent, so no item carries `undefined`. Reading ({@link snapshotFromItems}) rebuilds the
 * exact domain shapes and drops every store-only attribute (keys, `entity`, `version`, timestamps).
 */

/** An item of the table: any attributes plus the primary key and the `entity` discriminator. */
export type StoredItem = Record<string, unknown> & { PK: string; SK: string; entity: EntityName };

/** Bookkeeping attributes of a versioned entity item: creation and modification times and its version. */
export interface ItemMeta {
  readonly createdAt: number;
  readonly lastModifiedAt: number;
  readonly version: number;
}

/** Descriptive fields of a scope (account, organization or project) item. */
export interface ScopeDetails {
  readonly name: string;
  readonly description?: string;
  readonly tags?: Record<string, string>;
  /** A project's display colour, as the Harness UI sends it (e.g. `#0063F7`); kept and returned, never interpreted. */
  readonly color?: string;
  /** A project's Harness modules (`CD`, `CI`, …); kept and returned, never interpreted. */
  readonly modules?: readonly string[];
}

/** A service account with the fields the store keeps beyond the domain ones. */
export type StoredServiceAccount = ServiceAccount & {
  name: string;
  email: string;
  description?: string;
  tags?: Record<string, string>;
};

/**
 * An API key (reference §5.9): it belongs to a service account or a user (`apiKeyType`,
 * `parentIdentifier`) at `scope` and groups that parent's tokens. `defaultTimeToExpireToken` is in
 * milliseconds.
 */
export interface StoredApiKey {
  readonly identifier: string;
  readonly name: string;
  readonly description?: string;
  readonly tags?: Record<string, string>;
  readonly apiKeyType: ApiKeyType;
  readonly parentIdentifier: string;
  readonly scope: Scope;
  readonly defaultTimeToExpireToken?: number;
}

/**
 * A token of an API key (reference §5.9, §9). `tokenId` is the random id embedded in the token string
 * (and the item's key); `identifier` is the user-facing one. Only `secretHash`
 * (`hashTokenSecret` of the secret) is stored. Times are epoch milliseconds; the token is valid from
 * `validFrom` until `scheduledExpireTime` when set (a rotated token), else until `validTo`.
 */
export interface StoredToken {
  readonly tokenId: string;
  readonly identifier: string;
  readonly name: string;
  readonly apiKeyIdentifier: string;
  readonly apiKeyType: ApiKeyType;
  readonly parentIdentifier: string;
  readonly scope: Scope;
  readonly secretHash: string;
  readonly validFrom: number;
  readonly validTo: number;
  readonly scheduledExpireTime?: number;
  readonly description?: string;
  readonly tags?: Record<string, string>;
}

/**
 * How long after its effective expiry a token item may be removed by DynamoDB's TTL (a backstop that
 * keeps dead tokens from piling up; validity is always checked against the clock).
 */
export const TOKEN_RETENTION_AFTER_EXPIRY_SECONDS = 24 * 3600;

// ---------------------------------------------------------------------------------------------------
// Domain → item
// ---------------------------------------------------------------------------------------------------

/** A copy of a scope holding exactly the fields of its level. */
function plainScope(scope: Scope): Scope {
  switch (scope.level) {
    case 'account':
      return accountScope(scope.accountIdentifier);
    case 'organization':
      return organizationScope(scope.accountIdentifier, scope.orgIdentifier);
    case 'project':
      return projectScope(scope.accountIdentifier, scope.orgIdentifier, scope.projectIdentifier);
  }
}

/** Throws unless `scope` belongs to the account whose partition the item goes to. */
function checkAccount(accountId: string, scope: Scope, what: string): void {
  if (scope.accountIdentifier !== accountId) {
    throw new Error(`${what} at ${scopePath(scope)} does not belong to account ${JSON.stringify(accountId)}`);
  }
}

/** The `scope` and `scopePath` attributes of a scoped item. */
function scopeAttributes(scope: Scope): { scope: Scope; scopePath: string } {
  return { scope: plainScope(scope), scopePath: scopePath(scope) };
}

/** The bookkeeping attributes, copied from `meta`. */
function metaAttributes(meta: ItemMeta): ItemMeta {
  return { version: meta.version, createdAt: meta.createdAt, lastModifiedAt: meta.lastModifiedAt };
}

/** `{ [name]: value }` when `value` is defined, `{}` otherwise (optional attributes are omitted). */
function optional<K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [name]: value }) as { [P in K]?: V };
}

/** The stored form of a tag map (`tag-codec.ts`), or `undefined`. */
function copyTags(tags: Readonly<Record<string, string>> | undefined): StoredTags | undefined {
  return tags === undefined ? undefined : encodeTags(tags);
}

/** A copy of a resource selector without absent optional fields. */
function copyResourceSelector(selector: ResourceSelector): ResourceSelector {
  return {
    resourceType: selector.resourceType,
    ...optional('identifiers', selector.identifiers && [...selector.identifiers]),
    ...optional(
      'attributeFilter',
      selector.attributeFilter && {
        attributeName: selector.attributeFilter.attributeName,
        attributeValues: [...selector.attributeFilter.attributeValues],
      },
    ),
  };
}

/** A copy of a scope selector without an absent scope. */
function copyScopeSelector(selector: ScopeSelector): ScopeSelector {
  return { filter: selector.filter, ...optional('scope', selector.scope && plainScope(selector.scope)) };
}

/** A copy of an assignment principal without an absent scope level. */
function copyPrincipal(principal: AssignmentPrincipal): AssignmentPrincipal {
  return {
    type: principal.type,
    identifier: principal.identifier,
    ...optional('scopeLevel', principal.scopeLevel),
  };
}

/** The item of a custom role (SK `ROLE#<scopePath>#<identifier>`). */
export function customRoleItem(accountId: string, role: CustomRole, meta: ItemMeta): StoredItem {
  checkAccount(accountId, role.scope, `Role ${role.identifier}`);
  return {
    PK: accountPk(accountId),
    SK: roleSk(role.scope, role.identifier),
    entity: ENTITY.Role,
    ...scopeAttributes(role.scope),
    identifier: role.identifier,
    name: role.name,
    ...optional('description', role.description),
    ...optional('tags', copyTags(role.tags)),
    permissions: [...role.permissions],
    allowedScopeLevels: [...role.allowedScopeLevels],
    harnessManaged: false,
    ...metaAttributes(meta),
  };
}

/** The item of a custom resource group (SK `RG#<scopePath>#<identifier>`). */
export function customResourceGroupItem(
  accountId: string,
  group: CustomResourceGroup,
  meta: ItemMeta,
): StoredItem {
  checkAccount(accountId, group.scope, `Resource group ${group.identifier}`);
  return {
    PK: accountPk(accountId),
    SK: resourceGroupSk(group.scope, group.identifier),
    entity: ENTITY.ResourceGroup,
    ...scopeAttributes(group.scope),
    identifier: group.identifier,
    name: group.name,
    ...optional('description', group.description),
    ...optional('color', group.color),
    ...optional('tags', copyTags(group.tags)),
    allowedScopeLevels: [...group.allowedScopeLevels],
    includedScopes: group.includedScopes.map(copyScopeSelector),
    resourceFilter: {
      includeAllResources: group.resourceFilter.includeAllResources,
      resources: group.resourceFilter.resources.map(copyResourceSelector),
    },
    harnessManaged: false,
    ...metaAttributes(meta),
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

/**
 * The item of a user group (SK `UG#<scopePath>#<identifier>`): everything but its members, which are
 * items of their own ({@link userGroupMemberItem}) under the group's `incarnation`.
 */
export function userGroupItem(accountId: string, group: UserGroupHead, meta: ItemMeta): StoredItem {
  checkAccount(accountId, group.scope, `User group ${group.identifier}`);
  return {
    PK: accountPk(accountId),
    SK: userGroupSk(group.scope, group.identifier),
    entity: ENTITY.UserGroup,
    ...scopeAttributes(group.scope),
    identifier: group.identifier,
    name: group.name,
    incarnation: group.incarnation,
    ...optional('harnessManaged', group.harnessManaged),
    ...metaAttributes(meta),
  };
}

/**
 * The item of one member of one incarnation of a user group (SK `UGMEMBER#<incarnation>#<userId>`):
 * the group's `scopePath` and `identifier`, the `incarnation` and the `userId` — small (about 150
 * bytes), so a group's size never bounds an item. No version: a member item is only created or deleted.
 */
export function userGroupMemberItem(accountId: string, member: UserGroupMember): StoredItem {
  checkAccount(accountId, member.groupScope, `User group ${member.groupIdentifier}`);
  return {
    PK: accountPk(accountId),
    SK: userGroupMemberSk(member.incarnation, member.userId),
    entity: ENTITY.UserGroupMember,
    scopePath: scopePath(member.groupScope),
    identifier: member.groupIdentifier,
    incarnation: member.incarnation,
    userId: member.userId,
  };
}

/**
 * The items of a user group of the domain shape: its own item under `incarnation` and one member
 * item per distinct member (bulk loads, bootstrap and tests; API writes plan with `user-group-writes.ts`).
 */
export function userGroupItems(
  accountId: string,
  group: UserGroup,
  meta: ItemMeta,
  incarnation: string,
): StoredItem[] {
  const { users, ...head } = group;
  return [
    userGroupItem(accountId, { ...head, incarnation }, meta),
    ...[...new Set(users)].map((userId) =>
      userGroupMemberItem(accountId, {
        groupScope: group.scope,
        groupIdentifier: group.identifier,
        incarnation,
        userId,
      }),
    ),
  ];
}

/** The item of a service account (SK `SA#<identifier>`). */
export function serviceAccountItem(accountId: string, sa: StoredServiceAccount, meta: ItemMeta): StoredItem {
  checkAccount(accountId, sa.scope, `Service account ${sa.identifier}`);
  return {
    PK: accountPk(accountId),
    SK: serviceAccountSk(sa.identifier),
    entity: ENTITY.ServiceAccount,
    ...scopeAttributes(sa.scope),
    identifier: sa.identifier,
    name: sa.name,
    email: sa.email,
    ...optional('description', sa.description),
    ...optional('tags', copyTags(sa.tags)),
    ...metaAttributes(meta),
  };
}

/** Throws unless `value` is a finite number (a time or duration in milliseconds). */
function checkTime(what: string, value: number | undefined): void {
  if (value !== undefined && !Number.isFinite(value)) throw new Error(`${what} must be a finite number`);
}

/** The item of an API key (SK `APIKEY#<apiKeyType>#<parentIdentifier>#<identifier>`). */
export function apiKeyItem(accountId: string, apiKey: StoredApiKey, meta: ItemMeta): StoredItem {
  checkAccount(accountId, apiKey.scope, `API key ${apiKey.identifier}`);
  checkTime('defaultTimeToExpireToken', apiKey.defaultTimeToExpireToken);
  return {
    PK: accountPk(accountId),
    SK: apiKeySk(apiKey.apiKeyType, apiKey.parentIdentifier, apiKey.identifier),
    entity: ENTITY.ApiKey,
    ...scopeAttributes(apiKey.scope),
    identifier: apiKey.identifier,
    name: apiKey.name,
    ...optional('description', apiKey.description),
    ...optional('tags', copyTags(apiKey.tags)),
    apiKeyType: apiKey.apiKeyType,
    parentIdentifier: apiKey.parentIdentifier,
    ...optional('defaultTimeToExpireToken', apiKey.defaultTimeToExpireToken),
    ...metaAttributes(meta),
  };
}

/**
 * The item of a token (SK `TOKEN#<tokenId>`). It carries the TTL attribute `expiresAt`: the token's
 * effective expiry in epoch seconds plus {@link TOKEN_RETENTION_AFTER_EXPIRY_SECONDS}. That is a
 * backstop only; authentication checks validity against the clock and never relies on the TTL.
 */
export function tokenItem(accountId: string, token: StoredToken, meta: ItemMeta): StoredItem {
  checkAccount(accountId, token.scope, `Token ${token.identifier}`);
  checkTime('validFrom', token.validFrom);
  checkTime('validTo', token.validTo);
  checkTime('scheduledExpireTime', token.scheduledExpireTime);
  return {
    PK: accountPk(accountId),
    SK: tokenSk(token.tokenId),
    entity: ENTITY.Token,
    ...scopeAttributes(token.scope),
    tokenId: token.tokenId,
    identifier: token.identifier,
    name: token.name,
    ...optional('description', token.description),
    ...optional('tags', copyTags(token.tags)),
    apiKeyIdentifier: token.apiKeyIdentifier,
    apiKeyType: token.apiKeyType,
    parentIdentifier: token.parentIdentifier,
    secretHash: token.secretHash,
    validFrom: token.validFrom,
    validTo: token.validTo,
    ...optional('scheduledExpireTime', token.scheduledExpireTime),
    expiresAt: Math.floor(tokenExpiry(token) / 1000) + TOKEN_RETENTION_AFTER_EXPIRY_SECONDS,
    ...metaAttributes(meta),
  };
}

/**
 * The item of a user's membership of a scope (SK `MEMBER#<userId>#<scopePath>`), indexed in GSI1
 * under the scope (`GSI1SK = <userId>`) for management lookups.
 */
export function membershipItem(accountId: string, userId: string, scope: Scope, meta: ItemMeta): StoredItem {
  checkAccount(accountId, scope, `Membership of ${userId}`);
  return {
    PK: accountPk(accountId),
    SK: membershipSk(userId, scope),
    entity: ENTITY.Membership,
    GSI1PK: membersOfScopeGsi1Pk(accountId, scope),
    GSI1SK: userId,
    userId,
    ...scopeAttributes(scope),
    ...metaAttributes(meta),
  };
}

/** The item of a scope: the account, an organization or a project (SK `SCOPE#<scopePath>`). */
export function scopeItem(
  accountId: string,
  scope: Scope,
  details: ScopeDetails,
  meta: ItemMeta,
): StoredItem {
  checkAccount(accountId, scope, 'Scope');
  return {
    PK: accountPk(accountId),
    SK: scopeSk(scope),
    entity: ENTITY.Scope,
    ...scopeAttributes(scope),
    name: details.name,
    ...optional('description', details.description),
    ...optional('tags', copyTags(details.tags)),
    ...optional('color', details.color),
    ...optional('modules', details.modules === undefined ? undefined : [...details.modules]),
    ...metaAttributes(meta),
  };
}

// ---------------------------------------------------------------------------------------------------
// Items → snapshot
// ---------------------------------------------------------------------------------------------------

/** Reads attributes of one item, throwing an error that names the item when one is malformed. */
class ItemReader {
  constructor(private readonly item: Record<string, unknown>) {}

  fail(message: string): never {
    throw new Error(
      `Malformed ${String(this.item.entity)} item PK=${String(this.item.PK)} SK=${String(this.item.SK)}: ${message}`,
    );
  }

  string(name: string, value: unknown = this.item[name]): string {
    if (typeof value !== 'string') this.fail(`${name} is not a string`);
    return value;
  }

  optionalString(name: string, value: unknown = this.item[name]): string | undefined {
    return value === undefined ? undefined : this.string(name, value);
  }

  boolean(name: string, value: unknown = this.item[name]): boolean {
    if (typeof value !== 'boolean') this.fail(`${name} is not a boolean`);
    return value;
  }

  optionalBoolean(name: string, value: unknown = this.item[name]): boolean | undefined {
    return value === undefined ? undefined : this.boolean(name, value);
  }

  number(name: string, value: unknown = this.item[name]): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(`${name} is not a finite number`);
    return value;
  }

  optionalNumber(name: string, value: unknown = this.item[name]): number | undefined {
    return value === undefined ? undefined : this.number(name, value);
  }

  map(name: string, value: unknown = this.item[name]): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      this.fail(`${name} is not a map`);
    return value as Record<string, unknown>;
  }

  list(name: string, value: unknown = this.item[name]): readonly unknown[] {
    if (!Array.isArray(value)) this.fail(`${name} is not a list`);
    return value;
  }

  strings(name: string, value: unknown = this.item[name]): string[] {
    return this.list(name, value).map((entry, index) => this.string(`${name}[${index}]`, entry));
  }

  optionalStrings(name: string, value: unknown = this.item[name]): string[] | undefined {
    return value === undefined ? undefined : this.strings(name, value);
  }

  tags(name: string, value: unknown = this.item[name]): Record<string, string> | undefined {
    if (value === undefined) return undefined;
    const decoded = decodeTags(value);
    if ('problem' in decoded) this.fail(decoded.problem);
    return decoded.tags;
  }

  scopeLevel(name: string, value: unknown = this.item[name]): ScopeLevel {
    const level = this.string(name, value);
    if (!(SCOPE_LEVELS as readonly string[]).includes(level)) this.fail(`${name} is not a scope level`);
    return level as ScopeLevel;
  }

  scopeLevels(name: string, value: unknown = this.item[name]): ScopeLevel[] {
    return this.list(name, value).map((entry, index) => this.scopeLevel(`${name}[${index}]`, entry));
  }

  scope(name: string, value: unknown = this.item[name]): Scope {
    const raw = this.map(name, value);
    const level = this.scopeLevel(`${name}.level`, raw.level);
    const account = this.string(`${name}.accountIdentifier`, raw.accountIdentifier);
    if (level === 'account') return accountScope(account);
    const org = this.string(`${name}.orgIdentifier`, raw.orgIdentifier);
    if (level === 'organization') return organizationScope(account, org);
    return projectScope(account, org, this.string(`${name}.projectIdentifier`, raw.projectIdentifier));
  }

  principal(name: string, value: unknown = this.item[name]): AssignmentPrincipal {
    const raw = this.map(name, value);
    const type = this.string(`${name}.type`, raw.type);
    if (!(ASSIGNABLE_PRINCIPAL_TYPES as readonly string[]).includes(type)) {
      this.fail(`${name}.type is not an assignable principal type`);
    }
    const scopeLevel =
      raw.scopeLevel === undefined ? undefined : this.scopeLevel(`${name}.scopeLevel`, raw.scopeLevel);
    return {
      type: type as AssignablePrincipalType,
      identifier: this.string(`${name}.identifier`, raw.identifier),
      ...optional('scopeLevel', scopeLevel),
    };
  }

  scopeSelector(name: string, value: unknown): ScopeSelector {
    const raw = this.map(name, value);
    const filter = this.string(`${name}.filter`, raw.filter);
    if (filter !== 'INCLUDING_CHILD_SCOPES' && filter !== 'EXCLUDING_CHILD_SCOPES') {
      this.fail(`${name}.filter is not a scope filter`);
    }
    const scope = raw.scope === undefined ? undefined : this.scope(`${name}.scope`, raw.scope);
    return { filter: filter as ScopeFilter, ...optional('scope', scope) };
  }

  attributeFilter(name: string, value: unknown): AttributeFilter | undefined {
    if (value === undefined) return undefined;
    const raw = this.map(name, value);
    return {
      attributeName: this.string(`${name}.attributeName`, raw.attributeName),
      attributeValues: this.strings(`${name}.attributeValues`, raw.attributeValues),
    };
  }

  resourceSelector(name: string, value: unknown): ResourceSelector {
    const raw = this.map(name, value);
    return {
      resourceType: this.string(`${name}.resourceType`, raw.resourceType),
      ...optional('identifiers', this.optionalStrings(`${name}.identifiers`, raw.identifiers)),
      ...optional('attributeFilter', this.attributeFilter(`${name}.attributeFilter`, raw.attributeFilter)),
    };
  }

  resourceFilter(name: string, value: unknown = this.item[name]): ResourceFilter {
    const raw = this.map(name, value);
    return {
      includeAllResources: this.boolean(`${name}.includeAllResources`, raw.includeAllResources),
      resources: this.list(`${name}.resources`, raw.resources).map((entry, index) =>
        this.resourceSelector(`${name}.resources[${index}]`, entry),
      ),
    };
  }

  /** The item's `scope`, which must belong to `accountId`. */
  ownScope(accountId: string): Scope {
    const scope = this.scope('scope');
    if (scope.accountIdentifier !== accountId) this.fail(`scope belongs to another account`);
    return scope;
  }
}

function customRoleFromItem(reader: ItemReader, accountId: string): CustomRole {
  return {
    identifier: reader.string('identifier'),
    name: reader.string('name'),
    ...optional('description', reader.optionalString('description')),
    ...optional('tags', reader.tags('tags')),
    permissions: reader.strings('permissions'),
    allowedScopeLevels: reader.scopeLevels('allowedScopeLevels'),
    harnessManaged: false,
    scope: reader.ownScope(accountId),
  };
}

function customResourceGroupFromItem(reader: ItemReader, accountId: string): CustomResourceGroup {
  return {
    identifier: reader.string('identifier'),
    name: reader.string('name'),
    ...optional('description', reader.optionalString('description')),
    ...optional('color', reader.optionalString('color')),
    ...optional('tags', reader.tags('tags')),
    allowedScopeLevels: reader.scopeLevels('allowedScopeLevels'),
    includedScopes: reader
      .list('includedScopes')
      .map((entry, index) => reader.scopeSelector(`includedScopes[${index}]`, entry)),
    resourceFilter: reader.resourceFilter('resourceFilter'),
    harnessManaged: false,
    scope: reader.ownScope(accountId),
  };
}

function roleAssignmentFromItem(reader: ItemReader, accountId: string): RoleAssignment {
  return {
    identifier: reader.string('identifier'),
    scope: reader.ownScope(accountId),
    roleIdentifier: reader.string('roleIdentifier'),
    resourceGroupIdentifier: reader.string('resourceGroupIdentifier'),
    principal: reader.principal('principal'),
    disabled: reader.boolean('disabled'),
    managed: reader.boolean('managed'),
  };
}

function userGroupFromItem(reader: ItemReader, accountId: string): UserGroupHead {
  return {
    identifier: reader.string('identifier'),
    scope: reader.ownScope(accountId),
    name: reader.string('name'),
    incarnation: reader.string('incarnation'),
    ...optional('harnessManaged', reader.optionalBoolean('harnessManaged')),
  };
}

function userGroupMemberFromItem(reader: ItemReader, accountId: string): UserGroupMember {
  const groupScope = parseScopePath(reader.string('scopePath'));
  if (!groupScope) reader.fail('scopePath is not a scope path');
  if (groupScope.accountIdentifier !== accountId) reader.fail('scope belongs to another account');
  const member: UserGroupMember = {
    groupScope,
    groupIdentifier: reader.string('identifier'),
    incarnation: reader.string('incarnation'),
    userId: reader.string('userId'),
  };
  if (reader.string('SK') !== userGroupMemberSk(member.incarnation, member.userId))
    reader.fail('SK does not match incarnation and userId');
  return member;
}

function serviceAccountFromItem(reader: ItemReader, accountId: string): ServiceAccount {
  return { identifier: reader.string('identifier'), scope: reader.ownScope(accountId) };
}

function membershipFromItem(reader: ItemReader, accountId: string): ScopeMembership {
  return { userId: reader.string('userId'), scope: reader.ownScope(accountId) };
}

/**
 * The token of a `Token` item (see {@link tokenItem}), without keys, `entity`, `expiresAt` or
 * bookkeeping. Throws when the item is not a token item or is malformed.
 */
export function tokenFromItem(item: Record<string, unknown>): StoredToken {
  const reader = new ItemReader(item);
  if (item.entity !== ENTITY.Token) reader.fail('not a Token item');
  const apiKeyType = reader.string('apiKeyType');
  if (!(API_KEY_TYPES as readonly string[]).includes(apiKeyType))
    reader.fail('apiKeyType is not an API key type');
  return {
    tokenId: reader.string('tokenId'),
    identifier: reader.string('identifier'),
    name: reader.string('name'),
    ...optional('description', reader.optionalString('description')),
    ...optional('tags', reader.tags('tags')),
    apiKeyIdentifier: reader.string('apiKeyIdentifier'),
    apiKeyType: apiKeyType as ApiKeyType,
    parentIdentifier: reader.string('parentIdentifier'),
    scope: reader.scope('scope'),
    secretHash: reader.string('secretHash'),
    validFrom: reader.number('validFrom'),
    validTo: reader.number('validTo'),
    ...optional('scheduledExpireTime', reader.optionalNumber('scheduledExpireTime')),
  };
}

/**
 * The policy entity an item of the account partition holds — a custom role or resource group, a
 * role assignment, a user group, a service account or a scope membership — or `undefined` for items
 * that carry no policy (the account item, scopes, assignment guards, users, invites, API keys, tokens,
 * unknown entities). The entity has exactly its domain shape (no keys, `entity` or bookkeeping).
 *
 * Throws when the item is malformed or lies in another account.
 */
export function policyEntityOfItem(
  accountId: string,
  item: Record<string, unknown>,
): PolicyEntity | undefined {
  const reader = new ItemReader(item);
  switch (item.entity) {
    case ENTITY.Role:
      return { kind: 'customRole', value: customRoleFromItem(reader, accountId) };
    case ENTITY.ResourceGroup:
      return { kind: 'customResourceGroup', value: customResourceGroupFromItem(reader, accountId) };
    case ENTITY.RoleAssignment:
      return { kind: 'roleAssignment', value: roleAssignmentFromItem(reader, accountId) };
    case ENTITY.UserGroup:
      return { kind: 'userGroup', value: userGroupFromItem(reader, accountId) };
    case ENTITY.UserGroupMember:
      return { kind: 'userGroupMember', value: userGroupMemberFromItem(reader, accountId) };
    case ENTITY.ServiceAccount:
      return { kind: 'serviceAccount', value: serviceAccountFromItem(reader, accountId) };
    case ENTITY.Membership:
      return { kind: 'scopeMembership', value: membershipFromItem(reader, accountId) };
    default:
      return undefined;
  }
}

/**
 * Builds the policy snapshot of an account from the items of its partition (in any order; the
 * snapshot keeps the order given), with {@link policyEntityOfItem}. The returned objects have exactly
 * the domain shapes: no keys, `entity`, `version` or timestamps.
 *
 * Throws when an item of a read entity is malformed or lies in another account.
 */
export function snapshotFromItems(
  accountId: string,
  items: readonly Record<string, unknown>[],
): PolicySnapshot {
  const customRoles: CustomRole[] = [];
  const customResourceGroups: CustomResourceGroup[] = [];
  const roleAssignments: RoleAssignment[] = [];
  const userGroups: UserGroupHead[] = [];
  const members = new Map<string, string[]>();
  const serviceAccounts: ServiceAccount[] = [];
  const scopeMemberships: ScopeMembership[] = [];
  for (const item of items) {
    const entity = policyEntityOfItem(accountId, item);
    if (entity?.kind === 'customRole') customRoles.push(entity.value);
    else if (entity?.kind === 'customResourceGroup') customResourceGroups.push(entity.value);
    else if (entity?.kind === 'roleAssignment') roleAssignments.push(entity.value);
    else if (entity?.kind === 'userGroup') userGroups.push(entity.value);
    else if (entity?.kind === 'userGroupMember') {
      const list = members.get(entity.value.incarnation) ?? [];
      list.push(entity.value.userId);
      members.set(entity.value.incarnation, list);
    } else if (entity?.kind === 'serviceAccount') serviceAccounts.push(entity.value);
    else if (entity?.kind === 'scopeMembership') scopeMemberships.push(entity.value);
  }
  return {
    accountIdentifier: accountId,
    customRoles,
    customResourceGroups,
    roleAssignments,
    userGroups: userGroups.map(({ incarnation, ...group }) => ({
      ...group,
      users: members.get(incarnation) ?? [],
    })),
    serviceAccounts,
    scopeMemberships,
  };
}
