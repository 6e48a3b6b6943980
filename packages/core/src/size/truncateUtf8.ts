/** Appended to any string shortened to fit a size budget. */
export const TRUNCATION_MARKER = '…[truncated]';

/**
 * The longest prefix of `s` whose UTF-8 encoding is at most `maxBytes`, never
 * splitting a code point (a surrogate pair stays whole).
 */
// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: a hot byte-counting loop; the UTF-8 width table is the nesting
export const truncateUtf8 = (s: string, maxBytes: number): string => {
  if (maxBytes <= 0) return '';
  let bytes = 0;
  let i = 0;
  while (i < s.length) {
    const cp = s.codePointAt(i) ?? 0;
    const units = cp > 0xffff ? 2 : 1;
    const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes + size > maxBytes) break;
    bytes += size;
    i += units;
  }
  return s.slice(0, i);
};
