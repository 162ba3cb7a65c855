import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccessCheck } from '../../../functions/core/access-check.js';
import type { PolicySnapshot } from '../../../functions/core/policy-snapshot.js';
import type { ActingPrincipal } from '../../../functions/core/principal.js';
import { projectScope, scopePath } from '../../../functions/core/scope.js';
import type { ChangeOperation } from '../../../functions/store/change-log.js';
import { filingKeys } from '../../../functions/store/indexed-items.js';
import { userGroupMembersPrefix } from '../../../functions/store/keys.js';
import {
  applyChanges,
  type PolicyState,
  stateFromItems,
  type VersionedChange,
} from '../../../functions/store/policy-state.js';
import { coalesceSpans } from '../../../functions/store/snapshots/byte-spans.js';
import type { PolicyOnlyState } from '../../../functions/store/snapshots/policy-only-state.js';
import {
  SnapshotDecodeError,
  SnapshotReplacedError,
} from '../../../functions/store/snapshots/snapshot-format.js';
import { openSnapshot } from '../../../functions/store/snapshots/snapshot-loader.js';
import { decodeSnapshot, decodeSnapshotPolicy } from '../../../functions/store/snapshots/snapshot-reader.js';
import { encodeSnapshot } from '../../../functions/store/snapshots/snapshot-writer.js';
import { largeWorld } from '../../support/large-world.js';
import { type MemorySnapshotStore, memorySnapshotStore } from '../../support/memory-snapshot-store.js';
import { oracleDecide } from '../../support/oracle.js';
import { itemsOfSnapshot, operationsBetween, testIncarnation } from '../../support/snapshot-items.js';
import { actingPrincipalArb, checkArb, WORLD_ACCOUNT, worldArb } from '../../support/world-arbitrary.js';

const stateOf = (world: PolicySnapshot, version = 1): PolicyState =>
  stateFromItems(world.accountIdentifier, version, itemsOfSnapshot(world).values());

/**
 * The change the API commits to turn `before` into `after`, at `version`: item puts and deletes,
 * and the member ranges of the groups it deletes retired (as a group deletion retires them) instead of
 * deleted one by one.
 */
function changeBetween(before: PolicySnapshot, after: PolicySnapshot, version: number): VersionedChange {
  const operations: ChangeOperation[] = operationsBetween(before, after);
  const gone = before.userGroups.filter(
    (group) =>
      !group.identifier.startsWith('_') &&
      !after.userGroups.some(
        (other) => other.identifier === group.identifier && scopePath(other.scope) === scopePath(group.scope),
      ),
  );
  const retired = gone.map((group) => userGroupMembersPrefix(testIncarnation(group)));
  const retiredKey = (sk: string) => retired.some((range) => sk.startsWith(range));
  return {
    version,
    puts: operations.flatMap((operation) => ('item' in operation ? [operation.item] : [])),
    deletes: operations.flatMap((operation) =>
      operation.kind === 'delete' && !retiredKey(operation.sk) ? [operation.sk] : [],
    ),
    retired,
  };
}

/** A store holding `state`'s snapshot whose first read ends with its policy part (as a large account's does). */
async function storeOf(
  state: PolicyState,
  etags = true,
): Promise<{ store: MemorySnapshotStore; bytes: Uint8Array }> {
  const bytes = encodeSnapshot(state, 0);
  const policyEnd = decodeSnapshotPolicy(bytes, state.accountId).itemsRange.start;
  const store = memorySnapshotStore({ firstReadEnd: () => policyEnd, etags });
  await store.put(state.accountId, state.version, bytes);
  return { store, bytes };
}

async function opened(store: MemorySnapshotStore, onCorrupt?: (error: SnapshotDecodeError) => void) {
  const snapshot = await openSnapshot(store, WORLD_ACCOUNT, { onCorrupt });
  if (!snapshot) throw new Error('the store holds no snapshot');
  return snapshot;
}

const bySk = (items: Iterable<Record<string, unknown>>) =>
  [...items].sort((a, b) => String(a.SK).localeCompare(String(b.SK)));

/** Asserts that `complete` holds exactly the items of `expected`, filed under the same keys. */
function expectSameItems(complete: PolicyState, expected: PolicyState): void {
  expect(bySk(complete.items.values())).toEqual(bySk(expected.items.values()));
  const keys = new Set([...expected.items.values(), ...complete.items.values()].flatMap(filingKeys));
  for (const key of keys) expect(bySk(complete.items.filed(key))).toEqual(bySk(expected.items.filed(key)));
}

describe('policy-only state (a snapshot whose items part is read only where changes reach)', () => {
  it('decides after any change sequence exactly as the full replay and the oracle, and completes to the same items', async () => {
    await fc.assert(
      fc.asyncProperty(
        worldArb,
        fc.array(worldArb, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.tuple(actingPrincipalArb, checkArb), { minLength: 12, maxLength: 12 }),
        async (before, afters, etags, batched, checks) => {
          // Prepare: the snapshot of `before`, the changes to each world in turn
          const initial = stateOf(before);
          const { store, bytes } = await storeOf(initial, etags);
          const worlds = [before, ...afters];
          const changes = afters.map((after, n) => changeBetween(worlds[n] as PolicySnapshot, after, n + 2));
          const final = afters.at(-1) as PolicySnapshot;
          const snapshot = await opened(store);

          // Act: replayed on the policy-only state (all at once, as a cold start; or one by one, as a
          // warm instance), and on the complete snapshot state
          let policyOnly: PolicyOnlyState = snapshot.policyOnly;
          if (batched) policyOnly = await policyOnly.replay(changes);
          else for (const change of changes) policyOnly = await policyOnly.replay([change]);
          const full = applyChanges(decodeSnapshot(bytes, WORLD_ACCOUNT), changes);
          const decisions = checks.map(([principal, check]) =>
            policyOnly.state.evaluator.check(principal, check),
          );
          const complete = await policyOnly.complete();

          // Assess
          expect(policyOnly.version).toBe(afters.length + 1);
          checks.forEach(([principal, check], n) => {
            expect(decisions[n]).toEqual(full.evaluator.check(principal, check));
            expect(decisions[n]?.permitted).toBe(oracleDecide(final, principal, check));
          });
          expect(complete.version).toBe(policyOnly.version);
          expectSameItems(complete, stateOf(final));
          expectSameItems(complete, full);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('reads only the chunks a change of a large account touches, with a few coalesced ranged GETs', async () => {
    const world = largeWorld();
    const initial = stateOf(world);
    const users = world.scopeMemberships.map((membership) => membership.userId);
    const changeArb = fc.record({
      removedMemberships: fc.uniqueArray(fc.integer({ min: 0, max: users.length - 1 }), { maxLength: 4 }),
      regrouped: fc.uniqueArray(fc.integer({ min: 0, max: world.userGroups.length - 1 }), { maxLength: 2 }),
      newAssignments: fc.uniqueArray(fc.integer({ min: 0, max: users.length - 1 }), { maxLength: 3 }),
    });
    const { store, bytes } = await storeOf(initial);
    const { itemsRange } = decodeSnapshotPolicy(bytes, WORLD_ACCOUNT);
    const itemsBytes = itemsRange.end - itemsRange.start;
    await fc.assert(
      fc.asyncProperty(changeArb, async ({ removedMemberships, regrouped, newAssignments }) => {
        // Prepare: a few memberships removed, a group or two given other members, a few users granted
        const project = projectScope(WORLD_ACCOUNT, 'o1', 'p1');
        const after: PolicySnapshot = {
          ...world,
          scopeMemberships: world.scopeMemberships.filter((_, n) => !removedMemberships.includes(n)),
          userGroups: world.userGroups.map((group, g) =>
            regrouped.includes(g)
              ? { ...group, users: [...group.users.slice(1), `user${(g * 7) % 3000}`] }
              : group,
          ),
          roleAssignments: [
            ...world.roleAssignments,
            ...newAssignments.map((n) => ({
              identifier: `granted${n}`,
              scope: project,
              roleIdentifier: '_project_admin',
              resourceGroupIdentifier: '_all_project_level_resources',
              principal: { type: 'USER' as const, identifier: `user${n}` },
              disabled: false,
              managed: false,
            })),
          ],
        };
        const change = changeBetween(world, after, 2);
        const snapshot = await opened(store);
        const readsBefore = store.reads.length;

        // Act
        const replayed = await snapshot.policyOnly.replay([change]);
        const reads = store.reads.slice(readsBefore);

        // Assess: a few GETs of a small share of the items part, and the same decisions as the oracle
        expect(reads.length).toBeLessThanOrEqual(3 * 32);
        const read = reads.reduce((total, r) => total + r.bytes, 0);
        expect(read).toBe(replayed.itemsBytesRead);
        expect(read).toBeLessThan(itemsBytes / 4);
        const touchedUsers = [...removedMemberships, ...newAssignments, 0, 1, 2].map((n) => `user${n}`);
        for (const identifier of touchedUsers) {
          const principal: ActingPrincipal = { type: 'USER', identifier };
          for (const check of largeWorldChecks) {
            expect(replayed.state.evaluator.check(principal, check).permitted).toBe(
              oracleDecide(after, principal, check),
            );
          }
        }
      }),
      { numRuns: 12 },
    );
  });

  it('reads each chunk once, and the whole items part only when something needs every item', async () => {
    // Prepare
    const world = largeWorld();
    const { store, bytes } = await storeOf(stateOf(world));
    const { itemsRange } = decodeSnapshotPolicy(bytes, WORLD_ACCOUNT);
    const snapshot = await opened(store);
    const revoke = changeBetween(world, { ...world, roleAssignments: world.roleAssignments.slice(1) }, 2);
    const regrant = changeBetween({ ...world, roleAssignments: world.roleAssignments.slice(1) }, world, 3);

    // Act
    const first = await snapshot.policyOnly.replay([revoke]);
    const afterFirst = store.reads.length;
    const second = await first.replay([regrant]);
    const afterSecond = store.reads.length;
    const complete = await second.complete();
    const afterComplete = store.reads.length;
    await second.complete();

    // Assess: the second change touched the same chunks (no read); completing read the rest once
    expect(afterSecond).toBe(afterFirst);
    expect(afterComplete).toBe(afterSecond + 1);
    expect(store.reads.length).toBe(afterComplete);
    expect(store.reads.at(-1)).toMatchObject({ start: itemsRange.start, end: itemsRange.end });
    expectSameItems(complete, stateOf(world, 3));
  });

  it.each([
    { etags: true, what: 'entity tags' },
    { etags: false, what: 'snapshot ids' },
  ])('tells a snapshot replaced between its reads (by its $what) and fails the replay', async ({ etags }) => {
    // Prepare: a policy-only state, then another snapshot of the same length (the same state
    // published at another time: only its header and id differ) stored in its place
    const world = largeWorld();
    const state = stateOf(world);
    const { store, bytes } = await storeOf(state, etags);
    const snapshot = await opened(store);
    const changed = { ...world, roleAssignments: world.roleAssignments.slice(3) };
    let other: Uint8Array | undefined;
    for (let publishedAt = 1; !other && publishedAt <= 50; publishedAt++) {
      const candidate = encodeSnapshot(state, publishedAt);
      if (candidate.length === bytes.length) other = candidate;
    }
    expect(other).toBeDefined();
    await store.put(WORLD_ACCOUNT, 1, other as Uint8Array);

    // Act
    const failure = await snapshot.policyOnly
      .replay([changeBetween(world, changed, 2)])
      .catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(SnapshotReplacedError);
  });

  it('fails the replay that needs a damaged chunk, and says so, instead of deciding without it', async () => {
    // Prepare: every byte after the id of the items part flipped
    const world = largeWorld();
    const state = stateOf(world);
    const { store, bytes } = await storeOf(state);
    const damaged = Buffer.from(bytes);
    const { itemsRange } = decodeSnapshotPolicy(bytes, WORLD_ACCOUNT);
    for (let at = itemsRange.start + 16; at < damaged.length; at += 7)
      damaged[at] = (damaged[at] ?? 0) ^ 0xff;
    await store.put(WORLD_ACCOUNT, 1, damaged);
    const corrupt: SnapshotDecodeError[] = [];
    const snapshot = await opened(store, (error) => corrupt.push(error));

    // Act
    const failure = await snapshot.policyOnly
      .replay([changeBetween(world, { ...world, roleAssignments: world.roleAssignments.slice(1) }, 2)])
      .catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(SnapshotDecodeError);
    expect(corrupt.length).toBeGreaterThan(0);
  });
});

describe('coalesceSpans', () => {
  it('merges overlapping, adjacent and near spans, and widens the gap until few reads remain', () => {
    // Prepare
    const spans = [
      { start: 100, end: 200 },
      { start: 0, end: 50 },
      { start: 200, end: 260 },
      { start: 300, end: 310 },
      { start: 10_000, end: 10_100 },
    ];

    // Act
    const near = coalesceSpans(spans, 50, 10);
    const few = coalesceSpans(spans, 0, 2);

    // Assess
    expect(near).toEqual([
      { start: 0, end: 310 },
      { start: 10_000, end: 10_100 },
    ]);
    expect(coalesceSpans(spans, 0, 10)).toEqual([
      { start: 0, end: 50 },
      { start: 100, end: 260 },
      { start: 300, end: 310 },
      { start: 10_000, end: 10_100 },
    ]);
    expect(few).toHaveLength(2);
    for (const span of spans)
      expect(few.some((read) => read.start <= span.start && span.end <= read.end)).toBe(true);
  });
});

/** Checks on the large world's project and account (its users are members of the project). */
const largeWorldChecks: AccessCheck[] = [
  {
    permission: 'core_pipeline_edit',
    resourceType: 'PIPELINE',
    resourceIdentifier: 'deploy',
    resourceScope: projectScope(WORLD_ACCOUNT, 'o1', 'p1'),
  },
  {
    permission: 'core_project_view',
    resourceType: 'PROJECT',
    resourceIdentifier: 'p1',
    resourceScope: { level: 'organization', accountIdentifier: WORLD_ACCOUNT, orgIdentifier: 'o1' },
  },
];
