/**
 * How a tag map is stored: a list of `[key, value]` pairs, not a DynamoDB map. The SDK's
 * marshalling builds maps by assignment (so a `__proto__` key is lost) and refuses a map whose
 * `constructor` key is a string; as pairs, every key the API accepts — `constructor`, `__proto__`,
 * `toString` included — is stored and read back as given.
 */
export type StoredTags = [key: string, value: string][];

/** The stored form of a tag map. */
export function encodeTags(tags: Readonly<Record<string, string>>): StoredTags {
  return Object.entries(tags).map(([key, value]) => [key, value]);
}

/**
 * The tag map of a stored `tags` attribute — the list of pairs, or the map items written before
 * the pairs were introduced — as own properties only (`Object.fromEntries`); `problem` says what
 * is wrong when it is neither.
 */
export function decodeTags(value: unknown): { tags: Record<string, string> } | { problem: string } {
  const entries = Array.isArray(value)
    ? value
    : typeof value === 'object' && value !== null
      ? Object.entries(value)
      : undefined;
  if (entries === undefined) return { problem: 'tags is neither a list of pairs nor a map' };
  for (const [index, entry] of entries.entries()) {
    if (!Array.isArray(entry) || entry.length !== 2 || !entry.every((part) => typeof part === 'string')) {
      return { problem: `tags[${index}] is not a pair of strings` };
    }
  }
  return { tags: Object.fromEntries(entries as StoredTags) };
}
