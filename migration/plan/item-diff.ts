import type { StoredItem } from '../../functions/store/items.js';
import type { PlannedItem } from './plan-items.js';

const BOOKKEEPING = new Set(['createdAt', 'lastModifiedAt', 'version']);

/** A canonical JSON text of an item's content: sorted keys, bookkeeping attributes left out. */
export function itemContent(item: Record<string, unknown>): string {
  return JSON.stringify(canonical(item, true));
}

function canonical(value: unknown, top: boolean): unknown {
  if (Array.isArray(value)) return value.map((entry) => canonical(entry, false));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([key, entry]) => entry !== undefined && !(top && BOOKKEEPING.has(key)))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, entry]) => [key, canonical(entry, false)]));
}

/**
 * The planned items that must be written, with their bookkeeping set: missing items are created at
 * version 1; `exact` items whose content differs replace the stored one (creation time kept,
 * version moved on); `absent` items that are stored are returned to be deleted. Items already as
 * planned are left out, so a second apply writes nothing.
 */
export function itemsToWrite(
  planned: readonly PlannedItem[],
  existing: ReadonlyMap<string, Record<string, unknown>>,
  now: number,
): PlannedItem[] {
  const writes: PlannedItem[] = [];
  for (const entry of planned) {
    const stored = existing.get(entry.item.SK);
    if (entry.mode === 'absent') {
      if (stored) writes.push(entry);
      continue;
    }
    if (stored && (entry.mode === 'ifAbsent' || itemContent(stored) === itemContent(entry.item))) continue;
    const isEntity = 'version' in entry.item;
    const meta = isEntity
      ? {
          createdAt: typeof stored?.createdAt === 'number' ? stored.createdAt : now,
          lastModifiedAt: now,
          version: typeof stored?.version === 'number' ? stored.version + 1 : 1,
        }
      : {};
    writes.push({ ...entry, item: { ...entry.item, ...meta } as StoredItem });
  }
  return writes;
}
