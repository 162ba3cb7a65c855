/**
 * DynamoDB's size limits and the size of an item as DynamoDB counts it (attribute names and values:
 * strings and binaries by their bytes, numbers by about one byte per two digits plus one, lists and
 * maps 3 bytes plus one per element). The count here errs on the large side, so an item it accepts
 * is one DynamoDB accepts.
 */

/** The largest item DynamoDB stores: 400 KB. */
export const MAX_ITEM_BYTES = 400 * 1024;

/** The largest `TransactWriteItems` request: 4 MB of items. */
export const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

/** The most actions one `TransactWriteItems` carries. */
export const MAX_TRANSACTION_ACTIONS = 100;

const encoder = new TextEncoder();

function bytesOf(text: string): number {
  return encoder.encode(text).length;
}

/** The size of one attribute value. */
export function valueSize(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return bytesOf(value);
  if (typeof value === 'number' || typeof value === 'bigint') return Math.ceil(String(value).length / 2) + 2;
  if (value instanceof Uint8Array) return value.length;
  if (value instanceof Set) {
    let size = 3;
    for (const entry of value) size += valueSize(entry) + 1;
    return size;
  }
  if (Array.isArray(value)) {
    let size = 3;
    for (const entry of value) size += valueSize(entry) + 1;
    return size;
  }
  if (typeof value === 'object') return 3 + attributesSize(value as Record<string, unknown>);
  return bytesOf(String(value));
}

function attributesSize(attributes: Record<string, unknown>): number {
  let size = 0;
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    size += bytesOf(name) + valueSize(value) + 1;
  }
  return size;
}

/** The size of an item (every attribute name and value). */
export function itemSize(item: Record<string, unknown>): number {
  return attributesSize(item);
}
