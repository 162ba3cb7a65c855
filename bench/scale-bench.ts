import { type DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { PolicySnapshot } from '../functions/core/policy-snapshot.js';
import type { UserGroup } from '../functions/core/principal.js';
import { accountScope, type Scope } from '../functions/core/scope.js';
import { batchPut } from '../functions/store/batch-writer.js';
import { bootstrapAccount, mintedToken } from '../functions/store/bootstrap-account.js';
import { commitChange, initializeAccount, readAccountVersion } from '../functions/store/change-log.js';
import { ensureTable } from '../functions/store/create-table.js';
import { createStoreClient } from '../functions/store/document-client.js';
import { localClientConfig } from '../functions/store/dynamodb-local.js';
import { userGroupItems } from '../functions/store/entities/user-groups.js';
import type { StoredItem } from '../functions/store/items.js';
import { accountPk } from '../functions/store/keys.js';
import { PolicyCache } from '../functions/store/policy-cache.js';
import { stateFromItems } from '../functions/store/policy-state.js';
import { localS3Client } from '../functions/store/snapshots/local-blob-store.js';
import { SnapshotPublisher } from '../functions/store/snapshots/snapshot-publisher.js';
import { type SnapshotStore, s3SnapshotStore } from '../functions/store/snapshots/snapshot-store.js';
import { encodeSnapshot } from '../functions/store/snapshots/snapshot-writer.js';
import { countPartitionQueries } from '../test/support/call-counter.js';
import { type Figure, percentile, round } from './figures.js';
import { measureReplay, replayFigures } from './replay-bench.js';
import { aclUrl, checkBody, type Instance, send, startInstance, withInstances } from './scale-instance.js';
import { buildWorld, REALISTIC_WORLD, type WorldSize } from './world.js';
import { worldItems } from './world-items.js';

/**
 * The scale phase of `npm run bench` (issue 12): a small account and the realistic account (≈60k
 * items) side by side in one table on DynamoDB Local, bulk-loaded with the batch writer of
 * `migrate apply`, their snapshots published by the stack's `SnapshotPublisher` into the local blob
 * store (s3rver), and a 10× account (≈600k items) from its snapshot; the API served by the same router and
 * local HTTP server as `npm start`. Measures cold first checks of fresh instances against warm
 * checks, the first check after a write and write throughput on the large account against the small
 * one, 20 concurrent writers against the same writes serially, the account-partition pages a cold
 * start reads, and the heap of the 10× account's loaded state.
 */

const LARGE = 'bench';
const SMALL = 'small';
/** User groups seeded at account scope in both accounts, one per concurrent writer. */
const WRITERS = 20;
/** Members of each seeded group (the same in both accounts, so the guard has the same work). */
const MEMBERS_PER_GROUP = 50;
/** Instances the spread concurrent writers go through (the first is the main one). */
const SPREAD_INSTANCES = 4;
/** Cold starts measured per account (median reported). */
const COLD_STARTS = 3;
/** Create + delete pairs per account for throughput and check-after-write (interleaved rounds). */
const WRITE_ROUNDS = 4;
const PAIRS_PER_ROUND = 8;
/** The authorize function's timeout in the stack (`lib/nextgen-rbac-stack.ts`). */
const AUTHORIZE_TIMEOUT_MS = 10_000;

/** The 10× account of the scale phase. */
export const TEN_TIMES_WORLD: WorldSize = {
  orgs: REALISTIC_WORLD.orgs * 10,
  projectsPerOrg: REALISTIC_WORLD.projectsPerOrg,
  users: REALISTIC_WORLD.users * 10,
  groups: REALISTIC_WORLD.groups * 10,
  groupsPerUser: REALISTIC_WORLD.groupsPerUser,
  assignments: REALISTIC_WORLD.assignments * 10,
  customRoles: REALISTIC_WORLD.customRoles * 10,
  customResourceGroups: REALISTIC_WORLD.customResourceGroups * 10,
};

const log = (line: string) => process.stderr.write(`${new Date().toISOString()} scale: ${line}\n`);

const median = (samples: readonly number[]) => percentile(samples, 50);

/** The groups every writer assigns a role to: `scale_g<n>` at account scope with the same members in both accounts. */
function writerGroups(accountId: string): UserGroup[] {
  return Array.from({ length: WRITERS }, (_, n) => ({
    identifier: `scale_g${n}`,
    name: `scale_g${n}`,
    scope: accountScope(accountId),
    users: Array.from({ length: MEMBERS_PER_GROUP }, (_, m) => `user${n * MEMBERS_PER_GROUP + m}`),
  }));
}

/** Bulk-loads items the way `migrate apply` does: the batch writer, then one change-log entry telling caches to reload. */
async function bulkLoad(
  client: DynamoDBDocumentClient,
  tableName: string,
  accountId: string,
  items: readonly StoredItem[],
): Promise<void> {
  const started = performance.now();
  await batchPut(client, tableName, items, () => {}, 16);
  const version = (await readAccountVersion({ client, tableName, now: Date.now }, accountId)) ?? 0;
  await commitChange({ client, tableName, now: Date.now }, accountId, version, [], { fullReload: true });
  log(`loaded ${items.length} items into ${accountId} in ${round((performance.now() - started) / 1000)} s`);
}

/** Publishes an account's snapshot with the stack's publisher (its own cache, as the stream consumer has). */
async function publish(
  client: DynamoDBDocumentClient,
  tableName: string,
  snapshots: SnapshotStore,
  accountId: string,
): Promise<void> {
  const started = performance.now();
  const cache = new PolicyCache({ client, tableName, now: Date.now, snapshots });
  const outcome = await new SnapshotPublisher({ cache, snapshots, now: Date.now }).publish(accountId);
  if (outcome.kind !== 'published')
    throw new Error(`snapshot of ${accountId} not published: ${outcome.kind}`);
  log(
    `published ${accountId} v${outcome.version} (${round(outcome.bytes / 1e6)} MB) in ${round((performance.now() - started) / 1000)} s`,
  );
}

/** The first check of fresh instances (median of {@link COLD_STARTS}), the partition pages they read, and warm checks. */
async function coldAndWarm(
  endpoint: string,
  tableName: string,
  snapshots: SnapshotStore,
  accountId: string,
  token: string,
  projects: readonly Scope[],
  starts: number,
): Promise<{ coldMs: number; warmMs: number; partitionReads: number; heapMb: number }> {
  const cold: number[] = [];
  const warm: number[] = [];
  const heaps: number[] = [];
  let partitionReads = 0;
  for (let start = 0; start < starts; start++) {
    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    const instance = await startInstance(endpoint, tableName, snapshots);
    const reads = countPartitionQueries(instance.client, accountPk(accountId));
    try {
      cold.push(
        (await send(aclUrl(instance, accountId), token, 'POST', checkBody('user1', projects[0] as Scope))).ms,
      );
      partitionReads = Math.max(partitionReads, reads.count());
      collectGarbage();
      heaps.push((process.memoryUsage().heapUsed - heapBefore) / 2 ** 20);
      for (let n = 0; n < 100; n++) {
        const project = projects[n % projects.length] as Scope;
        warm.push(
          (await send(aclUrl(instance, accountId), token, 'POST', checkBody(`user${n}`, project))).ms,
        );
      }
    } finally {
      await instance.close();
    }
  }
  return { coldMs: median(cold), warmMs: median(warm), partitionReads, heapMb: median(heaps) };
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** An assignment of `_account_viewer` to a seeded group, at account scope. */
function assignmentBody(groupIndex: number): unknown {
  return {
    roleIdentifier: '_account_viewer',
    resourceGroupIdentifier: '_all_account_level_resources',
    principal: { identifier: `scale_g${groupIndex}`, type: 'USER_GROUP', scopeLevel: 'account' },
    disabled: false,
  };
}

function assignmentsUrl(instance: Instance, accountId: string, identifier?: string): string {
  return `${instance.url}/authz/api/roleassignments${identifier ? `/${identifier}` : ''}?accountIdentifier=${accountId}`;
}

async function createAssignment(instance: Instance, accountId: string, token: string, group: number) {
  const { ms, body } = await send(assignmentsUrl(instance, accountId), token, 'POST', assignmentBody(group));
  const identifier = (body.data?.roleAssignment as { identifier?: string } | undefined)?.identifier;
  if (!identifier) throw new Error('a created assignment has no identifier');
  return { ms, identifier };
}

async function deleteAssignment(instance: Instance, accountId: string, token: string, identifier: string) {
  return (await send(assignmentsUrl(instance, accountId, identifier), token, 'DELETE')).ms;
}

/** Serial create + delete pairs: writes per second and the first check after each create. */
async function writePairs(
  instance: Instance,
  accountId: string,
  token: string,
  project: Scope,
  pairs: number,
): Promise<{ writeMs: number; checksAfterWrite: number[] }> {
  const checksAfterWrite: number[] = [];
  let writeMs = 0;
  for (let pair = 0; pair < pairs; pair++) {
    const created = await createAssignment(instance, accountId, token, pair % WRITERS);
    checksAfterWrite.push(
      (await send(aclUrl(instance, accountId), token, 'POST', checkBody(`user${pair}`, project))).ms,
    );
    writeMs += created.ms + (await deleteAssignment(instance, accountId, token, created.identifier));
  }
  return { writeMs, checksAfterWrite };
}

/**
 * 20 writes (one assignment per seeded group) serially on the first instance, then the same 20
 * concurrently, spread round-robin over `instances`; all must succeed and be kept.
 */
async function parallelWriters(
  instances: readonly Instance[],
  accountId: string,
  token: string,
): Promise<{ serialMs: number; concurrentMs: number }> {
  const instance = instances[0] as Instance;
  const groups = Array.from({ length: WRITERS }, (_, n) => n);
  const removeAll = async (identifiers: readonly string[]) => {
    for (const identifier of identifiers) await deleteAssignment(instance, accountId, token, identifier);
  };
  const serialStart = performance.now();
  const serial: string[] = [];
  for (const group of groups)
    serial.push((await createAssignment(instance, accountId, token, group)).identifier);
  const serialMs = performance.now() - serialStart;
  await removeAll(serial);
  const concurrentStart = performance.now();
  const concurrent = await Promise.all(
    groups.map(
      async (group) =>
        (await createAssignment(instances[group % instances.length] as Instance, accountId, token, group))
          .identifier,
    ),
  );
  const concurrentMs = performance.now() - concurrentStart;
  const policy = await instance.cache.current(accountId);
  const kept = concurrent.filter((identifier) =>
    [...(policy?.items.values() ?? [])].some((item) => item.identifier === identifier),
  );
  if (kept.length !== WRITERS) throw new Error(`${WRITERS - kept.length} concurrent writes were lost`);
  await removeAll(concurrent);
  return { serialMs, concurrentMs };
}

/** The realistic and the small account side by side in one table: cold/warm, after-write, throughput, parallel writers. */
async function measureRealistic(
  endpoint: string,
  snapshots: SnapshotStore,
  world: PolicySnapshot,
  scopes: readonly Scope[],
  projects: readonly Scope[],
): Promise<Record<string, Figure>> {
  const tableName = `bench-scale-${Date.now()}`;
  const { client, raw } = createStoreClient(localClientConfig(endpoint), { requestTimeoutMs: 60_000 });
  try {
    await ensureTable(raw, tableName);
    const target = { client, tableName, now: Date.now };
    const largeToken = mintedToken(await bootstrapAccount(target, LARGE));
    const smallToken = mintedToken(await bootstrapAccount(target, SMALL));
    const meta = { createdAt: 0, lastModifiedAt: 0, version: 1 };
    const seeded = (accountId: string) =>
      writerGroups(accountId).flatMap((g) => userGroupItems(accountId, g, meta, `w${g.identifier}`));
    const largeItems = [...worldItems(world, scopes), ...seeded(LARGE)];
    await bulkLoad(client, tableName, LARGE, largeItems);
    await bulkLoad(client, tableName, SMALL, seeded(SMALL));
    await publish(client, tableName, snapshots, LARGE);
    await publish(client, tableName, snapshots, SMALL);

    log('cold first checks of fresh instances');
    const cold = await coldAndWarm(endpoint, tableName, snapshots, LARGE, largeToken, projects, COLD_STARTS);
    log('a change after the snapshot: cold start with one, warm policy-only instance after writes');
    const replay = await measureReplay({
      endpoint,
      client,
      tableName,
      snapshots,
      accountId: LARGE,
      token: largeToken,
      project: projects[0] as Scope,
    });
    // Published again, so the phases after start from a current snapshot as before.
    await publish(client, tableName, snapshots, LARGE);

    const instance = await startInstance(endpoint, tableName, snapshots);
    try {
      const smallProject = accountScope(SMALL);
      await send(aclUrl(instance, LARGE), largeToken, 'POST', checkBody('user1', projects[0] as Scope));
      await send(aclUrl(instance, SMALL), smallToken, 'POST', checkBody('user1', smallProject));
      log('writes and checks after writes, large and small account interleaved');
      await writePairs(instance, LARGE, largeToken, projects[0] as Scope, 2);
      await writePairs(instance, SMALL, smallToken, smallProject, 2);
      const large = { writeMs: 0, writes: 0, checks: [] as number[] };
      const small = { writeMs: 0, writes: 0, checks: [] as number[] };
      for (let round = 0; round < WRITE_ROUNDS; round++) {
        for (const [accountId, token, project, into] of [
          [LARGE, largeToken, projects[round % projects.length] as Scope, large],
          [SMALL, smallToken, smallProject, small],
        ] as const) {
          const measured = await writePairs(instance, accountId, token, project, PAIRS_PER_ROUND);
          into.writeMs += measured.writeMs;
          into.writes += 2 * PAIRS_PER_ROUND;
          into.checks.push(...measured.checksAfterWrite);
        }
      }
      log('20 writers serial, then concurrent on one instance');
      const parallel = await parallelWriters([instance], LARGE, largeToken);
      log(`20 writers serial, then concurrent over ${SPREAD_INSTANCES} instances`);
      const spread = await withInstances(
        endpoint,
        tableName,
        snapshots,
        SPREAD_INSTANCES - 1,
        async (others) => {
          for (const other of others) {
            await send(aclUrl(other, LARGE), largeToken, 'POST', checkBody('user1', projects[0] as Scope));
          }
          return parallelWriters([instance, ...others], LARGE, largeToken);
        },
      );
      const largeRate = large.writes / (large.writeMs / 1000);
      const smallRate = small.writes / (small.writeMs / 1000);
      const largeAfter = median(large.checks);
      const smallAfter = median(small.checks);
      return {
        ...replayFigures(replay, '', largeItems.length),
        cold_first_check_ratio: {
          value: round(cold.coldMs),
          unit: 'ms',
          reference: round(cold.warmMs),
          ratio: round(cold.coldMs / cold.warmMs),
          note: `fresh instance, snapshot present, ${largeItems.length} items; reference: warm check (median)`,
        },
        parallel_writers_spread_ratio: {
          value: round(spread.concurrentMs),
          unit: 'ms',
          reference: round(spread.serialMs),
          ratio: round(spread.concurrentMs / spread.serialMs),
          note: `${WRITERS} concurrent creates over ${SPREAD_INSTANCES} instances (as Lambda spreads them), all kept; reference: the same serially`,
        },
        partition_reads_per_cold_start: {
          value: cold.partitionReads,
          unit: 'Query pages',
          note: 'account-partition Query pages read by a cold start with a snapshot',
        },
        check_after_write_ratio: {
          value: round(largeAfter),
          unit: 'ms',
          reference: round(smallAfter),
          ratio: round(largeAfter / smallAfter),
          note: 'median first check after a role-assignment create; reference: small account',
        },
        write_throughput_ratio: {
          value: round(largeRate),
          unit: 'writes/s',
          reference: round(smallRate),
          ratio: round(largeRate / smallRate),
          note: 'serial role-assignment create + delete; reference: small account',
        },
        parallel_writers_ratio: {
          value: round(parallel.concurrentMs),
          unit: 'ms',
          reference: round(parallel.serialMs),
          ratio: round(parallel.concurrentMs / parallel.serialMs),
          note: `${WRITERS} concurrent role-assignment creates on the large account, all kept; reference: the same serially`,
        },
      };
    } finally {
      await instance.close();
    }
  } finally {
    raw.destroy();
  }
}

/** The items of an account's partition in the table (its `META` left out), all pages. */
async function partitionItems(
  client: DynamoDBDocumentClient,
  tableName: string,
  accountId: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  const pages = paginateQuery(
    { client },
    {
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': accountPk(accountId) },
      ConsistentRead: true,
    },
  );
  for await (const page of pages)
    for (const item of page.Items ?? []) if (item.SK !== 'META') items.push(item);
  return items;
}

/**
 * The 10× account in its own table: bootstrapped through the change log (its admin and token), then
 * its snapshot — the state of the world's items and of the bootstrapped ones, encoded with the stack's
 * codec — stored at the account's version, as the publisher stores it once the account is quiet. A cold start with a snapshot reads no partition item
 * (counted), so the partition's contents do not change the figure; with `BENCH_SCALE_10X_INGEST=1`
 * the items are also written into the table with the batch writer of `migrate apply` first (on 2
 * cores DynamoDB Local needs well over 20 minutes and 6 GB of heap for them, so it is not the default).
 * Measures the cold first check and the heap of the loaded state.
 */
async function measureTenTimes(endpoint: string, snapshots: SnapshotStore): Promise<Record<string, Figure>> {
  const tableName = `bench-scale10-${Date.now()}`;
  const { client, raw } = createStoreClient(localClientConfig(endpoint), { requestTimeoutMs: 60_000 });
  try {
    await ensureTable(raw, tableName);
    const target = { client, tableName, now: Date.now };
    await initializeAccount(target, LARGE);
    const token = mintedToken(await bootstrapAccount(target, LARGE));
    let projects: Scope[];
    let itemCount: number;
    {
      const built = buildWorld(TEN_TIMES_WORLD);
      projects = built.projects.slice(0, 20);
      const items = worldItems(built.world, built.scopes);
      itemCount = items.length;
      if (process.env.BENCH_SCALE_10X_INGEST === '1') {
        const started = performance.now();
        await batchPut(client, tableName, items, () => {}, 16);
        log(`loaded ${items.length} items in ${round((performance.now() - started) / 1000)} s`);
      }
      const version = (await readAccountVersion(target, LARGE)) ?? 0;
      const bootstrapped = await partitionItems(client, tableName, LARGE);
      const encodeStarted = performance.now();
      const state = stateFromItems(LARGE, version, [...items, ...bootstrapped]);
      const bytes = encodeSnapshot(state, Date.now());
      log(`built and encoded the 10× state in ${round((performance.now() - encodeStarted) / 1000)} s`);
      await snapshots.put(LARGE, version, bytes);
      log(`stored the 10× snapshot v${version} (${round(bytes.length / 1e6)} MB)`);
    }
    log('cold first check of a fresh instance on the 10× account');
    const cold = await coldAndWarm(endpoint, tableName, snapshots, LARGE, token, projects, 1);
    log('a change after the 10× snapshot: cold start with one, warm policy-only instance after writes');
    const replay = await measureReplay({
      endpoint,
      client,
      tableName,
      snapshots,
      accountId: LARGE,
      token,
      project: projects[0] as Scope,
    });
    return {
      ...replayFigures(replay, '_10x', itemCount),
      cold_first_check_10x_ms: {
        value: round(cold.coldMs),
        unit: 'ms',
        reference: AUTHORIZE_TIMEOUT_MS,
        ratio: round(cold.coldMs / AUTHORIZE_TIMEOUT_MS),
        note: `${itemCount} items, snapshot present (${cold.partitionReads} partition pages read); reference: the authorize function's timeout`,
      },
      snapshot_heap_10x_mb: {
        value: round(cold.heapMb),
        unit: 'MB',
        note: 'heap held by a fresh instance after its first check on the 10× account',
      },
    };
  } finally {
    raw.destroy();
  }
}

/**
 * Every figure of the scale phase: the realistic account (built by the caller) beside a small one,
 * then the 10× account. `blobEndpoint` is a local S3-compatible server with a bucket `bucket`.
 */
export async function measureScale(
  endpoint: string,
  blob: { readonly endpoint: string; readonly bucket: string },
  world: PolicySnapshot,
  scopes: readonly Scope[],
  projects: readonly Scope[],
): Promise<Record<string, Figure>> {
  const s3 = localS3Client(blob.endpoint);
  try {
    const snapshots = (prefix: string) => s3SnapshotStore({ client: s3, bucket: blob.bucket, prefix });
    const figures = await measureRealistic(endpoint, snapshots('realistic/'), world, scopes, projects);
    log(JSON.stringify(figures));
    log('10× account');
    const tenTimes = await measureTenTimes(endpoint, snapshots('ten-times/'));
    log(JSON.stringify(tenTimes));
    return { ...figures, ...tenTimes };
  } finally {
    s3.destroy();
  }
}
