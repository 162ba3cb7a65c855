import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PersistentMap } from '../../../functions/core/persistent-map.js';

describe('PersistentMap', () => {
  it('behaves like a native Map under any series of sets and deletes, and never changes a map already made', () => {
    const operation = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key: fc.string({ maxLength: 3 }), value: fc.integer() }),
      fc.record({ kind: fc.constant('delete' as const), key: fc.string({ maxLength: 3 }) }),
    );
    fc.assert(
      fc.property(fc.array(fc.array(operation, { maxLength: 400 }), { maxLength: 6 }), (batches) => {
        let map = PersistentMap.empty<number>();
        const expected = new Map<string, number>();
        const history: [PersistentMap<number>, Map<string, number>][] = [];
        for (const batch of batches) {
          const draft = map.edit();
          for (const op of batch) {
            if (op.kind === 'set') {
              draft.set(op.key, op.value);
              expected.set(op.key, op.value);
            } else {
              draft.delete(op.key);
              expected.delete(op.key);
            }
          }
          map = draft.freeze();
          history.push([map, new Map(expected)]);
        }
        for (const [snapshot, contents] of history) {
          expect(snapshot.size).toBe(contents.size);
          expect(new Map(snapshot)).toEqual(contents);
          for (const key of contents.keys()) expect(snapshot.get(key)).toBe(contents.get(key));
        }
      }),
    );
  });

  it('grows its buckets with its size and keeps every entry', () => {
    // Prepare
    const entries = Array.from({ length: 100_000 }, (_, i) => [`key-${i}`, i] as const);
    // Act
    const map = PersistentMap.from(entries);
    const changed = map.set('key-5', -5).delete('key-6');
    // Assess
    expect(map.size).toBe(100_000);
    expect(map.get('key-99999')).toBe(99_999);
    expect(changed.get('key-5')).toBe(-5);
    expect(changed.has('key-6')).toBe(false);
    expect(map.get('key-5')).toBe(5);
    expect(map.has('key-6')).toBe(true);
    expect(changed.size).toBe(99_999);
  });

  it('refuses a draft used after it was frozen', () => {
    const draft = PersistentMap.empty<number>().edit();
    draft.freeze();
    expect(() => draft.set('a', 1)).toThrow(/after freeze/);
  });
});
