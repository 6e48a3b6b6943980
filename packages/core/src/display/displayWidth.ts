import { UNSAFE_CHARS } from '../codecs/unsafeChar.js';
import { escapeChar } from './displayText.js';

// ---------------------------------------------------------------------------
// Widths and cuts of a line as a terminal shows it, over the escaped text: fitting counts the
// columns an escape takes (`\x1b` is four), and a cut never splits an escape (it is one unit),
// so a cut cell is as safe and as readable as a whole one.
// ---------------------------------------------------------------------------

// East Asian wide and fullwidth ranges, and the emoji blocks terminals draw two columns wide.
const WIDE =
  /[\u1100-\u115f\u231a\u231b\u2329\u232a\u23e9-\u23ec\u23f0\u23f3\u25fd\u25fe\u2614\u2615\u2648-\u2653\u267f\u2693\u26a1\u26aa\u26ab\u26bd\u26be\u26c4\u26c5\u26ce\u26d4\u26ea\u26f2\u26f3\u26f5\u26fa\u26fd\u2705\u270a\u270b\u2728\u274c\u274e\u2753-\u2755\u2757\u2795-\u2797\u27b0\u27bf\u2b1b\u2b1c\u2b50\u2b55\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60\uffe0-\uffe6\u{16fe0}-\u{16fe4}\u{17000}-\u{18cff}\u{1b000}-\u{1b2ff}\u{1f004}\u{1f0cf}\u{1f18e}\u{1f191}-\u{1f19a}\u{1f200}-\u{1f251}\u{1f300}-\u{1f64f}\u{1f680}-\u{1f6ff}\u{1f7e0}-\u{1f7eb}\u{1f90c}-\u{1f9ff}\u{1fa70}-\u{1faff}\u{20000}-\u{3fffd}]/u;
// Combining marks take no column of their own.
const ZERO = /[\p{Mn}\p{Me}]/u;

const unitWidth = (u: string): number =>
  u.length > 2 || u.startsWith('\\') ? u.length : WIDE.test(u) ? 2 : ZERO.test(u) ? 0 : 1;

/** The line as units: one per safe code point, one per escape (never split). */
const unitsOf = (s: string): string[] => {
  const units: string[] = [];
  let last = 0;
  for (const m of s.matchAll(UNSAFE_CHARS)) {
    units.push(...s.slice(last, m.index), escapeChar(m[0]));
    last = m.index + m[0].length;
  }
  units.push(...s.slice(last));
  return units;
};

/** Columns `displayLine(s)` takes on a terminal. */
export const displayWidth = (s: string): number => unitsOf(s).reduce((w, u) => w + unitWidth(u), 0);

/**
 * `displayLine(s)` within `width` columns: whole if it fits, else cut at a unit boundary and
 * ended with "…" (so at most `width` columns, escapes whole or gone).
 */
export const fitLine = (s: string, width: number): string => {
  const units = unitsOf(s);
  const widths = units.map(unitWidth);
  if (widths.reduce((a, b) => a + b, 0) <= width) return units.join('');
  if (width <= 0) return '';
  let used = 0;
  let out = '';
  for (const [i, u] of units.entries()) {
    const w = widths[i] ?? 1;
    if (used + w > width - 1) break;
    out += u;
    used += w;
  }
  return `${out}…`;
};
