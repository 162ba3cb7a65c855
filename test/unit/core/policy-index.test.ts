import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Evaluator } from '../../../functions/core/evaluator.js';
import { type PolicyEntity, PolicyIndex, snapshotEntities } from '../../../functions/core/policy-index.js';
import { oracleDecide } from '../../support/oracle.js';
import { actingPrincipalArb, checkArb, WORLD_ACCOUNT, worldArb } from '../../support/world-arbitrary.js';

type Entry = readonly [string, PolicyEntity];

/** A world's entities keyed `<prefix><index>`, so two worlds' keys never collide. */
function keyed(prefix: string, entities: readonly PolicyEntity[]): Entry[] {
  return entities.map((entity, index) => [`${prefix}${index}`, entity] as const);
}

describe('PolicyIndex.withChange', () => {
  it('decides after a series of changes exactly as an index built from the final entities, and leaves earlier indexes as they were', () => {
    fc.assert(
      fc.property(
        worldArb,
        worldArb,
        fc.infiniteStream(fc.boolean()),
        fc.array(fc.tuple(actingPrincipalArb, checkArb), { minLength: 20, maxLength: 20 }),
        (before, after, coin, checks) => {
          // Prepare: start from all of `before` and some of `after`, then change to exactly `after`.
          const old = keyed('a', snapshotEntities(before));
          const target = keyed('b', snapshotEntities(after));
          const flips = coin[Symbol.iterator]();
          const early = target.filter(() => flips.next().value);
          const late = target.filter((entry) => !early.includes(entry));
          const initial = new Evaluator(PolicyIndex.fromEntries(WORLD_ACCOUNT, [...old, ...early]));
          const reference = new Evaluator(PolicyIndex.fromEntries(WORLD_ACCOUNT, [...old, ...early]));
          // Act: remove half the old entities and re-put some early ones, then finish the change.
          const half = old.slice(0, Math.ceil(old.length / 2)).map(([key]) => key);
          const middle = initial.withChange({ removed: half, added: [...late, ...early.slice(0, 2)] });
          const final = middle.withChange({
            removed: old.map(([key]) => key),
            added: [],
          });
          // Assess: same decisions as the oracle on `after`; the initial evaluator is unchanged.
          for (const [principal, check] of checks) {
            expect(final.check(principal, check).permitted).toBe(oracleDecide(after, principal, check));
            expect(initial.check(principal, check).permitted).toBe(
              reference.check(principal, check).permitted,
            );
          }
          expect(final.index.size).toBe(target.length);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('drops the index entries of a removed key and ignores keys it does not hold', () => {
    // Prepare
    const world = fc.sample(worldArb, { numRuns: 1, seed: 7 })[0];
    if (!world) throw new Error('no world');
    const entries = keyed('k', snapshotEntities(world));
    const index = PolicyIndex.fromEntries(WORLD_ACCOUNT, entries);
    // Act
    const emptied = index.withChange({ removed: [...entries.map(([key]) => key), 'absent'], added: [] });
    // Assess
    expect(emptied.size).toBe(0);
    expect([...emptied.enabledAssignments()]).toEqual([]);
    expect(index.size).toBe(entries.length);
  });
});
