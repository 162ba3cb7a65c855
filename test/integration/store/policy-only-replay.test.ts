import { PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AccessCheck } from '../../../functions/core/access-check.js';
import type { ActingPrincipal } from '../../../functions/core/principal.js';
import type { RoleAssignment } from '../../../functions/core/role-assignment.js';
import { accountScope, projectScope } from '../../../functions/core/scope.js';
import { batchPut } from '../../../functions/store/batch-writer.js';
import {
  type ChangeLogTarget,
  commitChange,
  initializeAccount,
  readAccountVersion,
} from '../../../functions/store/change-log.js';
import { roleAssignmentItem } from '../../../functions/store/entities/role-assignments.js';
import { accountPk, roleAssignmentSk } from '../../../functions/store/keys.js';
import { PolicyCache } from '../../../functions/store/policy-cache.js';
import { ID_BYTES } from '../../../functions/store/snapshots/snapshot-format.js';
import { SnapshotPublisher } from '../../../functions/store/snapshots/snapshot-publisher.js';
import { decodeSnapshotPolicy } from '../../../functions/store/snapshots/snapshot-reader.js';
import { type SnapshotStore, snapshotKey } from '../../../functions/store/snapshots/snapshot-store.js';
import { isStoreUnavailable } from '../../../functions/store/store-unavailable.js';
import { countPartitionQueries } from '../../support/call-counter.js';
import { createTestTable } from '../../support/dynamodb-test-table.js';
import { largeWorld } from '../../support/large-world.js';
import type { RecordedRead } from '../../support/memory-snapshot-store.js';
import { oracleDecide } from '../../support/oracle.js';
import { itemsOfSnapshot } from '../../support/snapshot-items.js';
import { createTestSnapshotStore, type TestSnapshotStore } from '../../support/snapshot-test-store.js';
import { WORLD_ACCOUNT } from '../../support/world-arbitrary.js';

const ACCOUNT = WORLD_ACCOUNT;
const P1 = projectScope(ACCOUNT, 'o1', 'p1');
const EDIT_PIPELINE: AccessCheck = {
  permission: 'core_pipeline_edit',
  resourceType: 'PIPELINE',
  resourceScope: P1,
  resourceIdentifier: 'deploy',
};
const VIEW_PIPELINE: AccessCheck = { ...EDIT_PIPELINE, permission: 'core_pipeline_view' };
/** What group g0's assignment (`_account_viewer` at the account) grants. */
const VIEW_SECRET: AccessCheck = {
  permission: 'core_secret_view',
  resourceType: 'SECRET',
  resourceScope: accountScope(ACCOUNT),
  resourceIdentifier: 'x',
};
const user = (identifier: string): ActingPrincipal => ({ type: 'USER', identifier });
const grant = (identifier: string, userId: string, roleIdentifier = '_project_admin'): RoleAssignment => ({
  identifier,
  scope: P1,
  roleIdentifier,
  resourceGroupIdentifier: '_all_project_level_resources',
  principal: { type: 'USER', identifier: userId },
  disabled: false,
  managed: false,
});

/**
 * A snapshot store that records the ranged reads it answers and whose first read stops where the
 * policy part ends (as a large account's does: its first read does not reach the items part).
 */
function recordingStore(snapshots: SnapshotStore, policyEnd: () => number) {
  const reads: RecordedRead[] = [];
  const store: SnapshotStore = {
    ...snapshots,
    getRange: async (account, start, end) => {
      const range = await snapshots.getRange(account, start, start === 0 ? Math.min(end, policyEnd()) : end);
      reads.push({ start, end, bytes: range?.bytes.length ?? 0 });
      return range;
    },
  };
  const itemsBytes = () => reads.filter((read) => read.start >= policyEnd()).reduce((n, r) => n + r.bytes, 0);
  return { store, reads, itemsBytes };
}

describe('Replaying changes on a policy-only state (DynamoDB Local + s3rver)', () => {
  let target: ChangeLogTarget;
  let blobs: TestSnapshotStore;
  let version: number;
  /** The published snapshot's policy part end and items part length. */
  let policyEnd: number;
  let itemsPartBytes: number;
  const now = 1_700_000_000_000;
  const meta = () => ({ createdAt: now, lastModifiedAt: now, version: 1 });
  const world = largeWorld();

  beforeAll(async () => {
    const table = await createTestTable();
    target = { client: table.client, tableName: table.tableName, now: () => now };
    await initializeAccount(target, ACCOUNT);
    await batchPut(target.client, target.tableName, [...itemsOfSnapshot(world).values()], () => {}, 8);
  }, 120_000);

  beforeEach(async () => {
    blobs = await createTestSnapshotStore();
    version = (await readAccountVersion(target, ACCOUNT)) as number;
    await publish();
  });

  async function publish(): Promise<void> {
    const cache = new PolicyCache(target);
    await new SnapshotPublisher({ cache, snapshots: blobs.snapshots, now: () => now }).publish(ACCOUNT);
    const bytes = (await blobs.snapshots.get(ACCOUNT)) as Uint8Array;
    const { itemsRange } = decodeSnapshotPolicy(bytes, ACCOUNT);
    policyEnd = itemsRange.start;
    itemsPartBytes = itemsRange.end - itemsRange.start;
  }

  async function write(operations: Parameters<typeof commitChange>[3]): Promise<void> {
    await commitChange(target, ACCOUNT, version, operations);
    version++;
  }

  it('starts a cold instance from the policy part and replays the changes after the snapshot reading only a few chunks', async () => {
    // Prepare: a revoke of group g0's assignment and a grant to user7 committed after the snapshot
    const g0Member = user('user300');
    const revoked = world.roleAssignments[0] as RoleAssignment;
    const after = {
      ...world,
      roleAssignments: [...world.roleAssignments.slice(1), grant('cold_grant', 'user7')],
    };
    await write([{ kind: 'delete', sk: roleAssignmentSk(revoked.scope, revoked.identifier) }]);
    await write([
      { kind: 'create', item: roleAssignmentItem(ACCOUNT, grant('cold_grant', 'user7'), meta()) },
    ]);
    const { store, reads, itemsBytes } = recordingStore(blobs.snapshots, () => policyEnd);
    const cache = new PolicyCache({ ...target, snapshots: store });
    const partition = countPartitionQueries(target.client, accountPk(ACCOUNT));

    // Act
    const state = await cache.authorization(ACCOUNT);

    // Assess: both writes seen; no partition page; a few ranged GETs of a small share of the items part
    expect(state?.version).toBe(version);
    expect(state?.evaluator.check(user('user7'), EDIT_PIPELINE).permitted).toBe(true);
    expect(oracleDecide(world, g0Member, VIEW_SECRET)).toBe(true);
    expect(state?.evaluator.check(g0Member, VIEW_SECRET).permitted).toBe(
      oracleDecide(after, g0Member, VIEW_SECRET),
    );
    expect(state?.evaluator.check(g0Member, VIEW_SECRET).permitted).toBe(false);
    expect(partition.count()).toBe(0);
    expect(reads[0]).toMatchObject({ start: 0 });
    expect(reads.length).toBeLessThanOrEqual(1 + 3 * 32);
    expect(itemsBytes()).toBeGreaterThan(0);
    expect(itemsBytes()).toBeLessThan(itemsPartBytes / 10);
  });

  it('shows every write to a warm instance holding only the policy part on the very next check, reading only the chunks each touches', async () => {
    // Prepare: a warm instance that read only the policy part
    const { store, reads, itemsBytes } = recordingStore(blobs.snapshots, () => policyEnd);
    const cache = new PolicyCache({ ...target, snapshots: store });
    const before = await cache.authorization(ACCOUNT);
    const policyReads = reads.length;
    const checks: boolean[][] = [];

    // Act: a grant, a change of the grant's role, a revoke — each followed by the very next check
    const sk = roleAssignmentSk(P1, 'warm_grant');
    await write([
      { kind: 'create', item: roleAssignmentItem(ACCOUNT, grant('warm_grant', 'user9'), meta()) },
    ]);
    const granted = await cache.authorization(ACCOUNT);
    checks.push(
      [EDIT_PIPELINE, VIEW_PIPELINE].map((c) => !!granted?.evaluator.check(user('user9'), c).permitted),
    );
    await write([
      {
        kind: 'replace',
        item: roleAssignmentItem(ACCOUNT, grant('warm_grant', 'user9', '_project_viewer'), {
          ...meta(),
          version: 2,
        }),
        expectedVersion: 1,
      },
    ]);
    const viewer = await cache.authorization(ACCOUNT);
    checks.push(
      [EDIT_PIPELINE, VIEW_PIPELINE].map((c) => !!viewer?.evaluator.check(user('user9'), c).permitted),
    );
    await write([{ kind: 'delete', sk }]);
    const revoked = await cache.authorization(ACCOUNT);
    checks.push(
      [EDIT_PIPELINE, VIEW_PIPELINE].map((c) => !!revoked?.evaluator.check(user('user9'), c).permitted),
    );
    const replayBytes = itemsBytes();
    const replayReads = reads.length - policyReads;
    const complete = await cache.current(ACCOUNT);

    // Assess: each write seen at once, by a few small reads; the items part read whole only for items
    expect(before?.evaluator.check(user('user9'), VIEW_PIPELINE).permitted).toBe(false);
    expect(checks).toEqual([
      [true, true],
      [false, true],
      [false, false],
    ]);
    expect(revoked?.version).toBe(version);
    expect(replayReads).toBeGreaterThan(0);
    expect(replayReads).toBeLessThanOrEqual(3 * 3 * 32);
    expect(replayBytes).toBeLessThan(itemsPartBytes / 10);
    expect(complete?.version).toBe(version);
    expect(complete?.items.has(sk)).toBe(false);
    expect(complete?.items.size).toBe(itemsOfSnapshot(world).size);
    expect(itemsBytes() - replayBytes).toBeLessThanOrEqual(itemsPartBytes);
  });

  it('answers 503 when a chunk a change needs is damaged, drops the account and reads the partition next', async () => {
    // Prepare: the stored snapshot with its items part damaged; a warm instance on its policy part
    const bytes = Buffer.from((await blobs.snapshots.get(ACCOUNT)) as Uint8Array);
    for (let at = policyEnd + ID_BYTES; at < bytes.length; at += 5) bytes[at] = (bytes[at] ?? 0) ^ 0xff;
    await blobs.client.send(
      new PutObjectCommand({
        Bucket: blobs.bucket,
        Key: snapshotKey(ACCOUNT),
        Body: bytes,
        Metadata: { version: String(version) },
      }),
    );
    const errors: unknown[] = [];
    const { store } = recordingStore(blobs.snapshots, () => policyEnd);
    const cache = new PolicyCache({
      ...target,
      snapshots: store,
      onSnapshotError: (_a, e) => errors.push(e),
    });
    await cache.authorization(ACCOUNT);
    await write([{ kind: 'create', item: roleAssignmentItem(ACCOUNT, grant('damaged', 'user11'), meta()) }]);
    const partition = countPartitionQueries(target.client, accountPk(ACCOUNT));

    // Act
    const failure = await cache.authorization(ACCOUNT).then(
      () => undefined,
      (error: unknown) => error,
    );
    const dropped = cache.knownAccounts();
    const next = await cache.authorization(ACCOUNT);

    // Assess: no decision without the write; the damaged snapshot is not used again
    expect(isStoreUnavailable(failure)).toBe(true);
    expect(errors.length).toBeGreaterThan(0);
    expect(dropped).not.toContain(ACCOUNT);
    // The partition was paged (its pages counted), the damaged snapshot not used again.
    expect(partition.count()).toBeGreaterThan(0);
    expect(next?.evaluator.check(user('user11'), EDIT_PIPELINE).permitted).toBe(true);
  });

  it('loads the account again when its snapshot was replaced before the chunks a change needs were read', async () => {
    // Prepare: a warm policy-only instance; a write, a new snapshot published, another write
    const { store } = recordingStore(blobs.snapshots, () => policyEnd);
    const cache = new PolicyCache({ ...target, snapshots: store });
    await cache.authorization(ACCOUNT);
    await write([{ kind: 'create', item: roleAssignmentItem(ACCOUNT, grant('first', 'user12'), meta()) }]);
    await publish();
    await write([{ kind: 'create', item: roleAssignmentItem(ACCOUNT, grant('second', 'user13'), meta()) }]);

    // Act
    const state = await cache.authorization(ACCOUNT);

    // Assess: both writes seen (from the new snapshot and the change after it)
    expect(state?.version).toBe(version);
    expect(state?.evaluator.check(user('user12'), EDIT_PIPELINE).permitted).toBe(true);
    expect(state?.evaluator.check(user('user13'), EDIT_PIPELINE).permitted).toBe(true);
  });
});
