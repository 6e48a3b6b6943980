// A usage or configuration problem: printed with the command's usage, exit code 2.

export type UsageError = { readonly _tag: 'UsageError'; readonly message: string };

export const UsageError = (message: string): UsageError => ({ _tag: 'UsageError', message });
