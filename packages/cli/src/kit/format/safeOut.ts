import { display } from '@delivery-history/core';
import type { Out } from '../io.js';

// The last line of the output rule (invariant 10): every write of a command goes through
// here, so a view that forgot to escape a stored value still cannot hand a terminal a control
// sequence. Views escape first (core's display functions, so widths and cuts are right); this
// guard then passes only the control sequences `dh` itself draws with, and escapes the rest.

/** What `dh` itself writes: its colours (color.ts) and the spinner's "back to column 0, clear line". */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are our own escape sequences
const OWN_CONTROLS = /\u001b\[(?:1|2|22|31|32|33|36|39)m|\r\u001b\[K/g;

/** `s` with every unsafe character escaped except newline, tab and `dh`'s own sequences. */
export const terminalSafe = (s: string): string => {
  let out = '';
  let last = 0;
  for (const m of s.matchAll(OWN_CONTROLS)) {
    out += display.text(s.slice(last, m.index)) + m[0];
    last = m.index + m[0].length;
  }
  return out + display.text(s.slice(last));
};

/** A stream that writes through `terminalSafe`; `isTTY` and `columns` read the stream's own (live). */
export const safeOut = (out: Out): Out => ({
  write: (s: string) => out.write(terminalSafe(s)),
  get isTTY() {
    return out.isTTY;
  },
  get columns() {
    return out.columns;
  },
  raw: out,
});
