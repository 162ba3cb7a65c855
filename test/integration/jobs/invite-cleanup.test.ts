import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { actingAs } from '../../../functions/api/management/escalation-guard.js';
import { InviteInvalidError, planAccept } from '../../../functions/api/management/invites/accept-plan.js';
import type { ManagementContext } from '../../../functions/api/management/management-context.js';
import { writeAccount } from '../../../functions/api/management/write-account.js';
import {
  LINK_VALIDITY_MS,
  newInviteId,
  newInviteSecret,
  RESEND_WINDOW_MS,
} from '../../../functions/core/invite.js';
import { accountScope, organizationScope } from '../../../functions/core/scope.js';
import { newUserId, type UserStatus } from '../../../functions/core/user.js';
import { runInviteCleanup } from '../../../functions/jobs/invite-cleanup.js';
import { bootstrapAccount } from '../../../functions/store/bootstrap-account.js';
import {
  type ChangeOperation,
  commitChange,
  readAccountVersion,
  VersionConflictError,
} from '../../../functions/store/change-log.js';
import { inviteItem, type StoredInvite } from '../../../functions/store/entities/invites.js';
import { userItem } from '../../../functions/store/entities/users.js';
import { accountPk, ENTITY } from '../../../functions/store/keys.js';
import { PolicyCache } from '../../../functions/store/policy-cache.js';
import { createTestTable, type TestTable } from '../../support/dynamodb-test-table.js';

const T0 = 1_800_000_000_000;
const DAY_MS = 24 * 3600 * 1000;

/** A seeded invite: its id, its user, and the raw secret of its link. */
interface Seeded {
  readonly inviteId: string;
  readonly userId: string;
  readonly secret: string;
}

/** Commits operations in transactions of at most 90, like an endpoint would. */
async function seed(
  table: TestTable,
  accountId: string,
  operations: readonly ChangeOperation[],
): Promise<void> {
  const target = { client: table.client, tableName: table.tableName, now: () => T0 };
  for (let start = 0; start < operations.length; ) {
    const batch = operations.slice(start, start + 90);
    const version = await readAccountVersion(target, accountId);
    try {
      await commitChange(target, accountId, version ?? 0, batch);
      start += batch.length;
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
    }
  }
}

/** Operations creating `count` invites first sent at `createdAt`, each for a new user in `status`. */
function invites(
  accountId: string,
  count: number,
  createdAt: number,
  status: UserStatus = 'PENDING',
): { operations: ChangeOperation[]; seeded: Seeded[] } {
  const meta = { createdAt, lastModifiedAt: createdAt, version: 1 };
  const operations: ChangeOperation[] = [];
  const seeded: Seeded[] = [];
  for (let index = 0; index < count; index++) {
    const userId = newUserId();
    const inviteId = newInviteId();
    const { secret, tokenHash } = newInviteSecret();
    const email = `${inviteId.toLowerCase()}@example.com`;
    const invite: StoredInvite = {
      inviteId,
      email,
      userId,
      scope: status === 'ACTIVE' ? organizationScope(accountId, 'default') : accountScope(accountId),
      userGroups: [],
      roleBindings: [],
      createdAt,
      lastSentAt: createdAt,
      state: 'PENDING',
      tokenHash,
      invitedBy: 'SERVICE_ACCOUNT:admin',
    };
    operations.push(
      {
        kind: 'create',
        item: userItem(
          accountId,
          { userId, email, status, ...(status === 'ACTIVE' ? { name: 'x' } : {}) },
          meta,
        ),
      },
      { kind: 'create', item: inviteItem(accountId, invite, meta) },
    );
    seeded.push({ inviteId, userId, secret });
  }
  return { operations, seeded };
}

/** Every item of the account partition by sort key (strongly consistent). */
async function partition(table: TestTable, accountId: string): Promise<Map<string, Record<string, unknown>>> {
  const items = new Map<string, Record<string, unknown>>();
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await table.client.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': accountPk(accountId) },
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) items.set(String(item.SK), item);
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

function byEntity(items: Map<string, Record<string, unknown>>, entity: string): Record<string, unknown>[] {
  return [...items.values()].filter((item) => item.entity === entity);
}

describe('runInviteCleanup on DynamoDB Local', () => {
  let table: TestTable;

  beforeEach(async () => {
    table = await createTestTable();
    for (const accountId of ['alpha', 'beta']) {
      await bootstrapAccount(
        { client: table.client, tableName: table.tableName, now: () => T0 - 60 * DAY_MS },
        accountId,
      );
    }
  });

  it('expires and deletes thousands of invites across accounts and pages, sparing active users; a second run does nothing', async () => {
    // Prepare
    const stale = {
      alpha: invites('alpha', 700, T0 - 31 * DAY_MS),
      beta: invites('beta', 500, T0 - 31 * DAY_MS),
    };
    const lapsed = invites('alpha', 800, T0 - 8 * DAY_MS);
    const fresh = invites('beta', 300, T0 - DAY_MS);
    const activeStale = invites('alpha', 50, T0 - 40 * DAY_MS, 'ACTIVE');
    await seed(table, 'alpha', [...stale.alpha.operations, ...lapsed.operations, ...activeStale.operations]);
    await seed(table, 'beta', [...stale.beta.operations, ...fresh.operations]);
    const options = { client: table.client, tableName: table.tableName, now: () => T0 };
    // Act
    const first = await runInviteCleanup(options);
    const second = await runInviteCleanup(options);
    // Assess
    expect(first).toEqual({ expired: 800, deleted: 700 + 500 + 50 });
    expect(second).toEqual({ expired: 0, deleted: 0 });
    const alpha = await partition(table, 'alpha');
    const beta = await partition(table, 'beta');
    const alphaInvites = byEntity(alpha, ENTITY.Invite);
    expect(alphaInvites).toHaveLength(800);
    expect(alphaInvites.every((item) => item.state === 'EXPIRED')).toBe(true);
    const alphaUsers = new Set(byEntity(alpha, ENTITY.User).map((item) => item.userId));
    for (const { userId } of stale.alpha.seeded) expect(alphaUsers.has(userId)).toBe(false);
    for (const { userId } of lapsed.seeded) expect(alphaUsers.has(userId)).toBe(true);
    for (const { userId } of activeStale.seeded) expect(alphaUsers.has(userId)).toBe(true);
    const betaInvites = byEntity(beta, ENTITY.Invite);
    expect(betaInvites).toHaveLength(300);
    expect(betaInvites.every((item) => item.state === 'PENDING')).toBe(true);
    expect(byEntity(beta, ENTITY.User)).toHaveLength(300);
  });

  it('deletes an expired invite once its resend window closed and not before', async () => {
    // Prepare
    const batch = invites('alpha', 120, T0);
    await seed(table, 'alpha', batch.operations);
    const at = (time: number) => ({ client: table.client, tableName: table.tableName, now: () => time });
    // Act
    const early = await runInviteCleanup(at(T0 + LINK_VALIDITY_MS - 1));
    const expired = await runInviteCleanup(at(T0 + LINK_VALIDITY_MS));
    const beforeDeletion = await runInviteCleanup(at(T0 + RESEND_WINDOW_MS - 1));
    const deleted = await runInviteCleanup(at(T0 + RESEND_WINDOW_MS));
    // Assess
    expect(early).toEqual({ expired: 0, deleted: 0 });
    expect(expired).toEqual({ expired: 120, deleted: 0 });
    expect(beforeDeletion).toEqual({ expired: 0, deleted: 0 });
    expect(deleted).toEqual({ expired: 0, deleted: 120 });
    const items = await partition(table, 'alpha');
    expect(byEntity(items, ENTITY.Invite)).toEqual([]);
    expect(byEntity(items, ENTITY.User)).toEqual([]);
  });

  it('stops at its deadline and finishes the rest on the next run', async () => {
    // Prepare
    const batch = invites('alpha', 400, T0 - 31 * DAY_MS);
    await seed(table, 'alpha', batch.operations);
    let ticks = 0;
    const slowClock = () => T0 + ticks++;
    // Act
    const partial = await runInviteCleanup({
      client: table.client,
      tableName: table.tableName,
      now: slowClock,
      deadlineMs: T0 + 20,
    });
    const rest = await runInviteCleanup({
      client: table.client,
      tableName: table.tableName,
      now: () => T0 + DAY_MS,
    });
    // Assess
    expect(partial.deleted).toBeGreaterThan(0);
    expect(partial.deleted).toBeLessThan(400);
    expect(partial.deleted + rest.deleted).toBe(400);
    expect(byEntity(await partition(table, 'alpha'), ENTITY.Invite)).toEqual([]);
  });

  it('an accept racing the cleanup either wins completely or loses completely, many times over', async () => {
    // Prepare: the acceptors' clock sees valid links, the job's clock sees deletable invites.
    const acceptNow = () => T0;
    const jobNow = () => T0 + 40 * DAY_MS;
    const context: ManagementContext = {
      cache: new PolicyCache({ client: table.client, tableName: table.tableName, now: acceptNow }),
      target: { client: table.client, tableName: table.tableName, now: acceptNow },
      now: acceptNow,
    };
    let accepted = 0;
    let lost = 0;
    for (let round = 0; round < 8; round++) {
      const batch = invites('alpha', 6, T0 - DAY_MS);
      await seed(table, 'alpha', batch.operations);
      // Act
      const [outcomes] = await Promise.all([
        Promise.all(
          batch.seeded.map(async ({ inviteId, secret }) => {
            try {
              await writeAccount(
                context,
                'alpha',
                actingAs({ type: 'SERVICE_ACCOUNT', identifier: 'admin' }),
                (policy) =>
                  planAccept(policy, { accountId: 'alpha', inviteId, secret }, 'Racer', acceptNow()),
              );
              return 'accepted' as const;
            } catch (error) {
              if (error instanceof InviteInvalidError) return 'lost' as const;
              throw error;
            }
          }),
        ),
        runInviteCleanup({ client: table.client, tableName: table.tableName, now: jobNow }),
      ]);
      // Assess
      const items = await partition(table, 'alpha');
      for (const [index, { inviteId, userId }] of batch.seeded.entries()) {
        const user = items.get(`USER#${userId}`);
        const memberships = byEntity(items, ENTITY.Membership).filter((item) => item.userId === userId);
        const tokens = byEntity(items, ENTITY.Token).filter((item) => item.parentIdentifier === userId);
        expect(items.has(`INVITE#${inviteId}`)).toBe(false);
        if (outcomes[index] === 'accepted') {
          accepted++;
          expect(user?.status).toBe('ACTIVE');
          expect(memberships.map((item) => item.scopePath)).toEqual(['/ACCOUNT/alpha']);
          expect(tokens).toHaveLength(1);
        } else {
          lost++;
          expect(user).toBeUndefined();
          expect(memberships).toEqual([]);
          expect(tokens).toEqual([]);
        }
      }
    }
    expect(accepted + lost).toBe(48);
    const again = await runInviteCleanup({ client: table.client, tableName: table.tableName, now: jobNow });
    expect(again).toEqual({ expired: 0, deleted: 0 });
    const active = byEntity(await partition(table, 'alpha'), ENTITY.User).filter(
      (item) => item.status === 'ACTIVE',
    );
    expect(active).toHaveLength(accepted);
  });
});
