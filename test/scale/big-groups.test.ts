import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountScope, organizationScope } from '../../functions/core/scope.js';
import { readAccountVersion } from '../../functions/store/change-log.js';
import { createStoreClient, LOCAL_STORE_TIMEOUTS } from '../../functions/store/document-client.js';
import { localClientConfig } from '../../functions/store/dynamodb-local.js';
import { changeLogPk, changeSk } from '../../functions/store/keys.js';
import { PolicyCache } from '../../functions/store/policy-cache.js';
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
const bigMember = (index: number) => `fg${String(index).padStart(6, '0')}`;
const allMembers = Array.from({ length: BIG }, (_, index) => bigMember(index));
/**
 * How many of them are also users of the account (User and Membership items): the API writes need
 * members of the group's scope. Not all 100,000: DynamoDB Local pages a partition of 300,000 items
 * far slower than DynamoDB (minutes, past its per-request timeout), so the groups the API writes here
 * have 3,000 members — still far more than one transaction holds, so their members are staged as a
 * group of 100,000 members is.
 */
const ACCOUNT_USERS = 3_000;
const accountUsers = allMembers.slice(0, ACCOUNT_USERS);

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

/** The migration plan: {@link ACCOUNT_USERS} users of the account, one group of `BIG` members bound to the account admin role. */
function bulkPlan(): MigrationPlan {
  const scope = accountScope(account);
  return {
    sourceAccountId: 'fg',
    targetAccountId: account,
    organization: organizationScope(account, 'default'),
    projects: [],
    appIdentifiers: {},
    users: accountUsers.map((userId) => ({ userId, email: `${userId}@example.com` })),
    defaultView: 'keep',
    userGroups: [
      {
        fgId: 'everyone',
        identifier: 'everyone',
        name: 'Everyone',
        scope,
        users: allMembers,
      },
    ],
    roles: [],
    resourceGroups: [],
    assignments: [
      {
        identifier: 'everyone_admins',
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

/** The members of `group` (at the account) as a fresh instance (its own cache over the same table) loads them. */
async function freshInstanceMembers(group: string): Promise<Set<string>> {
  const { client, raw } = createStoreClient(localClientConfig(server.endpoint), LOCAL_STORE_TIMEOUTS);
  try {
    const cache = new PolicyCache({ client, tableName: server.tableName, now: server.now });
    const state = await cache.current(account);
    return new Set(state?.evaluator.index.membersOf(`/ACCOUNT/${account}#${group}`));
  } finally {
    raw.destroy();
  }
}

describe('groups too big for one transaction through the API', () => {
  it('creates one with every member in one request: members staged, the change entry naming their range', async () => {
    // Act
    const created = await server.api('POST', `/ng/api/user-groups?${q()}`, {
      body: { identifier: 'everyone_api', name: 'Everyone API', users: accountUsers },
    });
    // Assess
    expect(created.status).toBe(200);
    expect((created.body.data as { users: string[] }).users).toHaveLength(ACCOUNT_USERS);
    const member = await server.api(
      'GET',
      `/ng/api/user-groups/everyone_api/member/${bigMember(2_777)}?${q()}`,
    );
    expect(member.body.data).toBe(true);
    const { client, raw } = createStoreClient(localClientConfig(server.endpoint), LOCAL_STORE_TIMEOUTS);
    try {
      const version = await readAccountVersion(
        { client, tableName: server.tableName, now: server.now },
        account,
      );
      const change = await client.send(
        new QueryCommand({
          TableName: server.tableName,
          KeyConditionExpression: 'PK = :pk AND SK = :sk',
          ExpressionAttributeValues: { ':pk': changeLogPk(account), ':sk': changeSk(version ?? 0) },
        }),
      );
      expect(change.Items?.[0]?.staged).toEqual([expect.stringMatching(/^UGMEMBER#[\w-]{16}#$/)]);
      expect(change.Items?.[0]?.puts).toHaveLength(1);
    } finally {
      raw.destroy();
    }
  });

  it('replaces its member set wholesale: the old members are gone, here and in a fresh instance', async () => {
    // Act
    const half = accountUsers.slice(0, ACCOUNT_USERS / 2);
    const replaced = await server.api('PUT', `/ng/api/user-groups?${q()}`, {
      body: { identifier: 'everyone_api', name: 'Everyone API', users: half },
    });
    // Assess
    expect(replaced.status).toBe(200);
    const kept = await server.api('GET', `/ng/api/user-groups/everyone_api/member/${bigMember(10)}?${q()}`);
    const dropped = await server.api(
      'GET',
      `/ng/api/user-groups/everyone_api/member/${bigMember(2_999)}?${q()}`,
    );
    expect([kept.body.data, dropped.body.data]).toEqual([true, false]);
    const fresh = await freshInstanceMembers('everyone_api');
    expect([fresh.size, fresh.has(bigMember(10)), fresh.has(bigMember(2_999))]).toEqual([
      ACCOUNT_USERS / 2,
      true,
      false,
    ]);
  });

  it('removes from the account a user in several large, tag-heavy groups: the write succeeds and her access goes', async () => {
    // Prepare: three groups of 1,000 members with 128 tags of 1,000 characters each (about 130 KB a group item).
    const victim = bigMember(500);
    const tags = Object.fromEntries(
      Array.from({ length: 128 }, (_, index) => [`tag${index}`, 'v'.repeat(1_000)]),
    );
    for (const name of ['heavy_a', 'heavy_b', 'heavy_c']) {
      const created = await server.api('POST', `/ng/api/user-groups?${q()}`, {
        body: { identifier: name, name, tags, users: allMembers.slice(0, 1_000) },
      });
      expect(created.status).toBe(200);
    }
    expect(await holds(victim, 'core_usergroup_manage')).toBe(true);
    // Act
    const removed = await server.api('DELETE', `/ng/api/user/${victim}?${q()}`);
    // Assess
    expect(removed.status).toBe(200);
    expect(await holds(victim, 'core_usergroup_manage')).toBe(false);
    expect(await holds(bigMember(501), 'core_usergroup_manage')).toBe(true);
    for (const name of ['heavy_a', 'heavy_b', 'heavy_c', 'everyone']) {
      const member = await server.api('GET', `/ng/api/user-groups/${name}/member/${victim}?${q()}`);
      expect(member.body.data).toBe(false);
    }
  });
});
