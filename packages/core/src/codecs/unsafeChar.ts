// ---------------------------------------------------------------------------
// The characters a producer-chosen identifier may not carry: they act on a terminal or a
// viewer (C0 and C1 controls, DEL), reorder what is shown (bidi controls), or hide
// themselves (zero-width and other invisible format characters, Unicode tags). Lone
// surrogates are refused too: they have no UTF-8 form, so no store or log keeps them as sent.
// The same set is the output rule's (`display/`): what the input edge refuses, every face
// escapes, so the two cannot drift apart.
// ---------------------------------------------------------------------------

/**
 * One unsafe character (`u` flag): C0, DEL, C1; bidi controls (ALM, LRM, RLM, LRE..RLO,
 * LRI..PDI); zero-width and invisible format characters (soft hyphen, combining grapheme
 * joiner, Hangul fillers, Mongolian vowel separator, ZWSP, ZWNJ, ZWJ, word joiner,
 * invisible operators, BOM); line and paragraph separators; tags; lone surrogates.
 */
export const UNSAFE_CHAR =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching controls is this pattern's job
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\u3164\ufeff\uffa0\u{e0000}-\u{e007f}]|\u034f|\p{Cs}/u;

/** `U+202E`: how a reason names a character (never the character itself). */
export const codePointName = (c: string): string =>
  `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;

/** The first unsafe character of `s` and its index, or null. */
export const firstUnsafeChar = (s: string): { readonly char: string; readonly index: number } | null => {
  const m = UNSAFE_CHAR.exec(s);
  return m === null ? null : { char: m[0], index: m.index };
};

/** Every unsafe character (global): the output rule (`display/`) replaces each one. */
export const UNSAFE_CHARS = new RegExp(UNSAFE_CHAR.source, 'gu');
