import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RoleAssignment } from '../functions/core/role-assignment.js';
import { accountScope, type Scope } from '../functions/core/scope.js';
import { type ChangeOperation, commitChange, readAccountVersion } from '../functions/store/change-log.js';
import { roleAssignmentItem } from '../functions/store/entities/role-assignments.js';
import { roleAssignmentSk } from '../functions/store/keys.js';
import type { SnapshotStore } from '../functions/store/snapshots/snapshot-store.js';
import { type Figure, percentile, round } from './figures.js';
import { aclUrl, checkBody, type Instance, send, startInstance } from './scale-instance.js';

/**
 * The scale phase's figures of a change after the snapshot (issue 12): the first check after a write
 * on an instance holding only the snapshot's policy part, and the first check of a fresh instance
 * that finds one change after the snapshot — each with the bytes it read from the blob store, beside
 * the full path of before (the whole items part read, then the change replayed), measured in the
 * same run on instances of their own.
 */

/** Writes measured on the warm instances (each a grant then its revoke, each followed by a check). */
const WRITE_ROUNDS = 3;
/** Warm checks of the reference. */
const WARM_CHECKS = 20;
/** Fresh instances that measure the full path of before after a write. */
const FULL_PATH_SAMPLES = 2;

/** Where the account is and how to reach it. */
export interface ReplayTarget {
  readonly endpoint: string;
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly snapshots: SnapshotStore;
  readonly accountId: string;
  readonly token: string;
  readonly project: Scope;
}

/** A snapshot store that counts the bytes its ranged reads return (since the last reset). */
function countingStore(snapshots: SnapshotStore) {
  let bytes = 0;
  let gets = 0;
  const store: SnapshotStore = {
    ...snapshots,
    getRange: async (accountId, start, end) => {
      const range = await snapshots.getRange(accountId, start, end);
      bytes += range?.bytes.length ?? 0;
      gets++;
      return range;
    },
  };
  return {
    store,
    read: () => ({ bytes, gets }),
    reset: () => {
      bytes = 0;
      gets = 0;
    },
  };
}

const median = (samples: readonly number[]) => percentile(samples, 50);

/** A user nobody granted anything: only the measured writes decide what she may do. */
const probe = (n: number) => `replay_probe${n}`;

/** An assignment of `_account_admin` to the probe user at account scope. */
function probeGrant(accountId: string, n: number): RoleAssignment {
  return {
    identifier: `replay_probe_grant${n}`,
    scope: accountScope(accountId),
    roleIdentifier: '_account_admin',
    resourceGroupIdentifier: '_all_resources_including_child_scopes',
    principal: { type: 'USER', identifier: probe(n) },
    disabled: false,
    managed: false,
  };
}

/** Commits `operations` as the account's next version (as a write from another instance does). */
async function commit(target: ReplayTarget, operations: ChangeOperation[]): Promise<void> {
  const store = { client: target.client, tableName: target.tableName, now: Date.now };
  const version = (await readAccountVersion(store, target.accountId)) ?? 0;
  await commitChange(store, target.accountId, version, operations);
}

const meta = () => ({ createdAt: Date.now(), lastModifiedAt: Date.now(), version: 1 });
const grantProbe = (target: ReplayTarget, n: number) =>
  commit(target, [
    { kind: 'create', item: roleAssignmentItem(target.accountId, probeGrant(target.accountId, n), meta()) },
  ]);
const revokeProbe = (target: ReplayTarget, n: number) =>
  commit(target, [
    {
      kind: 'delete',
      sk: roleAssignmentSk(accountScope(target.accountId), probeGrant(target.accountId, n).identifier),
    },
  ]);

/** The probe's check through `instance`: its time, after asserting it answers `permitted` (the write was seen). */
async function checkProbe(
  target: ReplayTarget,
  instance: Instance,
  n: number,
  permitted: boolean,
): Promise<number> {
  const { ms, body } = await send(
    aclUrl(instance, target.accountId),
    target.token,
    'POST',
    checkBody(probe(n), target.project),
  );
  const list = (body.data?.accessControlList ?? []) as { permitted?: boolean }[];
  if (list[0]?.permitted !== permitted) {
    throw new Error(
      `the check after a write answered ${list[0]?.permitted}, not ${permitted}: the write was not seen`,
    );
  }
  return ms;
}

/** The full path of before: the complete state (the whole items part read, the change replayed), then the check. */
async function fullPathCheck(
  target: ReplayTarget,
  instance: Instance,
  n: number,
  permitted: boolean,
): Promise<number> {
  const started = performance.now();
  await instance.cache.current(target.accountId);
  await checkProbe(target, instance, n, permitted);
  return performance.now() - started;
}

/** A fresh instance over the counting store, closed after `use`. */
async function withFresh<T>(
  target: ReplayTarget,
  store: SnapshotStore,
  use: (instance: Instance) => Promise<T>,
): Promise<T> {
  const instance = await startInstance(target.endpoint, target.tableName, store);
  try {
    return await use(instance);
  } finally {
    await instance.close();
  }
}

/** What {@link measureReplay} measured (ms and bytes; medians where repeated). */
export interface ReplayMeasurement {
  readonly coldMs: number;
  readonly coldBytes: number;
  readonly coldChangeMs: number;
  readonly coldChangeBytes: number;
  readonly coldChangeGets: number;
  readonly coldFullMs: number;
  readonly coldFullBytes: number;
  readonly warmMs: number;
  readonly afterWriteMs: number;
  /** The most bytes (and ranged GETs) one of those checks read (a revoke re-reads nothing its grant read). */
  readonly afterWriteBytes: number;
  readonly afterWriteGets: number;
  readonly afterWriteFullMs: number;
  readonly afterWriteFullBytes: number;
}

/**
 * Measures, on the account's current snapshot: fresh instances' first checks without and with one
 * change after the snapshot (and the full path with it); then, on a warm instance holding only the
 * policy part, the first check after each of {@link WRITE_ROUNDS} grants and revokes (and the full
 * path on another instance). Every check asserts it saw the write.
 */
export async function measureReplay(target: ReplayTarget): Promise<ReplayMeasurement> {
  const counted = countingStore(target.snapshots);
  const firstCheck = async (instance: Instance, n: number, permitted: boolean) => {
    counted.reset();
    const ms = await checkProbe(target, instance, n, permitted);
    return { ms, ...counted.read() };
  };
  const cold = await withFresh(target, counted.store, (instance) => firstCheck(instance, 0, false));
  await grantProbe(target, 0);
  const coldChange = await withFresh(target, counted.store, (instance) => firstCheck(instance, 0, true));
  counted.reset();
  const coldFullMs = await withFresh(target, counted.store, (instance) =>
    fullPathCheck(target, instance, 0, true),
  );
  const coldFullBytes = counted.read().bytes;
  await revokeProbe(target, 0);

  const warm: number[] = [];
  const afterWrite: { ms: number; bytes: number; gets: number }[] = [];
  await withFresh(target, counted.store, async (instance) => {
    await checkProbe(target, instance, 0, false);
    for (let n = 0; n < WARM_CHECKS; n++) warm.push(await checkProbe(target, instance, 0, false));
    for (let round = 1; round <= WRITE_ROUNDS; round++) {
      await grantProbe(target, round);
      afterWrite.push(await firstCheck(instance, round, true));
      await revokeProbe(target, round);
      afterWrite.push(await firstCheck(instance, round, false));
    }
  });
  // The path of before: a warm instance holding only the policy part reads the whole items part on
  // the first check after a write (once; later writes replay on the complete state).
  const full: { ms: number; bytes: number }[] = [];
  for (let sample = 1; sample <= FULL_PATH_SAMPLES; sample++) {
    const n = WRITE_ROUNDS + sample;
    await withFresh(target, counted.store, async (instance) => {
      await checkProbe(target, instance, n, false);
      await grantProbe(target, n);
      counted.reset();
      full.push({ ms: await fullPathCheck(target, instance, n, true), ...counted.read() });
    });
    await revokeProbe(target, n);
  }
  return {
    coldMs: cold.ms,
    coldBytes: cold.bytes,
    coldChangeMs: coldChange.ms,
    coldChangeBytes: coldChange.bytes,
    coldChangeGets: coldChange.gets,
    coldFullMs,
    coldFullBytes,
    warmMs: median(warm),
    afterWriteMs: median(afterWrite.map((sample) => sample.ms)),
    afterWriteBytes: Math.max(...afterWrite.map((sample) => sample.bytes)),
    afterWriteGets: Math.max(...afterWrite.map((sample) => sample.gets)),
    afterWriteFullMs: median(full.map((sample) => sample.ms)),
    afterWriteFullBytes: median(full.map((sample) => sample.bytes)),
  };
}

const kb = (bytes: number) => round(bytes / 1024);
/** A share, to four decimals (a few KB of megabytes). */
const share = (part: number, whole: number) => Math.round((part / Math.max(1, whole)) * 1e4) / 1e4;

/**
 * The figures of one account's {@link ReplayMeasurement}, named with `suffix` (`''` for the realistic
 * account, `_10x`).
 */
export function replayFigures(m: ReplayMeasurement, suffix: string, items: number): Record<string, Figure> {
  const coldItemsBytes = Math.max(0, m.coldChangeBytes - m.coldBytes);
  const coldFullItemsBytes = Math.max(0, m.coldFullBytes - m.coldBytes);
  return {
    [`check_after_write_policy_only_ms${suffix}`]: {
      value: round(m.afterWriteMs),
      unit: 'ms',
      reference: round(m.warmMs),
      ratio: round(m.afterWriteMs / m.warmMs),
      note: `${items} items; first check after a write (median of ${2 * WRITE_ROUNDS}) on an instance holding only the snapshot's policy part, at most ${kb(m.afterWriteBytes)} KB read in ${m.afterWriteGets} ranged GETs; reference: warm check`,
    },
    [`check_after_write_full_items_ms${suffix}`]: {
      value: round(m.afterWriteFullMs),
      unit: 'ms',
      reference: round(m.warmMs),
      ratio: round(m.afterWriteFullMs / m.warmMs),
      note: `before: the same, reading the whole items part (${kb(m.afterWriteFullBytes)} KB) first; reference: warm check`,
    },
    [`check_after_write_policy_only_kb${suffix}`]: {
      value: kb(m.afterWriteBytes),
      unit: 'KB',
      reference: kb(m.afterWriteFullBytes),
      ratio: share(m.afterWriteBytes, m.afterWriteFullBytes),
      note: 'snapshot bytes read by the first check after a write on a policy-only instance (the most of any); reference: the whole items part (before)',
    },
    [`cold_check_one_change_ms${suffix}`]: {
      value: round(m.coldChangeMs),
      unit: 'ms',
      reference: round(m.coldMs),
      ratio: round(m.coldChangeMs / m.coldMs),
      note: `first check of a fresh instance that finds one change after the snapshot (${kb(coldItemsBytes)} KB of the items part read, ${m.coldChangeGets} ranged GETs in all); reference: a fresh instance's first check with none`,
    },
    [`cold_check_one_change_full_ms${suffix}`]: {
      value: round(m.coldFullMs),
      unit: 'ms',
      reference: round(m.coldMs),
      ratio: round(m.coldFullMs / m.coldMs),
      note: `before: the same, reading the whole items part (${kb(coldFullItemsBytes)} KB) before replaying; reference: a fresh instance's first check with no change`,
    },
    [`cold_check_one_change_kb${suffix}`]: {
      value: kb(coldItemsBytes),
      unit: 'KB',
      reference: kb(coldFullItemsBytes),
      ratio: share(coldItemsBytes, coldFullItemsBytes),
      note: 'items-part bytes read by a cold start replaying one change; reference: the whole items part (before)',
    },
  };
}
