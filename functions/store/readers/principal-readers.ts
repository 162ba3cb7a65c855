import type { AssignablePrincipalType, UserGroup } from '../../core/principal.js';
import type { RoleAssignment } from '../../core/role-assignment.js';
import { parseScopePath, type Scope } from '../../core/scope.js';
import { API_KEY_TYPES, type ApiKeyType } from '../../core/token.js';
import { entityKey, gsi1Key, itemsFiled } from '../indexed-items.js';
import {
  type ItemMeta,
  type StoredApiKey,
  type StoredServiceAccount,
  type StoredToken,
  snapshotFromItems,
  tokenFromItem,
} from '../items.js';
import { assignmentsByPrincipalGsi1Pk, ENTITY } from '../keys.js';
import { decodeTags } from '../tag-codec.js';

/**
 * Item → domain readers for the principal management endpoints (user groups, service accounts, API
 * keys, tokens). They read the full stored records, including the descriptive fields and the
 * bookkeeping (`version`, timestamps) that `snapshotFromItems` drops, from the items the policy cache
 * already holds: management reads need no extra DynamoDB round trip. A malformed item throws an error
 * naming it (a 500 for the request, never a guess).
 */

/** A stored record with the bookkeeping of its item (needed for optimistic `replace`). */
export interface Versioned<T> {
  readonly value: T;
  readonly meta: ItemMeta;
}

/** A user group with the descriptive fields the API shows beside the domain ones. */
export type StoredUserGroup = UserGroup & {
  readonly description?: string;
  readonly tags?: Record<string, string>;
  /** Harness's SSO-link and SCIM fields, kept as given and returned; nothing here syncs from an SSO provider. */
  readonly sso?: UserGroupSsoFields;
};

/** A stored user group without its members. */
export type StoredUserGroupHead = Omit<StoredUserGroup, 'users'>;

/** A stored user group's own item: the group without members, its bookkeeping and its incarnation. */
export interface StoredUserGroupHeadRecord extends Versioned<StoredUserGroupHead> {
  readonly incarnation: string;
}

/** A stored user group with its members, bookkeeping and the incarnation its members are stored under. */
export interface StoredUserGroupRecord extends Versioned<StoredUserGroup> {
  readonly incarnation: string;
}

/** What reading a group needs of the account's state: its identity and the member index. */
export interface GroupMemberSource {
  readonly accountId: string;
  readonly evaluator: {
    readonly index: {
      membersOfIncarnation(incarnation: string): string[];
      hasMember(incarnation: string, userId: string): boolean;
    };
  };
}

/** The SSO-link fields of a Harness `UserGroup` (stored and echoed, never acted upon). */
export interface UserGroupSsoFields {
  readonly externallyManaged?: boolean;
  readonly ssoLinked?: boolean;
  readonly linkedSsoId?: string;
  readonly linkedSsoType?: string;
  readonly linkedSsoDisplayName?: string;
  readonly ssoGroupId?: string;
  readonly ssoGroupName?: string;
}

const SSO_FLAGS = ['externallyManaged', 'ssoLinked'] as const;
const SSO_TEXTS = [
  'linkedSsoId',
  'linkedSsoType',
  'linkedSsoDisplayName',
  'ssoGroupId',
  'ssoGroupName',
] as const;

function ssoOf(item: Record<string, unknown>): UserGroupSsoFields | undefined {
  const value = item.sso;
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(item, 'sso is not a map');
  const raw = value as Record<string, unknown>;
  const sso: Record<string, string | boolean> = {};
  for (const name of SSO_FLAGS) {
    if (raw[name] === undefined) continue;
    if (typeof raw[name] !== 'boolean') fail(item, `sso.${name} is not a boolean`);
    sso[name] = raw[name];
  }
  for (const name of SSO_TEXTS) {
    if (raw[name] === undefined) continue;
    if (typeof raw[name] !== 'string') fail(item, `sso.${name} is not a string`);
    sso[name] = raw[name];
  }
  return sso as UserGroupSsoFields;
}

function fail(item: Record<string, unknown>, message: string): never {
  throw new Error(`Malformed ${String(item.entity)} item SK=${String(item.SK)}: ${message}`);
}

function stringOf(item: Record<string, unknown>, name: string): string {
  const value = item[name];
  if (typeof value !== 'string') fail(item, `${name} is not a string`);
  return value;
}

function optionalStringOf(item: Record<string, unknown>, name: string): string | undefined {
  return item[name] === undefined ? undefined : stringOf(item, name);
}

function numberOf(item: Record<string, unknown>, name: string): number {
  const value = item[name];
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(item, `${name} is not a finite number`);
  return value;
}

function tagsOf(item: Record<string, unknown>): Record<string, string> | undefined {
  if (item.tags === undefined) return undefined;
  const decoded = decodeTags(item.tags);
  if ('problem' in decoded) fail(item, decoded.problem);
  return decoded.tags;
}

/** The item's scope (from its `scopePath`), which must belong to `accountId`. */
function scopeOf(item: Record<string, unknown>, accountId: string): Scope {
  const scope = parseScopePath(stringOf(item, 'scopePath'));
  if (!scope) fail(item, 'scopePath is not a scope path');
  if (scope.accountIdentifier !== accountId) fail(item, 'scope belongs to another account');
  return scope;
}

function expectEntity(item: Record<string, unknown>, entity: string): void {
  if (item.entity !== entity) fail(item, `not a ${entity} item`);
}

/** `{ [name]: value }` when `value` is defined, `{}` otherwise. */
function optional<K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [name]: value }) as { [P in K]?: V };
}

/** The bookkeeping attributes (`version`, `createdAt`, `lastModifiedAt`) of a versioned item. */
export function itemMetaOf(item: Record<string, unknown>): ItemMeta {
  return {
    version: numberOf(item, 'version'),
    createdAt: numberOf(item, 'createdAt'),
    lastModifiedAt: numberOf(item, 'lastModifiedAt'),
  };
}

/**
 * The user group of a `UserGroup` item (SK `UG#…`) without its members: its `description`, `tags`
 * and SSO fields when the item carries them, its incarnation and the item's bookkeeping. O(1),
 * whatever the group's size.
 */
export function userGroupHeadFromItem(
  accountId: string,
  item: Record<string, unknown>,
): StoredUserGroupHeadRecord {
  expectEntity(item, ENTITY.UserGroup);
  const harnessManaged = item.harnessManaged;
  if (harnessManaged !== undefined && typeof harnessManaged !== 'boolean')
    fail(item, 'harnessManaged is not a boolean');
  return {
    value: {
      identifier: stringOf(item, 'identifier'),
      scope: scopeOf(item, accountId),
      name: stringOf(item, 'name'),
      ...optional('description', optionalStringOf(item, 'description')),
      ...optional('tags', tagsOf(item)),
      ...optional('harnessManaged', harnessManaged),
      ...optional('sso', ssoOf(item)),
    },
    meta: itemMetaOf(item),
    incarnation: stringOf(item, 'incarnation'),
  };
}

/**
 * The user group of a `UserGroup` item with its members: those stored under its incarnation, sorted,
 * from the account's member index (O(members)).
 */
export function userGroupFromItem(
  policy: GroupMemberSource,
  item: Record<string, unknown>,
): StoredUserGroupRecord {
  const head = userGroupHeadFromItem(policy.accountId, item);
  const users = policy.evaluator.index.membersOfIncarnation(head.incarnation).sort();
  return { ...head, value: { ...head.value, users } };
}

/** Whether the group of a `UserGroup` item has `userId` among its current members (O(1)). */
export function userGroupItemHasMember(
  policy: GroupMemberSource,
  item: Record<string, unknown>,
  userId: string,
): boolean {
  return typeof item.incarnation === 'string' && policy.evaluator.index.hasMember(item.incarnation, userId);
}

/** The full service account of a `ServiceAccount` item (SK `SA#<identifier>`) and its bookkeeping. */
export function serviceAccountFromItem(
  accountId: string,
  item: Record<string, unknown>,
): Versioned<StoredServiceAccount> {
  expectEntity(item, ENTITY.ServiceAccount);
  return {
    value: {
      identifier: stringOf(item, 'identifier'),
      scope: scopeOf(item, accountId),
      name: stringOf(item, 'name'),
      email: stringOf(item, 'email'),
      ...optional('description', optionalStringOf(item, 'description')),
      ...optional('tags', tagsOf(item)),
    },
    meta: itemMetaOf(item),
  };
}

/** The API key of an `ApiKey` item (SK `APIKEY#…`) and its bookkeeping. */
export function apiKeyFromItem(accountId: string, item: Record<string, unknown>): Versioned<StoredApiKey> {
  expectEntity(item, ENTITY.ApiKey);
  const apiKeyType = stringOf(item, 'apiKeyType');
  if (!(API_KEY_TYPES as readonly string[]).includes(apiKeyType)) fail(item, 'apiKeyType is not a key type');
  const ttl = item.defaultTimeToExpireToken;
  return {
    value: {
      identifier: stringOf(item, 'identifier'),
      name: stringOf(item, 'name'),
      ...optional('description', optionalStringOf(item, 'description')),
      ...optional('tags', tagsOf(item)),
      apiKeyType: apiKeyType as ApiKeyType,
      parentIdentifier: stringOf(item, 'parentIdentifier'),
      scope: scopeOf(item, accountId),
      ...optional(
        'defaultTimeToExpireToken',
        ttl === undefined ? undefined : numberOf(item, 'defaultTimeToExpireToken'),
      ),
    },
    meta: itemMetaOf(item),
  };
}

/** The token of a `Token` item (SK `TOKEN#<tokenId>`) and its bookkeeping. */
export function tokenRecordFromItem(item: Record<string, unknown>): Versioned<StoredToken> {
  return { value: tokenFromItem(item), meta: itemMetaOf(item) };
}

/** Every item of `entity` among `items` (the account partition by sort key). */
export function itemsOfEntity(
  items: ReadonlyMap<string, Record<string, unknown>>,
  entity: string,
): Record<string, unknown>[] {
  return itemsFiled(items, entityKey(entity), (item) => item.entity === entity);
}

/** Every role assignment of a principal (`type`, `identifier`), at any scope, enabled or not. */
export function roleAssignmentsOfPrincipal(
  accountId: string,
  items: ReadonlyMap<string, Record<string, unknown>>,
  type: AssignablePrincipalType,
  identifier: string,
): RoleAssignment[] {
  const partition = assignmentsByPrincipalGsi1Pk(accountId, type, identifier);
  const found = itemsFiled(
    items,
    gsi1Key(partition),
    (item) => item.entity === ENTITY.RoleAssignment && item.GSI1PK === partition,
  ).filter((item) => item.entity === ENTITY.RoleAssignment);
  return [...snapshotFromItems(accountId, found).roleAssignments];
}
