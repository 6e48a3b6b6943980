import { StoreFailureError } from './orThrow.js';

// A read or write of the table (or queue) failed after the store's retries. The store
// already classified a table failure (its StoreError is kept as `cause`); nothing here
// looks at AWS error names.

export type TableError = { readonly _tag: 'TableError'; readonly message: string; readonly cause: unknown };

export const TableError = (cause: unknown, context: string): TableError => {
  const reason =
    cause instanceof StoreFailureError ? cause.message : cause instanceof Error ? cause.message : String(cause);
  return {
    _tag: 'TableError',
    message: `${context}: ${reason}`,
    cause: cause instanceof StoreFailureError ? cause.error : cause,
  };
};
