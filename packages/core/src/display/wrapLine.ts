import { displayLine } from './displayText.js';
import { charWidth, displayWidth } from './displayWidth.js';

// ---------------------------------------------------------------------------
// A line of text folded to a terminal's width, for text a person reads whole (a body snippet,
// a warning) rather than a cell that may be cut: breaks at spaces where it can, inside a word
// where it must, never inside an escape (the raw text is folded, then each piece escaped).
// ---------------------------------------------------------------------------

/** The longest raw prefix of `s` whose display fits `width` (at least one character). */
const prefixFitting = (s: string, width: number): string => {
  let used = 0;
  let out = '';
  for (const c of s) {
    used += charWidth(c);
    if (used > width) break;
    out += c;
  }
  return out === '' ? ([...s][0] ?? '') : out;
};

/** One raw line (no newline) as escaped lines of at most `width` columns each. */
export const wrapLine = (s: string, width: number): string[] => {
  const w = Math.max(1, width);
  const out: string[] = [];
  let rest = s;
  while (displayWidth(rest) > w) {
    const head = prefixFitting(rest, w);
    const space = head.lastIndexOf(' ');
    // a break at a space: the one right after the head, else the last one inside it
    const atSpace = rest[head.length] === ' ';
    const piece = !atSpace && space > 0 ? head.slice(0, space) : head;
    out.push(displayLine(piece));
    rest = rest.slice(piece.length).replace(/^ /, '');
  }
  out.push(displayLine(rest));
  return out;
};
