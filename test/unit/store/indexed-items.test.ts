import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  emailKey,
  entityAtKey,
  entityKey,
  filingKeys,
  gsi1Key,
  IndexedItems,
  itemsFiled,
  userKey,
  usingKey,
} from '../../../functions/store/indexed-items.js';
import { ENTITY } from '../../../functions/store/keys.js';

type Item = Record<string, unknown>;

const entities = [ENTITY.RoleAssignment, ENTITY.Membership, ENTITY.Invite, ENTITY.User, ENTITY.Scope];

/** An item under one of a few sort keys, with attributes drawn from small pools so filings collide. */
const itemArbitrary: fc.Arbitrary<Item> = fc.record({
  SK: fc.constantFrom('k1', 'k2', 'k3', 'k4', 'k5', 'k6'),
  entity: fc.constantFrom(...entities),
  scopePath: fc.option(fc.constantFrom('acc', 'acc/o1', 'acc/o1/p1'), { nil: undefined }),
  userId: fc.constantFrom('u1', 'u2'),
  email: fc.constantFrom('a@x', 'b@x'),
  roleIdentifier: fc.constantFrom('r1', 'r2'),
  resourceGroupIdentifier: fc.constantFrom('g1', 'g2'),
});

const changeArbitrary = fc.record({
  deletes: fc.array(fc.constantFrom('k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'absent'), { maxLength: 3 }),
  puts: fc.array(itemArbitrary, { maxLength: 4 }),
  /** Whether the secondary index is consulted (and so built) after this change. */
  look: fc.boolean(),
});

function sortKeys(items: readonly Item[]): string[] {
  return items.map((item) => String(item.SK)).sort();
}

/** What a full scan files under `key`. */
function scanned(map: ReadonlyMap<string, Item>, key: string): string[] {
  return sortKeys([...map.values()].filter((item) => filingKeys(item).includes(key)));
}

describe('IndexedItems', () => {
  it('files every item as a scan would, whenever the index is built and however it is changed', () => {
    fc.assert(
      fc.property(fc.array(changeArbitrary, { maxLength: 12 }), (changes) => {
        // Prepare
        let items = IndexedItems.empty();
        const expected = new Map<string, Item>();
        const keys = new Set<string>();
        for (const { deletes, puts, look } of changes) {
          // Act
          items = items.withChange(deletes, puts);
          for (const sk of deletes) expected.delete(sk);
          for (const item of puts) {
            expected.set(String(item.SK), item);
            for (const key of filingKeys(item)) keys.add(key);
          }
          // Assess
          expect([...items.keys()].sort()).toEqual([...expected.keys()].sort());
          if (look)
            for (const key of keys) expect(sortKeys(items.filed(key))).toEqual(scanned(expected, key));
        }
        for (const key of keys) expect(sortKeys(items.filed(key))).toEqual(scanned(expected, key));
      }),
    );
  });

  it('leaves the items it was derived from as they were', () => {
    // Prepare
    const before = IndexedItems.empty().withChange(
      [],
      [{ SK: 'a', entity: ENTITY.Invite, userId: 'u1', scopePath: 'acc' }],
    );
    before.filed(entityKey(ENTITY.Invite));
    // Act
    const after = before.withChange(
      ['a'],
      [{ SK: 'b', entity: ENTITY.Invite, userId: 'u2', scopePath: 'acc' }],
    );
    // Assess
    expect(sortKeys(before.filed(userKey(ENTITY.Invite, 'u1')))).toEqual(['a']);
    expect(before.filed(userKey(ENTITY.Invite, 'u2'))).toEqual([]);
    expect(sortKeys(after.filed(entityKey(ENTITY.Invite)))).toEqual(['b']);
    expect(after.has('a')).toBe(false);
  });

  it('files assignments by the role and resource group they use at their scope and by principal, users by e-mail', () => {
    // Act
    const keys = filingKeys({
      SK: 'RA#x',
      entity: ENTITY.RoleAssignment,
      scopePath: 'acc/o1',
      roleIdentifier: 'r1',
      resourceGroupIdentifier: 'g1',
      GSI1PK: 'ACCOUNT#acc#PRINCIPAL#USER#u1',
    });
    const userKeys = filingKeys({ SK: 'USER#u1', entity: ENTITY.User, email: 'a@x' });
    // Assess
    expect(keys.sort()).toEqual(
      [
        entityKey(ENTITY.RoleAssignment),
        entityAtKey(ENTITY.RoleAssignment, 'acc/o1'),
        usingKey('roleIdentifier', 'acc/o1', 'r1'),
        usingKey('resourceGroupIdentifier', 'acc/o1', 'g1'),
        gsi1Key('ACCOUNT#acc#PRINCIPAL#USER#u1'),
      ].sort(),
    );
    expect(userKeys).toEqual([entityKey(ENTITY.User), emailKey('a@x')]);
  });

  it('answers a plain map by testing every item', () => {
    // Prepare
    const plain = new Map<string, Item>([
      ['a', { SK: 'a', entity: ENTITY.User }],
      ['b', { SK: 'b', entity: ENTITY.Invite }],
    ]);
    // Act
    const found = itemsFiled(plain, entityKey(ENTITY.User), (item) => item.entity === ENTITY.User);
    // Assess
    expect(sortKeys(found)).toEqual(['a']);
  });
});
