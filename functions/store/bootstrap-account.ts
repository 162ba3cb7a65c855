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
} from './change-log.js';
import { apiKeyItem, tokenItem } from './entities/credentials.js';
import { roleAssignmentItem, roleAssignmentKeyItem } from './entities/role-assignments.js';
import { scopeItem } from './entities/scopes.js';
import { serviceAccountItem } from './entities/service-accounts.js';
import type { StoredItem } from './items.js';
import { accountPk, apiKeySk, serviceAccountSk } from './keys.js';
import { untilCommitted } from './optimistic-write.js';

/** The identifiers bootstrap creates in every account. */
export const BOOTSTRAP = {
  defaultOrg: 'default',
  adminServiceAccount: 'admin',
  adminApiKey: 'admin_key',
  adminAssignment: 'admin_account_admin',
} as const;

const YEAR_MS = 365 * 24 * 3600 * 1000;
const MAX_ATTEMPTS = 5;

/**
 * What bootstrap did. A new account always gets an admin token (shown once); an existing one is
 * left exactly as it is, and gets a new admin token only when one was asked for.
 */
export type BootstrapResult =
  | { readonly createdAccount: true; readonly adminToken: string; readonly tokenValidTo: number }
  | { readonly createdAccount: false; readonly adminToken?: string; readonly tokenValidTo?: number };

/** Options of {@link bootstrapAccount}. */
export interface BootstrapOptions {
  /** On an existing account, mint a new admin token (for the `admin` service account's `admin_key`). */
  readonly newAdminToken?: boolean;
}

/**
 * Refusal to mint an admin token on an existing account whose `admin` service account (or its
 * `admin_key` API key) an administrator deleted: bootstrap never re-creates what was deleted.
 */
export class AdminPrincipalMissingError extends Error {
  override readonly name = 'AdminPrincipalMissingError';
}

/**
 * Bootstraps an account (DESIGN §8–§9). A new account — no `META` item, or one whose first change
 * was never committed (version 0, e.g. a start that crashed half-way) — gets its `default`
 * organization, the all-users default bindings of both scopes, and a service account `admin`
 * bound to `_account_admin` on `_all_resources_including_child_scopes`, with an admin token (valid
 * one year), in one change-log transaction. An existing account is left as it is — deleted default
 * bindings stay deleted, a deleted `admin` is not re-created — and nothing is written, unless
 * `options.newAdminToken` asks for a new admin token: then only that token is written, and
 * {@link AdminPrincipalMissingError} is thrown when `admin` or its key no longer exist.
 */
export async function bootstrapAccount(
  target: ChangeLogTarget,
  accountId: string,
  options: BootstrapOptions = {},
): Promise<BootstrapResult> {
  await initializeAccount(target, accountId);
  return untilCommitted(() => bootstrapOnce(target, accountId, options), { maxAttempts: MAX_ATTEMPTS });
}

/** One attempt of {@link bootstrapAccount} on the version it reads; a lost race throws `VersionConflictError`. */
async function bootstrapOnce(
  target: ChangeLogTarget,
  accountId: string,
  options: BootstrapOptions,
): Promise<BootstrapResult> {
  const version = await readAccountVersion(target, accountId);
  if (version === undefined) throw new Error(`account ${accountId} vanished during bootstrap`);
  const createdAccount = version === 0;
  if (!createdAccount && !options.newAdminToken) return { createdAccount };
  const now = target.now();
  const wanted = createdAccount ? desiredItems(accountId, now) : [];
  if (!createdAccount) await requireAdminPrincipal(target, accountId);
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
    ...wanted.map((item) => ({ kind: 'create' as const, item })),
    { kind: 'create', item: token },
  ];
  await commitChange(target, accountId, version, operations);
  return {
    createdAccount,
    adminToken: formatToken('sat', accountId, tokenId, secret),
    tokenValidTo: validTo,
  } as BootstrapResult;
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

/** Throws {@link AdminPrincipalMissingError} unless the `admin` service account and its `admin_key` exist. */
async function requireAdminPrincipal(target: ChangeLogTarget, accountId: string): Promise<void> {
  const account = accountScope(accountId);
  const admin = serviceAccountSk(BOOTSTRAP.adminServiceAccount);
  const key = apiKeySk('SERVICE_ACCOUNT', BOOTSTRAP.adminServiceAccount, BOOTSTRAP.adminApiKey);
  const found = await existingKeys(target, accountId, [admin, key]);
  const missing = !found.has(admin)
    ? `the service account '${BOOTSTRAP.adminServiceAccount}'`
    : !found.has(key)
      ? `the API key '${BOOTSTRAP.adminApiKey}' of '${BOOTSTRAP.adminServiceAccount}'`
      : undefined;
  if (missing !== undefined) {
    throw new AdminPrincipalMissingError(
      `Account ${account.accountIdentifier} has no ${missing} any more (an administrator deleted it); ` +
        'bootstrap does not re-create it. Ask an administrator for a token, or create one with the API.',
    );
  }
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

/** The admin token a bootstrap minted; throws when it minted none (an existing account, no new token asked for). */
export function mintedToken(result: BootstrapResult): string {
  if (result.adminToken === undefined)
    throw new Error('bootstrap minted no admin token (the account existed)');
  return result.adminToken;
}
