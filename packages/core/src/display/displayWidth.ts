import { UNSAFE_CHAR } from '../codecs/unsafeChar.js';
import { displayLine, escapeChar } from './displayText.js';

// ---------------------------------------------------------------------------
// Widths and cuts of a line as a terminal shows it once escaped: fitting counts the columns an
// escape takes (`\x1b` is four), and a cut is made between raw characters before escaping, so
// it never splits an escape and a cut cell is as safe and as readable as a whole one. Views
// therefore pass raw text to the writers; the writers cut, then escape.
// ---------------------------------------------------------------------------

// East Asian wide and fullwidth ranges, and the emoji blocks terminals draw two columns wide.
const WIDE =
  /[\u1100-\u115f\u231a\u231b\u2329\u232a\u23e9-\u23ec\u23f0\u23f3\u25fd\u25fe\u2614\u2615\u2648-\u2653\u267f\u2693\u26a1\u26aa\u26ab\u26bd\u26be\u26c4\u26c5\u26ce\u26d4\u26ea\u26f2\u26f3\u26f5\u26fa\u26fd\u2705\u270a\u270b\u2728\u274c\u274e\u2753-\u2755\u2757\u2795-\u2797\u27b0\u27bf\u2b1b\u2b1c\u2b50\u2b55\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60\uffe0-\uffe6\u{16fe0}-\u{16fe4}\u{17000}-\u{18cff}\u{1b000}-\u{1b2ff}\u{1f004}\u{1f0cf}\u{1f18e}\u{1f191}-\u{1f19a}\u{1f200}-\u{1f251}\u{1f300}-\u{1f64f}\u{1f680}-\u{1f6ff}\u{1f7e0}-\u{1f7eb}\u{1f90c}-\u{1f9ff}\u{1fa70}-\u{1faff}\u{20000}-\u{3fffd}]/u;
// Combining marks take no column of their own.
const ZERO = /[\p{Mn}\p{Me}]/u;

/** Columns one character takes once shown: an unsafe one as its escape (`\x1b` is four). */
export const charWidth = (c: string): number =>
  UNSAFE_CHAR.test(c) ? escapeChar(c).length : WIDE.test(c) ? 2 : ZERO.test(c) ? 0 : 1;

/** Columns `displayLine(s)` takes on a terminal. */
export const displayWidth = (s: string): number => {
  let w = 0;
  for (const c of s) w += charWidth(c);
  return w;
};

/**
 * The raw text cut so that its display fits `width` columns: whole if it fits, else the
 * longest prefix of whole characters that fits with "…" after it. A cut is made in the raw
 * text, so escaping it afterwards can never split an escape.
 */
export const cutToWidth = (s: string, width: number): string => {
  if (displayWidth(s) <= width) return s;
  if (width <= 0) return '';
  let used = 0;
  let out = '';
  for (const c of s) {
    const w = charWidth(c);
    if (used + w > width - 1) break;
    out += c;
    used += w;
  }
  return `${out}…`;
};

/** `displayLine(s)` within `width` columns: cut with "…" at a whole character, then escaped. */
export const fitLine = (s: string, width: number): string => displayLine(cutToWidth(s, width));
