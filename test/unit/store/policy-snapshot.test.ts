import { brotliCompressSync, deflateSync, inflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PolicySnapshot } from '../../../functions/core/policy-snapshot.js';
import type { RoleAssignment } from '../../../functions/core/role-assignment.js';
import type { ChangeOperation } from '../../../functions/store/change-log.js';
import { roleAssignmentItem } from '../../../functions/store/entities/role-assignments.js';
import {
  applyChange,
  type ItemChange,
  type PolicyState,
  stateFromItems,
} from '../../../functions/store/policy-state.js';
import {
  ID_BYTES,
  SnapshotDecodeError,
  SnapshotReplacedError,
} from '../../../functions/store/snapshots/snapshot-format.js';
import {
  decodeSnapshot,
  decodeSnapshotPolicy,
  snapshotHead,
} from '../../../functions/store/snapshots/snapshot-reader.js';
import { encodeSnapshot, SnapshotChunkCache } from '../../../functions/store/snapshots/snapshot-writer.js';
import { largeWorld } from '../../support/large-world.js';
import { oracleDecide } from '../../support/oracle.js';
import { itemsOfSnapshot, operationsBetween, TEST_ITEM_META } from '../../support/snapshot-items.js';
import { actingPrincipalArb, checkArb, WORLD_ACCOUNT, worldArb } from '../../support/world-arbitrary.js';

/** The item change a list of operations makes. */
function changeOf(operations: readonly ChangeOperation[]): ItemChange {
  return {
    puts: operations.flatMap((operation) => ('item' in operation ? [operation.item] : [])),
    deletes: operations.flatMap((operation) => (operation.kind === 'delete' ? [operation.sk] : [])),
  };
}

function stateOf(world: PolicySnapshot, version = 1): PolicyState {
  return stateFromItems(world.accountIdentifier, version, itemsOfSnapshot(world).values());
}

function roundTrip(state: PolicyState): PolicyState {
  return decodeSnapshot(encodeSnapshot(state, 1_700_000_000_000), state.accountId);
}

const sorted = (state: PolicyState) => [...state.items.entries()].sort(([a], [b]) => a.localeCompare(b));

describe('policy snapshot codec', () => {
  it('restores a state that holds the same items and decides like the oracle, before and after a change', () => {
    fc.assert(
      fc.property(
        worldArb,
        worldArb,
        fc.array(fc.tuple(actingPrincipalArb, checkArb), { minLength: 15, maxLength: 15 }),
        (before, after, checks) => {
          // Prepare
          const original = stateOf(before);

          // Act
          const restored = roundTrip(original);
          const changed = applyChange(restored, changeOf(operationsBetween(before, after)), 2);

          // Assess
          expect(restored.version).toBe(1);
          expect(sorted(restored)).toEqual(sorted(original));
          expect(sorted(changed)).toEqual(sorted(stateOf(after, 2)));
          for (const [principal, check] of checks) {
            expect(restored.evaluator.check(principal, check).permitted).toBe(
              oracleDecide(before, principal, check),
            );
            expect(changed.evaluator.check(principal, check).permitted).toBe(
              oracleDecide(after, principal, check),
            );
          }
        },
      ),
      { numRuns: 120 },
    );
  });

  it('reads only the buckets a check touches: the rest of a large account stays compressed', () => {
    // Prepare
    const world = largeWorld();
    const bytes = encodeSnapshot(stateOf(world), 0);

    // Act
    const restored = decodeSnapshot(bytes, WORLD_ACCOUNT);
    const decision = restored.evaluator.check(
      { type: 'USER', identifier: 'user42' },
      {
        permission: 'core_project_view',
        resourceType: 'PROJECT',
        resourceIdentifier: 'p1',
        resourceScope: { level: 'organization', accountIdentifier: WORLD_ACCOUNT, orgIdentifier: 'o1' },
      },
    );

    // Assess
    expect(decision.permitted).toBe(
      oracleDecide(
        world,
        { type: 'USER', identifier: 'user42' },
        {
          permission: 'core_project_view',
          resourceType: 'PROJECT',
          resourceIdentifier: 'p1',
          resourceScope: { level: 'organization', accountIdentifier: WORLD_ACCOUNT, orgIdentifier: 'o1' },
        },
      ),
    );
    const maps = restored.evaluator.index.maps();
    expect(maps.groupsByUser.bucketCount).toBeGreaterThanOrEqual(64);
    expect(maps.groupsByUser.loadedBucketCount).toBe(1);
    expect(maps.assignmentsByPrincipal.loadedBucketCount).toBeLessThan(
      maps.assignmentsByPrincipal.bucketCount / 2,
    );
    expect(maps.entities.loadedBucketCount).toBe(0);
    expect(restored.items.parts().map.loadedBucketCount).toBe(0);
  });

  it('re-encodes a decoded snapshot byte for byte, and a changed one like a fresh encoding, reusing unchanged chunks', () => {
    fc.assert(
      fc.property(worldArb, worldArb, (before, after) => {
        // Prepare
        const cache = new SnapshotChunkCache();
        const bytes = encodeSnapshot(stateOf(before), 5, cache);
        const restored = decodeSnapshot(bytes, WORLD_ACCOUNT);
        const changed = applyChange(restored, changeOf(operationsBetween(before, after)), 2);

        // Act
        const again = encodeSnapshot(restored, 5, cache);
        const next = decodeSnapshot(encodeSnapshot(changed, 5, cache), WORLD_ACCOUNT);

        // Assess
        expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
        expect(sorted(next)).toEqual(sorted(stateOf(after, 2)));
        const groupKeys = (state: PolicyState, user: string) =>
          state.evaluator.index
            .groupsOf(user)
            .map((group) => group.key)
            .sort();
        for (const user of ['u1', 'u2', 'u3']) {
          expect(groupKeys(next, user)).toEqual(groupKeys(stateOf(after, 2), user));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('authorizes from its policy part alone, and completes with the items part of the same snapshot only', () => {
    fc.assert(
      fc.property(
        worldArb,
        fc.array(fc.tuple(actingPrincipalArb, checkArb), { minLength: 15, maxLength: 15 }),
        (world, checks) => {
          // Prepare
          const original = stateOf(world);
          const bytes = encodeSnapshot(original, 0);
          const other = encodeSnapshot(original, 1);
          const headerEnd = snapshotHead(bytes.subarray(0, 8), WORLD_ACCOUNT);
          if (typeof headerEnd !== 'number') throw new Error('8 bytes cannot hold a header');
          const head = snapshotHead(bytes.subarray(0, headerEnd), WORLD_ACCOUNT);
          if (typeof head === 'number') throw new Error('the header is incomplete');

          // Act
          const part = decodeSnapshotPolicy(bytes.subarray(0, head.policyBytes), WORLD_ACCOUNT, {}, head);
          const { start, end } = part.itemsRange;

          // Assess
          expect(end).toBe(bytes.length);
          for (const [principal, check] of checks) {
            expect(part.state.evaluator.check(principal, check).permitted).toBe(
              oracleDecide(world, principal, check),
            );
          }
          expect(() => part.withItems(other.subarray(start))).toThrow(SnapshotReplacedError);
          expect(sorted(part.withItems(bytes.subarray(start)))).toEqual(sorted(original));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('tells its version, account and size from the header alone', () => {
    // Prepare
    const state = stateOf(largeWorld(), 7);
    const bytes = encodeSnapshot(state, 123);

    // Act
    const head = snapshotHead(bytes, WORLD_ACCOUNT);
    const part = decodeSnapshotPolicy(bytes, WORLD_ACCOUNT);

    // Assess
    if (typeof head === 'number') throw new Error('the header is incomplete');
    expect(head.header).toMatchObject({ accountId: WORLD_ACCOUNT, version: 7, publishedAt: 123 });
    expect(part.state.accountId).toBe(WORLD_ACCOUNT);
    expect(part.items).toBe(state.items.size);
  });

  it('refuses another account, another format, a truncated snapshot and bytes past its end', () => {
    // Prepare
    const bytes = Buffer.from(encodeSnapshot(stateOf(largeWorld()), 0));
    const formerFormat = brotliCompressSync(
      JSON.stringify({ format: 'nextgen-rbac.policy-snapshot', items: [] }),
    );

    // Act
    const attempts = [
      () => decodeSnapshot(bytes, 'other'),
      () => decodeSnapshot(formerFormat, WORLD_ACCOUNT),
      () => decodeSnapshot(bytes.subarray(0, bytes.length - 10), WORLD_ACCOUNT),
      () => decodeSnapshot(Buffer.concat([bytes, Buffer.from('x')]), WORLD_ACCOUNT),
      () => decodeSnapshot(bytes.subarray(0, 20), WORLD_ACCOUNT),
    ];

    // Assess
    for (const attempt of attempts) expect(attempt).toThrow(SnapshotDecodeError);
  });

  it('refuses a header whose chunk lists are not lists of whole offsets, or whose maps are not a power of two of buckets', () => {
    // Prepare: re-write the header of a valid snapshot with one field broken at a time
    const bytes = Buffer.from(encodeSnapshot(stateOf(largeWorld()), 0));
    const headEnd = 8 + bytes.readUInt32BE(4);
    const header = JSON.parse(inflateSync(bytes.subarray(8, headEnd)).toString('utf8'));
    const withHeader = (changed: object) => {
      const head = deflateSync(JSON.stringify({ ...header, ...changed }));
      const prefix = Buffer.alloc(8);
      prefix.write('NRBS', 0, 'ascii');
      prefix.writeUInt32BE(head.length, 4);
      return Buffer.concat([prefix, head, bytes.subarray(headEnd)]);
    };
    const items = header.items as { size: number; buckets: number[] };

    // Act
    const attempts = [
      withHeader({ chunkEnds: [...header.chunkEnds.slice(0, -1), 1.5] }),
      withHeader({ chunkEnds: [-1, ...header.chunkEnds.slice(1)] }),
      withHeader({ items: { ...items, buckets: [] } }),
      withHeader({ items: { ...items, buckets: ['0'] } }),
      withHeader({ tokens: { size: 0, buckets: [-1, -1, -1] } }),
      withHeader({ policyChunks: header.chunkEnds.length + 1 }),
    ].map((snapshot) => () => decodeSnapshot(snapshot, WORLD_ACCOUNT));

    // Assess: the untouched header decodes; every broken one is refused
    expect(decodeSnapshot(withHeader({}), WORLD_ACCOUNT).version).toBe(1);
    for (const attempt of attempts) expect(attempt).toThrow(SnapshotDecodeError);
  });

  it('fails the read that needs a damaged chunk, and says so, instead of deciding without it', () => {
    // Prepare: damage the first chunk of the items part (every chunk carries its own checksum)
    const world = largeWorld();
    const bytes = Buffer.from(encodeSnapshot(stateOf(world), 0));
    const itemsChunk = decodeSnapshotPolicy(bytes, WORLD_ACCOUNT).itemsRange.start + ID_BYTES;
    bytes[itemsChunk + 6] = (bytes[itemsChunk + 6] ?? 0) ^ 0xff;
    const corrupt: SnapshotDecodeError[] = [];
    const restored = decodeSnapshot(bytes, WORLD_ACCOUNT, { onCorrupt: (error) => corrupt.push(error) });
    const principal = { type: 'USER', identifier: 'user0' } as const;
    const access = {
      permission: 'core_project_view',
      resourceType: 'PROJECT',
      resourceIdentifier: 'p1',
      resourceScope: { level: 'organization', accountIdentifier: WORLD_ACCOUNT, orgIdentifier: 'o1' },
    } as const;

    // Act
    const decided = restored.evaluator.check(principal, access);
    const readAllItems = () => [...restored.items.values()];

    // Assess: what does not need the chunk goes on; what needs it fails (the HTTP layer answers 503)
    expect(decided.permitted).toBe(oracleDecide(world, principal, access));
    expect(readAllItems).toThrow(SnapshotDecodeError);
    expect(corrupt).toHaveLength(1);
  });

  it('grants nothing for an item that does not decode, and reports it when its bucket is read', () => {
    // Prepare: a role assignment item whose role is missing
    const world = largeWorld();
    const good = roleAssignmentItem(
      WORLD_ACCOUNT,
      { ...(world.roleAssignments[0] as RoleAssignment), identifier: 'broken' },
      TEST_ITEM_META,
    );
    const { roleIdentifier: _role, ...broken } = good;
    const state = stateFromItems(WORLD_ACCOUNT, 1, [...itemsOfSnapshot(world).values(), broken], () => {});
    const reported: string[] = [];
    const restored = decodeSnapshot(encodeSnapshot(state, 0), WORLD_ACCOUNT, {
      onMalformed: (sortKey) => reported.push(sortKey),
    });

    // Act
    const next = applyChange(restored, { puts: [], deletes: [good.SK] }, 2);

    // Assess
    expect(reported).toEqual([good.SK]);
    expect(next.items.has(good.SK)).toBe(false);
    expect([...restored.evaluator.index.enabledAssignments()].some((a) => a.identifier === 'broken')).toBe(
      false,
    );
  });
});
