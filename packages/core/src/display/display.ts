import { displayJson } from './displayJson.js';
import { displayLine, displayText } from './displayText.js';
import { cutToWidth, displayWidth, fitLine } from './displayWidth.js';
import { wrapLine } from './wrapLine.js';

/**
 * The one output rule (invariant 10), as one door: what every face shows of stored text.
 * `text` keeps line breaks, `line` escapes them too, `json` escapes inside JSON strings;
 * `width`, `cut`, `fit` and `wrap` measure and fit display columns after the escaping.
 */
export const display = {
  text: displayText,
  line: displayLine,
  json: displayJson,
  width: displayWidth,
  cut: cutToWidth,
  fit: fitLine,
  wrap: wrapLine,
} as const;
