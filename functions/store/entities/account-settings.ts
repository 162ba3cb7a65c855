import { ItemReader } from '../item-reader.js';
import { type ItemMeta, metaAttributes, optional, type StoredItem } from '../items.js';
import { ACCOUNT_SETTINGS_SK, accountPk, ENTITY } from '../keys.js';

/** The account settings entity: one item per account (SK `SETTINGS`), its item and its decoder. */

/**
 * Account-wide settings: the optional seat limit (active plus pending users; absent = unlimited) and
 * how many months audit records are kept (absent = the deployment's default).
 */
export interface AccountSettings {
  readonly maxUsers?: number;
  readonly auditRetentionMonths?: number;
}

/** The account settings item (SK `SETTINGS`); `maxUsers` is omitted when unlimited. */
export function accountSettingsItem(
  accountId: string,
  settings: AccountSettings,
  meta: ItemMeta,
): StoredItem {
  if (
    settings.maxUsers !== undefined &&
    !(Number.isSafeInteger(settings.maxUsers) && settings.maxUsers >= 0)
  ) {
    throw new Error(`maxUsers must be a non-negative integer: ${settings.maxUsers}`);
  }
  if (
    settings.auditRetentionMonths !== undefined &&
    !(Number.isSafeInteger(settings.auditRetentionMonths) && settings.auditRetentionMonths >= 1)
  ) {
    throw new Error(`auditRetentionMonths must be a positive integer: ${settings.auditRetentionMonths}`);
  }
  return {
    PK: accountPk(accountId),
    SK: ACCOUNT_SETTINGS_SK,
    entity: ENTITY.AccountSettings,
    ...optional('maxUsers', settings.maxUsers),
    ...optional('auditRetentionMonths', settings.auditRetentionMonths),
    ...metaAttributes(meta),
  };
}

/** The settings of the account settings item and its bookkeeping (throws `MalformedItemError`). */
export function accountSettingsFromItem(item: Record<string, unknown>): {
  value: AccountSettings;
  meta: ItemMeta;
} {
  const reader = new ItemReader(item);
  return {
    value: {
      ...optional('maxUsers', reader.optionalNumber('maxUsers')),
      ...optional('auditRetentionMonths', reader.optionalNumber('auditRetentionMonths')),
    },
    meta: reader.meta(),
  };
}
