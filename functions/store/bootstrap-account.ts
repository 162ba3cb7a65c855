import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { defaultAllUsersAssignments } from '../core/all-users-groups.js';
import { ALL_RESOURCES_INCLUDING_CHILD_SCOPES } from '../core/managed-resource-groups.js';
import type { RoleAssignment } from '../core/role-assignment.js';
import { accountScope, organizationScope } from '../core/scope.js';
import { formatToken, hashTokenSecret, newTokenId, newTokenSecret } from '../core/token.js';
import {
  type ChangeLogTarget,
  type ChangeOperation,
  commitChange,
  initializeAccount,
  readAccountVersion,
  VersionConflictError,
} from './change-log.js';
import {
  apiKeyItem,
  roleAssignmentItem,
  roleAssignmentKeyItem,
  type StoredItem,
  scopeItem,
  serviceAccountItem,
  tokenItem,
} from './items.js';
import { accountPk } from './keys.js';

/** The identifiers bootstrap creates in every account. */
export const BOOTSTRAP = {
  defaultOrg: 'default',
  adminServiceAccount: 'admin',
  adminApiKey: 'admin_key',
  adminAssignment: 'admin_account_admin',
} as const;

const YEAR_MS = 365 * 24 * 3600 * 1000;
const MAX_ATTEMPTS = 5;

/** What bootstrap did: whether the account was new, and the admin token (shown once). */
export interface BootstrapResult {
  readonly createdAccount: boolean;
  readonly adminToken: string;
  readonly tokenValidTo: number;
}

/**
 * Creates, idempotently, an account with its `default` organization, the all-users default
 * bindings of both scopes, and a service account `admin` bound to `_account_admin` on
 * `_all_resources_including_child_scopes`; then issues a new admin token (valid one year) and
 * returns it. Everything is written in one change-log transaction; existing items are left alone.
 */
export async function bootstrapAccount(target: ChangeLogTarget, accountId: string): Promise<BootstrapResult> {
  const createdAccount = await initializeAccount(target, accountId);
  for (let attempt = 1; ; attempt++) {
    const version = await readAccountVersion(target, accountId);
    if (version === undefined) throw new Error(`account ${accountId} vanished during bootstrap`);
    const now = target.now();
    const wanted = desiredItems(accountId, now);
    const existing = await existingKeys(
      target,
      accountId,
      wanted.map((item) => item.SK),
    );
    const secret = newTokenSecret();
    const tokenId = newTokenId();
    const validTo = now + YEAR_MS;
    const token = tokenItem(
      accountId,
      {
        tokenId,
        identifier: `admin_token_${tokenId.replace(/[^0-9a-zA-Z_]/g, '_')}`,
        name: 'Admin token',
        apiKeyIdentifier: BOOTSTRAP.adminApiKey,
        apiKeyType: 'SERVICE_ACCOUNT',
        parentIdentifier: BOOTSTRAP.adminServiceAccount,
        scope: accountScope(accountId),
        secretHash: hashTokenSecret(secret),
        validFrom: now,
        validTo,
      },
      { createdAt: now, lastModifiedAt: now, version: 1 },
    );
    const operations: ChangeOperation[] = [
      ...wanted.filter((item) => !existing.has(item.SK)).map((item) => ({ kind: 'create' as const, item })),
      { kind: 'create', item: token },
    ];
    try {
      await commitChange(target, accountId, version, operations);
      return {
        createdAccount,
        adminToken: formatToken('sat', accountId, tokenId, secret),
        tokenValidTo: validTo,
      };
    } catch (error) {
      if (!(error instanceof VersionConflictError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

function desiredItems(accountId: string, now: number): StoredItem[] {
  const meta = { createdAt: now, lastModifiedAt: now, version: 1 };
  const account = accountScope(accountId);
  const org = organizationScope(accountId, BOOTSTRAP.defaultOrg);
  const admin: RoleAssignment = {
    identifier: BOOTSTRAP.adminAssignment,
    scope: account,
    roleIdentifier: '_account_admin',
    resourceGroupIdentifier: ALL_RESOURCES_INCLUDING_CHILD_SCOPES,
    principal: { type: 'SERVICE_ACCOUNT', identifier: BOOTSTRAP.adminServiceAccount, scopeLevel: 'account' },
    disabled: false,
    managed: false,
  };
  const assignments = [...defaultAllUsersAssignments(account), ...defaultAllUsersAssignments(org), admin];
  return [
    scopeItem(accountId, account, { name: accountId }, meta),
    scopeItem(accountId, org, { name: 'default' }, meta),
    serviceAccountItem(
      accountId,
      {
        identifier: BOOTSTRAP.adminServiceAccount,
        scope: account,
        name: 'admin',
        email: `admin@${accountId}.serviceaccount.local`,
      },
      meta,
    ),
    apiKeyItem(
      accountId,
      {
        identifier: BOOTSTRAP.adminApiKey,
        name: 'Admin key',
        apiKeyType: 'SERVICE_ACCOUNT',
        parentIdentifier: BOOTSTRAP.adminServiceAccount,
        scope: account,
      },
      meta,
    ),
    ...assignments.flatMap((assignment) => [
      roleAssignmentItem(accountId, assignment, meta),
      roleAssignmentKeyItem(accountId, assignment),
    ]),
  ];
}

async function existingKeys(
  target: ChangeLogTarget,
  accountId: string,
  sortKeys: string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  let keys: Record<string, unknown>[] = sortKeys.map((SK) => ({ PK: accountPk(accountId), SK }));
  while (keys.length > 0) {
    const { Responses, UnprocessedKeys } = await target.client.send(
      new BatchGetCommand({
        RequestItems: {
          [target.tableName]: { Keys: keys, ConsistentRead: true, ProjectionExpression: 'SK' },
        },
      }),
    );
    for (const item of Responses?.[target.tableName] ?? []) found.add(String(item.SK));
    keys = (UnprocessedKeys?.[target.tableName]?.Keys as Record<string, unknown>[] | undefined) ?? [];
  }
  return found;
}
