import { display } from '@delivery-history/core';

/**
 * `--json` output: one document, two-space indented, newline-terminated, through the output
 * rule (C1, bidi and zero-width characters as `\uXXXX`, as `jq -a` writes them).
 */
export const toJson = (value: unknown): string => `${display.json(value, 2)}\n`;
