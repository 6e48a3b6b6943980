/** `--json` output: one document, two-space indented, newline-terminated. */
export const toJson = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
