import { codePointName, UNSAFE_CHARS } from '../codecs/unsafeChar.js';

// ---------------------------------------------------------------------------
// The one output rule (invariant 10). Text a receiver or producer controls is shown with every
// character that could act on a terminal, a log viewer or a page (C0 and C1 controls, DEL),
// reorder what is shown (bidi controls) or hide itself (zero-width and other invisible
// characters) written as a visible escape. The set is the input edge's (`UNSAFE_CHAR`), so what
// the correlationId codec refuses and what every face escapes cannot drift apart.
// Escaping is idempotent (an escape is plain ASCII), so a view may apply it twice safely.
// Stored data stays as received; only showing it changes.
// ---------------------------------------------------------------------------

const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\t': '\\t', '\r': '\\r' };

/** The visible form of one unsafe character: `\n`, `\x1b`, `\x9b` (C0, DEL, C1), else `<U+202E>`. */
export const escapeChar = (c: string): string => {
  const short = SHORT[c];
  if (short !== undefined) return short;
  const cp = c.codePointAt(0) ?? 0;
  return cp <= 0x9f ? `\\x${cp.toString(16).padStart(2, '0')}` : `<${codePointName(c)}>`;
};

/** Multi-line text (a body snippet, a report): newline and tab kept, every other unsafe character escaped. */
export const displayText = (s: string): string =>
  s.replace(UNSAFE_CHARS, (c) => (c === '\n' || c === '\t' ? c : escapeChar(c)));

/** One line (a table cell, a tsv field, a header or error line): newline and tab escaped too. */
export const displayLine = (s: string): string => s.replace(UNSAFE_CHARS, escapeChar);
