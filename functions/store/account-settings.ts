import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type ChangeLogTarget,
  type ChangeOperation,
  commitChange,
  readAccountVersion,
} from './change-log.js';
import {
  type AccountSettings,
  accountSettingsFromItem,
  accountSettingsItem,
} from './entities/account-settings.js';
import { ACCOUNT_SETTINGS_SK, accountPk } from './keys.js';
import { untilCommitted } from './optimistic-write.js';

/**
 * Writing the account settings item (the seat limit `maxUsers`, DESIGN §7) outside the API: by
 * `serve --max-users` / `RBAC_MAX_USERS` and `bootstrap --max-users`. It is an ordinary item of the
 * account partition written with a change-log entry, so running servers see it on the next request.
 */

const MAX_ATTEMPTS = 10;

/** Reads a seat limit from an environment value: `undefined` when unset or empty; throws unless a non-negative integer. */
export function maxUsersFromEnv(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 0) {
    throw new Error(`the seat limit must be a non-negative integer: ${JSON.stringify(value)}`);
  }
  return parsed;
}

/** Replaces the settings of an existing account (creating the item when absent); retries on a concurrent write. */
export async function setAccountSettings(
  target: ChangeLogTarget,
  accountId: string,
  settings: AccountSettings,
): Promise<void> {
  await untilCommitted(() => setAccountSettingsOnce(target, accountId, settings), {
    maxAttempts: MAX_ATTEMPTS,
  });
}

/** One attempt of {@link setAccountSettings} on the version it reads; a lost race throws `VersionConflictError`. */
async function setAccountSettingsOnce(
  target: ChangeLogTarget,
  accountId: string,
  settings: AccountSettings,
): Promise<void> {
  const version = await readAccountVersion(target, accountId);
  if (version === undefined) throw new Error(`account ${accountId} does not exist`);
  const { Item } = await target.client.send(
    new GetCommand({
      TableName: target.tableName,
      Key: { PK: accountPk(accountId), SK: ACCOUNT_SETTINGS_SK },
      ConsistentRead: true,
    }),
  );
  const now = target.now();
  const stored = Item ? accountSettingsFromItem(Item) : undefined;
  const previous = stored?.meta.version;
  // The audit retention is set through its own endpoint: a replace of the seat limit keeps it.
  const kept =
    settings.auditRetentionMonths === undefined && stored?.value.auditRetentionMonths !== undefined
      ? { auditRetentionMonths: stored.value.auditRetentionMonths }
      : {};
  const item = accountSettingsItem(
    accountId,
    { ...kept, ...settings },
    {
      createdAt: stored?.meta.createdAt ?? now,
      lastModifiedAt: now,
      version: (previous ?? 0) + 1,
    },
  );
  const operation: ChangeOperation =
    previous === undefined ? { kind: 'create', item } : { kind: 'replace', item, expectedVersion: previous };
  await commitChange(target, accountId, version, [operation]);
}
