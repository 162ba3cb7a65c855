/** A range of bytes of a blob: from `start` (inclusive) to `end` (exclusive). */
export interface ByteSpan {
  readonly start: number;
  readonly end: number;
}

/**
 * `spans` as few ranged reads: sorted, overlapping or adjacent ones merged, and ones at most `gap`
 * bytes apart merged too (reading a few unneeded bytes costs less than another request). When more
 * than `most` reads remain, the gap doubles until they are at most `most`, so a change reaching many
 * chunks costs a bounded number of requests.
 */
export function coalesceSpans(spans: readonly ByteSpan[], gap: number, most: number): ByteSpan[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  for (let allowed = gap; ; allowed = Math.max(1, allowed * 2)) {
    const merged: { start: number; end: number }[] = [];
    for (const span of sorted) {
      const last = merged.at(-1);
      if (last && span.start - last.end <= allowed) last.end = Math.max(last.end, span.end);
      else merged.push({ start: span.start, end: span.end });
    }
    if (merged.length <= Math.max(1, most)) return merged;
  }
}
