import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { setAccountSettings } from '../../../functions/store/account-settings.js';
import { type ChangeLogTarget, initializeAccount, readItem } from '../../../functions/store/change-log.js';
import { accountSettingsItem } from '../../../functions/store/entities/account-settings.js';
import { MalformedItemError } from '../../../functions/store/item-reader.js';
import { ACCOUNT_SETTINGS_SK } from '../../../functions/store/keys.js';
import { createTestTable } from '../../support/dynamodb-test-table.js';

const ACCOUNT = 'acc';
const T0 = 1_700_000_000_000;

describe('setAccountSettings (DynamoDB Local)', () => {
  let target: ChangeLogTarget;
  let now: number;

  beforeEach(async () => {
    const table = await createTestTable();
    now = T0;
    target = { client: table.client, tableName: table.tableName, now: () => now };
    await initializeAccount(target, ACCOUNT);
  });

  function settingsItem() {
    return readItem(target, ACCOUNT, ACCOUNT_SETTINGS_SK);
  }

  it('creates the settings item, then replaces it keeping its creation time and the audit retention', async () => {
    // Arrange
    await target.client.send(
      new PutCommand({
        TableName: target.tableName,
        Item: accountSettingsItem(
          ACCOUNT,
          { maxUsers: 3, auditRetentionMonths: 6 },
          { createdAt: T0, lastModifiedAt: T0, version: 4 },
        ),
      }),
    );
    now = T0 + 1000;
    // Act
    await setAccountSettings(target, ACCOUNT, { maxUsers: 10 });
    // Assess
    expect(await settingsItem()).toMatchObject({
      maxUsers: 10,
      auditRetentionMonths: 6,
      version: 5,
      createdAt: T0,
      lastModifiedAt: T0 + 1000,
    });
  });

  it('creates the item at version 1 when the account has none', async () => {
    // Act
    await setAccountSettings(target, ACCOUNT, { maxUsers: 2 });
    // Assess
    const item = await settingsItem();
    expect(item).toMatchObject({ maxUsers: 2, version: 1, createdAt: T0, lastModifiedAt: T0 });
    expect(item).not.toHaveProperty('auditRetentionMonths');
  });

  it('refuses to overwrite a settings item that does not decode, naming the attribute', async () => {
    // Arrange
    const { version: _version, ...unversioned } = accountSettingsItem(
      ACCOUNT,
      { maxUsers: 3 },
      { createdAt: T0, lastModifiedAt: T0, version: 4 },
    );
    await target.client.send(new PutCommand({ TableName: target.tableName, Item: unversioned }));
    // Act
    const attempt = setAccountSettings(target, ACCOUNT, { maxUsers: 10 });
    // Assess
    await expect(attempt).rejects.toThrow(MalformedItemError);
    await expect(attempt).rejects.toThrow(/version is not a finite number/);
    expect(await settingsItem()).toMatchObject({ maxUsers: 3 });
  });
});
