import { UNSAFE_CHARS } from '../codecs/unsafeChar.js';

/**
 * JSON text with every unsafe character written as `\uXXXX`, as `jq -a` writes non-ASCII:
 * `JSON.stringify` escapes C0 and lone surrogates but leaves DEL, C1, bidi and zero-width
 * characters (and U+2028/2029) raw. Ordinary text comes out byte-identical to `JSON.stringify`,
 * and parsing it gives back the same value.
 */
export const escapeUnsafeInJson = (json: string): string =>
  json.replace(UNSAFE_CHARS, (c) =>
    // A raw newline or tab in JSON text is layout (JSON.stringify escapes them inside strings).
    c === '\n' || c === '\t'
      ? c
      : [...Array(c.length).keys()].map((i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join(''),
  );

/** `value` as JSON for a person or a pipe (`indent` as JSON.stringify's), through the output rule. */
export const displayJson = (value: unknown, indent?: number): string =>
  escapeUnsafeInJson(JSON.stringify(value, null, indent) ?? 'null');
