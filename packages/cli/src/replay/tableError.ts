// A read or write of the table (or queue) failed after the SDK's and the store's retries.

export type TableError = { readonly _tag: 'TableError'; readonly message: string; readonly cause: unknown };

export const TableError = (cause: unknown, context: string): TableError => {
  const name = (cause as { name?: unknown })?.name;
  const msg = cause instanceof Error ? cause.message : String(cause);
  return { _tag: 'TableError', message: `${context}: ${typeof name === 'string' ? `${name}: ` : ''}${msg}`, cause };
};
