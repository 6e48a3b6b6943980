// ---------------------------------------------------------------------------
// Which header values HTTP can carry: field-value characters (RFC 9110 §5.5) are HTAB, SP,
// visible ASCII and obs-text (0x80..0xFF, sent as Latin-1 bytes), the set undici checks
// before sending. The worker refuses anything else before a request goes out, and the
// stored request never keeps such a value (core's request redaction stores it [REDACTED]).
// ---------------------------------------------------------------------------

const UNSENDABLE = /[^\t\x20-\x7e\x80-\xff]/;

/** The first character of `value` no HTTP header can carry, and its index; null when sendable. */
export const unsendableHeaderChar = (value: string): { readonly char: string; readonly index: number } | null => {
  const m = UNSENDABLE.exec(value);
  return m === null ? null : { char: m[0], index: m.index };
};
