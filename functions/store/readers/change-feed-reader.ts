import { paginateQuery } from '@aws-sdk/lib-dynamodb';
import { accountScope, parentScope, parseScopePath, type Scope } from '../../core/scope.js';
import { CHANGE_RETENTION_SECONDS, type ChangeLogTarget } from '../change-log.js';
import { CHANGE_LOG_END_SK, changeLogPk, changeSk } from '../keys.js';

/** What happened to one entity in a change. */
export type ChangeOperation = 'CREATE' | 'UPDATE' | 'DELETE';

/** One entity a change wrote or deleted: what it is and where, never its content. */
export interface ChangedEntity {
  readonly operation: ChangeOperation;
  /** e.g. `ROLE`, `ROLE_ASSIGNMENT`, `USER_GROUP`, `TOKEN`, `ORGANIZATION`. */
  readonly entityType: string;
  readonly identifier: string;
  /** The scope the entity lives in (an organization's is its account, a project's its organization). */
  readonly scope: Scope;
}

/** One committed version of an account's change log. */
export interface ChangeFeedEntry {
  readonly version: number;
  /** When it was committed (epoch ms). */
  readonly changedAt: number;
  /** A bulk load (e.g. `migrate apply`) wrote items outside the log: a consumer must resync. */
  readonly fullReload: boolean;
  readonly entities: readonly ChangedEntity[];
}

/** A page of the change log after a version. */
export interface ChangeFeedPage {
  readonly entries: readonly ChangeFeedEntry[];
  /** True when versions after the last entry exist. */
  readonly hasMore: boolean;
}

/** The entity type and account-relative place of each sort-key prefix that names an entity. */
const SCOPED_PREFIXES: Readonly<Record<string, string>> = {
  ROLE: 'ROLE',
  RG: 'RESOURCE_GROUP',
  RA: 'ROLE_ASSIGNMENT',
  UG: 'USER_GROUP',
};
const ACCOUNT_PREFIXES: Readonly<Record<string, string>> = {
  SA: 'SERVICE_ACCOUNT',
  USER: 'USER',
  INVITE: 'INVITE',
  TOKEN: 'TOKEN',
};
/** Sort keys that are bookkeeping, not entities (the assignment uniqueness marker, the account's META). */
const INTERNAL_PREFIXES = new Set(['RAKEY', 'META']);

/**
 * The entity an account-partition sort key names (e.g. `ROLE#/ACCOUNT/a/ORGANIZATION/o#admin` → a
 * `ROLE` `admin` in organization `o`), or `undefined` for bookkeeping keys. Only key parts are read,
 * so nothing of the item's content (hashes, secrets) can leak.
 */
export function entityOfSk(accountId: string, sk: string): Omit<ChangedEntity, 'operation'> | undefined {
  const [prefix = '', ...parts] = sk.split('#');
  if (INTERNAL_PREFIXES.has(prefix)) return undefined;
  const account = accountScope(accountId);
  const scopedType = SCOPED_PREFIXES[prefix];
  if (scopedType && parts.length === 2) {
    const scope = parseScopePath(parts[0] ?? '');
    if (scope) return { entityType: scopedType, identifier: parts[1] ?? '', scope };
  }
  const accountType = ACCOUNT_PREFIXES[prefix];
  if (accountType && parts.length === 1)
    return { entityType: accountType, identifier: parts[0] ?? '', scope: account };
  if (prefix === 'SCOPE' && parts.length === 1) {
    const scope = parseScopePath(parts[0] ?? '');
    if (scope?.level === 'organization') {
      return {
        entityType: 'ORGANIZATION',
        identifier: scope.orgIdentifier,
        scope: parentScope(scope) ?? account,
      };
    }
    if (scope?.level === 'project') {
      return {
        entityType: 'PROJECT',
        identifier: scope.projectIdentifier,
        scope: parentScope(scope) ?? account,
      };
    }
  }
  if (prefix === 'APIKEY' && parts.length === 3) {
    return { entityType: 'API_KEY', identifier: parts[2] ?? '', scope: account };
  }
  if (prefix === 'MEMBER' && parts.length === 2) {
    const scope = parseScopePath(parts[1] ?? '');
    if (scope) return { entityType: 'SCOPE_MEMBERSHIP', identifier: parts[0] ?? '', scope };
  }
  if (prefix === 'UGMEMBER' && parts.length === 2) {
    // A member item's key names its user (and the group's incarnation, not the group): the user's group memberships changed.
    return { entityType: 'USER_GROUP_MEMBER', identifier: parts[1] ?? '', scope: account };
  }
  if (prefix === 'SETTINGS') return { entityType: 'ACCOUNT_SETTINGS', identifier: accountId, scope: account };
  return { entityType: prefix, identifier: parts.join('#'), scope: account };
}

function entriesOf(accountId: string, item: Record<string, unknown>): ChangeFeedEntry {
  const puts = (item.puts as Record<string, unknown>[] | undefined) ?? [];
  const deletes = (item.deletes as string[] | undefined) ?? [];
  const entities: ChangedEntity[] = [];
  for (const put of puts) {
    const entity = entityOfSk(accountId, String(put.SK));
    if (entity) entities.push({ operation: put.version === 1 ? 'CREATE' : 'UPDATE', ...entity });
  }
  for (const sk of (item.putKeys as string[] | undefined) ?? []) {
    const entity = entityOfSk(accountId, sk);
    if (entity) entities.push({ operation: 'UPDATE', ...entity });
  }
  for (const sk of deletes) {
    const entity = entityOfSk(accountId, sk);
    if (entity) entities.push({ operation: 'DELETE', ...entity });
  }
  const changedAt =
    typeof item.changedAt === 'number'
      ? item.changedAt
      : (Number(item.expiresAt) - CHANGE_RETENTION_SECONDS) * 1000;
  return { version: Number(item.version), changedAt, fullReload: item.fullReload === true, entities };
}

/**
 * Up to `limit` versions of the account's change log after `since`, in version order (strongly
 * consistent Query of the change-log partition through the SDK paginator), each as the entities it
 * touched; `hasMore` when later versions exist.
 */
export async function readChangesAfter(
  target: ChangeLogTarget,
  accountId: string,
  since: number,
  limit: number,
): Promise<ChangeFeedPage> {
  const items: Record<string, unknown>[] = [];
  const pages = paginateQuery(
    { client: target.client, pageSize: limit + 1 },
    {
      TableName: target.tableName,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': changeLogPk(accountId),
        ':from': changeSk(since + 1),
        ':to': CHANGE_LOG_END_SK,
      },
      ConsistentRead: true,
    },
  );
  for await (const page of pages) {
    items.push(...(page.Items ?? []));
    if (items.length > limit) break;
  }
  return {
    entries: items.slice(0, limit).map((item) => entriesOf(accountId, item)),
    hasMore: items.length > limit,
  };
}
