import { PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AccessCheck } from '../../../functions/core/access-check.js';
import type { ActingPrincipal } from '../../../functions/core/principal.js';
import type { RoleAssignment } from '../../../functions/core/role-assignment.js';
import { projectScope } from '../../../functions/core/scope.js';
import {
  type ChangeLogTarget,
  commitChange,
  initializeAccount,
} from '../../../functions/store/change-log.js';
import { roleAssignmentItem } from '../../../functions/store/entities/role-assignments.js';
import { membershipItem } from '../../../functions/store/entities/users.js';
import { accountPk, roleAssignmentSk } from '../../../functions/store/keys.js';
import { PolicyCache } from '../../../functions/store/policy-cache.js';
import { ID_BYTES } from '../../../functions/store/snapshots/snapshot-format.js';
import { SnapshotPublisher } from '../../../functions/store/snapshots/snapshot-publisher.js';
import { decodeSnapshot, decodeSnapshotPolicy } from '../../../functions/store/snapshots/snapshot-reader.js';
import { type SnapshotStore, snapshotKey } from '../../../functions/store/snapshots/snapshot-store.js';
import { isStoreUnavailable } from '../../../functions/store/store-unavailable.js';
import { countCalls, countPartitionQueries } from '../../support/call-counter.js';
import { createTestTable } from '../../support/dynamodb-test-table.js';
import { createTestSnapshotStore, type TestSnapshotStore } from '../../support/snapshot-test-store.js';

const ACCOUNT = 'acc';
const P1 = projectScope(ACCOUNT, 'default', 'p1');
const ANN: ActingPrincipal = { type: 'USER', identifier: 'ann' };
const EDIT_PIPELINE: AccessCheck = {
  permission: 'core_pipeline_edit',
  resourceType: 'PIPELINE',
  resourceScope: P1,
  resourceIdentifier: 'deploy',
};
const assignment = (identifier: string): RoleAssignment => ({
  identifier,
  scope: P1,
  roleIdentifier: '_project_admin',
  resourceGroupIdentifier: '_all_project_level_resources',
  principal: { type: 'USER', identifier: 'ann' },
  disabled: false,
  managed: false,
});

describe('Policy snapshots in the blob store (DynamoDB Local + s3rver)', () => {
  let target: ChangeLogTarget;
  let blobs: TestSnapshotStore;
  let snapshots: SnapshotStore;
  let version: number;
  const now = 1_700_000_000_000;
  const meta = () => ({ createdAt: now, lastModifiedAt: now, version: 1 });

  beforeEach(async () => {
    const table = await createTestTable();
    target = { client: table.client, tableName: table.tableName, now: () => now };
    blobs = await createTestSnapshotStore();
    snapshots = blobs.snapshots;
    await initializeAccount(target, ACCOUNT);
    await commitChange(target, ACCOUNT, 0, [
      { kind: 'create', item: membershipItem(ACCOUNT, 'ann', P1, meta()) },
      { kind: 'create', item: roleAssignmentItem(ACCOUNT, assignment('first'), meta()) },
    ]);
    version = 1;
  });

  const cacheOf = (options: { snapshots?: SnapshotStore } = { snapshots }) =>
    new PolicyCache({ ...target, ...options });
  const publish = () =>
    new SnapshotPublisher({ cache: cacheOf({}), snapshots, now: () => now }).publish(ACCOUNT);

  it('publishes a validated, versioned snapshot of every item, and only when the account moved', async () => {
    // Act
    const first = await publish();
    const again = await publish();
    const bytes = await snapshots.get(ACCOUNT);

    // Assess
    expect(first).toMatchObject({ kind: 'published', version });
    expect(again).toEqual({ kind: 'current', version });
    const decoded = decodeSnapshot(bytes as Uint8Array, ACCOUNT);
    const items = [...decoded.items.values()];
    expect(decoded.version).toBe(version);
    expect(items.map((item) => item.SK).sort()).toEqual(
      [roleAssignmentSk(P1, 'first'), `MEMBER#ann#${'/ACCOUNT/acc/ORGANIZATION/default/PROJECT/p1'}`].sort(),
    );
    expect(items.every((item) => item.PK === accountPk(ACCOUNT))).toBe(true);
  });

  it('starts a cold instance from the snapshot and the change log after it, without paging the partition', async () => {
    // Prepare: a snapshot at version 1, then a revoke and a grant after it
    await publish();
    await commitChange(target, ACCOUNT, 1, [{ kind: 'delete', sk: roleAssignmentSk(P1, 'first') }]);
    await commitChange(target, ACCOUNT, 2, [
      { kind: 'create', item: roleAssignmentItem(ACCOUNT, assignment('second'), meta()) },
    ]);
    const cache = cacheOf();
    const partition = countPartitionQueries(target.client, accountPk(ACCOUNT));
    const calls = countCalls(target.client);

    // Act
    const policy = await cache.current(ACCOUNT);

    // Assess
    expect(partition.count()).toBe(0);
    expect(calls.calls.sort()).toEqual(['GetItemCommand', 'QueryCommand']);
    expect(policy?.version).toBe(3);
    expect(policy?.evaluator.check(ANN, EDIT_PIPELINE)).toMatchObject({
      permitted: true,
      explanation: { roleAssignmentIdentifier: 'second' },
    });
    expect(policy?.items.has(roleAssignmentSk(P1, 'first'))).toBe(false);
  });

  it('authorizes a cold instance from the policy part alone, and reads the items part once when items are needed', async () => {
    // Prepare: a published snapshot; a store that records the ranges read
    await publish();
    const ranges: [number, number][] = [];
    const recording: SnapshotStore = {
      ...snapshots,
      getRange: (account, start, end) => {
        ranges.push([start, end]);
        return snapshots.getRange(account, start, end);
      },
    };
    const bytes = (await snapshots.get(ACCOUNT)) as Uint8Array;
    const { itemsRange } = decodeSnapshotPolicy(bytes, ACCOUNT);
    const cache = new PolicyCache({ ...target, snapshots: recording });

    // Act
    const authorization = await cache.authorization(ACCOUNT);
    const policyReads = [...ranges];
    const [first, second] = await Promise.all([cache.current(ACCOUNT), cache.current(ACCOUNT)]);

    // Assess
    expect(authorization?.evaluator.check(ANN, EDIT_PIPELINE).permitted).toBe(true);
    expect(policyReads).toEqual([[0, 1024 * 1024]]);
    expect(first?.items.has(roleAssignmentSk(P1, 'first'))).toBe(true);
    expect(second?.items.size).toBe(first?.items.size);
    expect(ranges.length).toBeLessThanOrEqual(2);
    expect(itemsRange.end).toBe(bytes.length);
  });

  it('loads the account again when its snapshot is replaced between the reads of its two parts', async () => {
    // Prepare: a cold instance that read the policy part of the snapshot at version 1
    await publish();
    const cache = new PolicyCache({ ...target, snapshots });
    await cache.authorization(ACCOUNT);
    await commitChange(target, ACCOUNT, version, [{ kind: 'delete', sk: roleAssignmentSk(P1, 'first') }]);
    await publish();

    // Act
    const policy = await cache.current(ACCOUNT);

    // Assess: the complete state is of the new snapshot, revoke included
    expect(policy?.version).toBe(version + 1);
    expect(policy?.items.has(roleAssignmentSk(P1, 'first'))).toBe(false);
    expect(policy?.evaluator.check(ANN, EDIT_PIPELINE).permitted).toBe(false);
  });

  it('authorizes a cold instance, and a warm one that read only the policy part, with every write committed since', async () => {
    // Prepare: a snapshot at the current version; two instances read only its policy part
    await publish();
    const cold = cacheOf();
    const warm = cacheOf();
    const before = await warm.authorization(ACCOUNT);
    await commitChange(target, ACCOUNT, version, [{ kind: 'delete', sk: roleAssignmentSk(P1, 'first') }]);
    await commitChange(target, ACCOUNT, version + 1, [
      {
        kind: 'create',
        item: roleAssignmentItem(
          ACCOUNT,
          { ...assignment('third'), roleIdentifier: '_project_viewer' },
          meta(),
        ),
      },
    ]);

    // Act: the very next check on each, fully consistent
    const [coldAfter, warmAfter] = await Promise.all([
      cold.authorization(ACCOUNT),
      warm.authorization(ACCOUNT),
    ]);

    // Assess: both see the revoke (edit denied) and the new viewer grant, at the written version
    expect(before?.evaluator.check(ANN, EDIT_PIPELINE).permitted).toBe(true);
    for (const state of [coldAfter, warmAfter]) {
      expect(state?.version).toBe(version + 2);
      expect(state?.evaluator.check(ANN, EDIT_PIPELINE).permitted).toBe(false);
      expect(
        state?.evaluator.check(ANN, { ...EDIT_PIPELINE, permission: 'core_pipeline_view' }).permitted,
      ).toBe(true);
    }
  });

  it('fails closed when the items part cannot be read for a change to replay', async () => {
    // Prepare: a warm instance on the policy part (the store's first read stops there, as for a large
    // account); a change; then the items part is unreadable
    await publish();
    const whole = (await snapshots.get(ACCOUNT)) as Uint8Array;
    const policyEnd = decodeSnapshotPolicy(whole, ACCOUNT).itemsRange.start;
    let failing = false;
    const flaky: SnapshotStore = {
      ...snapshots,
      getRange: async (account, start, end) => {
        if (failing && start > 0) {
          throw Object.assign(new Error('blob store down'), { name: 'ServiceUnavailable' });
        }
        return snapshots.getRange(account, start, start === 0 ? Math.min(end, policyEnd) : end);
      },
    };
    const cache = cacheOf({ snapshots: flaky });
    await cache.authorization(ACCOUNT);
    await commitChange(target, ACCOUNT, version, [{ kind: 'delete', sk: roleAssignmentSk(P1, 'first') }]);
    failing = true;

    // Act
    const failure = await cache.authorization(ACCOUNT).then(
      () => undefined,
      (error: unknown) => error,
    );
    failing = false;
    const recovered = await cache.authorization(ACCOUNT);

    // Assess: no state without the revoke was served; the next request recovers
    expect(isStoreUnavailable(failure)).toBe(true);
    expect(recovered?.evaluator.check(ANN, EDIT_PIPELINE).permitted).toBe(false);
  });

  it('shares one load among concurrent requests that find the account cold', async () => {
    // Prepare
    await publish();
    const cache = cacheOf();
    const calls = countCalls(target.client);

    // Act
    const policies = await Promise.all(Array.from({ length: 20 }, () => cache.current(ACCOUNT)));

    // Assess: one load (GetItem of META + change-log Query) plus one change-log Query per joiner
    expect(policies.every((policy) => policy?.version === version)).toBe(true);
    expect(calls.calls.filter((name) => name === 'GetItemCommand')).toHaveLength(1);
    expect(calls.calls.filter((name) => name === 'QueryCommand').length).toBeLessThanOrEqual(20);
  });

  it('pages the partition when there is no snapshot, or it cannot be decoded, or the log no longer reaches it', async () => {
    // Prepare: a snapshot claiming version 0 whose log entry 1 is gone is the same as a trimmed log
    const errors: unknown[] = [];
    const noSnapshot = cacheOf();
    const counter = countPartitionQueries(target.client, accountPk(ACCOUNT));
    await noSnapshot.current(ACCOUNT);
    const withoutSnapshot = counter.count();
    await blobs.client.send(
      new PutObjectCommand({ Bucket: blobs.bucket, Key: snapshotKey(ACCOUNT), Body: 'not a snapshot' }),
    );
    counter.reset();

    // Act
    const corrupt = await new PolicyCache({
      ...target,
      snapshots,
      onSnapshotError: (_a, e) => errors.push(e),
    }).current(ACCOUNT);

    // Assess
    expect(withoutSnapshot).toBe(1);
    expect(counter.count()).toBe(1);
    expect(errors).toHaveLength(1);
    expect(corrupt?.evaluator.check(ANN, EDIT_PIPELINE).permitted).toBe(true);
  });

  it('drops an account whose snapshot has a damaged chunk and loads it from the partition next', async () => {
    // Prepare: a published snapshot with one byte of its first items chunk flipped
    await publish();
    const bytes = Buffer.from((await snapshots.get(ACCOUNT)) as Uint8Array);
    const itemsChunk = decodeSnapshotPolicy(bytes, ACCOUNT).itemsRange.start + ID_BYTES;
    bytes[itemsChunk + 6] = (bytes[itemsChunk + 6] ?? 0) ^ 0xff;
    await blobs.client.send(
      new PutObjectCommand({ Bucket: blobs.bucket, Key: snapshotKey(ACCOUNT), Body: bytes }),
    );
    const errors: unknown[] = [];
    const cache = new PolicyCache({ ...target, snapshots, onSnapshotError: (_a, e) => errors.push(e) });
    const counter = countPartitionQueries(target.client, accountPk(ACCOUNT));
    const damaged = await cache.current(ACCOUNT);

    // Act
    const readAll = () => [...(damaged?.items.values() ?? [])];
    const failure = (() => {
      try {
        readAll();
        return undefined;
      } catch (error) {
        return error;
      }
    })();
    const reloaded = await cache.current(ACCOUNT);

    // Assess: the read failed closed (a 503 at the HTTP layer), the next request paged the partition
    expect(isStoreUnavailable(failure)).toBe(true);
    expect(errors).toHaveLength(1);
    expect(counter.count()).toBe(1);
    expect(reloaded).not.toBe(damaged);
    expect([...(reloaded?.items.keys() ?? [])].sort()).toEqual(
      [roleAssignmentSk(P1, 'first'), `MEMBER#ann#${'/ACCOUNT/acc/ORGANIZATION/default/PROJECT/p1'}`].sort(),
    );
  });

  it('does not trust a snapshot the change log no longer reaches back to (entries trimmed by the TTL)', async () => {
    // Prepare: a snapshot at version 1, a later change whose log entry is then removed
    await publish();
    await commitChange(target, ACCOUNT, 1, [{ kind: 'delete', sk: roleAssignmentSk(P1, 'first') }]);
    const { DeleteCommand } = await import('@aws-sdk/lib-dynamodb');
    await target.client.send(
      new DeleteCommand({
        TableName: target.tableName,
        Key: { PK: `${accountPk(ACCOUNT)}#CHANGES`, SK: 'CHANGE#000000000002' },
      }),
    );
    const counter = countPartitionQueries(target.client, accountPk(ACCOUNT));

    // Act
    const policy = await cacheOf().current(ACCOUNT);

    // Assess: the revoke is seen although its log entry is gone
    expect(counter.count()).toBe(1);
    expect(policy?.version).toBe(2);
    expect(policy?.evaluator.check(ANN, EDIT_PIPELINE).permitted).toBe(false);
  });
});
