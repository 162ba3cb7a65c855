import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountScope, organizationScope } from '../../functions/core/scope.js';
import { readAccountVersion } from '../../functions/store/change-log.js';
import { createStoreClient, LOCAL_STORE_TIMEOUTS } from '../../functions/store/document-client.js';
import { localClientConfig } from '../../functions/store/dynamodb-local.js';
import { changeLogPk, changeSk } from '../../functions/store/keys.js';
import { applyPlan } from '../../migration/apply/apply-plan.js';
import type { MigrationPlan } from '../../migration/mapping/migration-plan.js';
import { type SeedableTestServer, startTestServerWithRoutes } from '../support/test-server.js';

/**
 * Big groups (DESIGN §5, `docs/data-model.md` "User groups and their members") on DynamoDB Local: a
 * group of 100,000 members bulk-loaded by `migrate apply`, checked, listed in pages and changed
 * through the API; groups created and replaced through the API with more members than one
 * transaction holds (staged members, the change entry naming their range); a user in several large,
 * tag-heavy groups removed from the account, her access gone.
 */

const BIG = 100_000;
/** Account members the API writes may name (members of a group must be members of its scope). */
const ACCOUNT_USERS = 2_000;
const bigMember = (index: number) => `fg${String(index).padStart(6, '0')}`;
const accountUser = (index: number) => `au${String(index).padStart(5, '0')}`;

let server: SeedableTestServer;
let account: string;
const q = () => `accountIdentifier=${account}`;

/** Whether `userId` holds `permission` on user groups of the account, asked by the admin for her. */
async function holds(userId: string, permission: string): Promise<boolean> {
  const reply = await server.api('POST', `/authz/api/acl?${q()}`, {
    body: {
      principal: { principalIdentifier: userId, principalType: 'USER' },
      permissions: [{ resourceScope: { accountIdentifier: account }, resourceType: 'USERGROUP', permission }],
    },
  });
  expect(reply.status).toBe(200);
  const data = reply.body.data as { accessControlList: { permitted: boolean }[] };
  return data.accessControlList[0]?.permitted ?? false;
}

/** The migration plan: the account users, and one group of `BIG` members that may view audit records. */
function bulkPlan(): MigrationPlan {
  const scope = accountScope(account);
  return {
    sourceAccountId: 'fg',
    targetAccountId: account,
    organization: organizationScope(account, 'default'),
    projects: [],
    appIdentifiers: {},
    users: Array.from({ length: ACCOUNT_USERS }, (_, index) => ({
      userId: accountUser(index),
      email: `${accountUser(index)}@example.com`,
    })),
    defaultView: 'keep',
    userGroups: [
      {
        fgId: 'everyone',
        identifier: 'everyone',
        name: 'Everyone',
        scope,
        users: Array.from({ length: BIG }, (_, index) => bigMember(index)),
      },
    ],
    roles: [],
    resourceGroups: [],
    assignments: [
      {
        identifier: 'everyone_audits',
        scope,
        roleIdentifier: '_account_admin',
        resourceGroupIdentifier: '_all_account_level_resources',
        principal: { type: 'USER_GROUP', identifier: 'everyone', scopeLevel: 'account' },
        disabled: false,
        managed: false,
      },
    ],
    warnings: [],
  };
}

beforeAll(async () => {
  server = await startTestServerWithRoutes(() => [], undefined, { localDeadlineMs: 120_000 });
  account = server.accountId;
  const { client, raw } = createStoreClient(localClientConfig(server.endpoint), LOCAL_STORE_TIMEOUTS);
  try {
    await applyPlan({ client, tableName: server.tableName, now: server.now }, bulkPlan());
  } finally {
    raw.destroy();
  }
}, 600_000);

afterAll(async () => server?.close());

describe('a group of 100,000 members bulk-loaded by migrate apply', () => {
  it('grants its members what the group is bound to, and nothing to others', async () => {
    expect(await holds(bigMember(99_999), 'core_usergroup_manage')).toBe(true);
    expect(await holds(bigMember(0), 'core_usergroup_manage')).toBe(true);
    expect(await holds('stranger', 'core_usergroup_manage')).toBe(false);
  });

  it('lists its members in pages and answers the member check', async () => {
    const page = await server.api(
      'POST',
      `/ng/api/user-groups/everyone/users?${q()}&pageIndex=7&pageSize=100`,
      {
        body: {},
      },
    );
    expect(page.status).toBe(200);
    const data = page.body.data as { totalItems: number; content: { uuid: string }[] };
    expect(data.totalItems).toBe(BIG);
    expect(data.content.map((user) => user.uuid)).toEqual(
      Array.from({ length: 100 }, (_, index) => bigMember(700 + index)),
    );
    const member = await server.api('GET', `/ng/api/user-groups/everyone/member/${bigMember(4242)}?${q()}`);
    expect(member.body.data).toBe(true);
    const group = await server.api('GET', `/ng/api/user-groups/everyone?${q()}`);
    expect((group.body.data as { users: string[] }).users).toHaveLength(BIG);
  });

  it('loses one member with one small write: her access goes, the others keep theirs', async () => {
    const version = await readAccountVersion(
      {
        client: createStoreClient(localClientConfig(server.endpoint), LOCAL_STORE_TIMEOUTS).client,
        tableName: server.tableName,
        now: server.now,
      },
      account,
    );
    const removed = await server.api(
      'DELETE',
      `/ng/api/user-groups/everyone/member/${bigMember(12_345)}?${q()}`,
    );
    expect(removed.status).toBe(200);
    expect(await holds(bigMember(12_345), 'core_usergroup_manage')).toBe(false);
    expect(await holds(bigMember(12_346), 'core_usergroup_manage')).toBe(true);
    const { client, raw } = createStoreClient(localClientConfig(server.endpoint), LOCAL_STORE_TIMEOUTS);
    try {
      const change = await client.send(
        new QueryCommand({
          TableName: server.tableName,
          KeyConditionExpression: 'PK = :pk AND SK = :sk',
          ExpressionAttributeValues: { ':pk': changeLogPk(account), ':sk': changeSk((version ?? 0) + 1) },
        }),
      );
      expect(change.Items?.[0]?.deletes).toEqual([expect.stringMatching(/^UGMEMBER#m[0-9a-f]+#fg012345$/)]);
      expect(change.Items?.[0]?.puts).toEqual([]);
    } finally {
      raw.destroy();
    }
  });
});
