import { describeStoreError, type StoreError } from '@delivery-history/store';

// A read or write of the table (or queue) failed after the store's retries, in a pass over
// many messages (verify, replay, re-drive). The store already classified it (its StoreError
// is kept as `cause`); nothing here looks at AWS error names.

export type TableError = { readonly _tag: 'TableError'; readonly message: string; readonly cause: unknown };

/**
 * `<context>: <the store error, described>`; `detail` replaces the description (a re-drive's
 * selection says its error's message; the console's selection errors are text).
 */
export const TableError = (
  error: StoreError | { readonly message: string },
  context: string,
  detail: string = 'code' in error ? describeStoreError(error) : error.message,
): TableError => ({ _tag: 'TableError', message: `${context}: ${detail}`, cause: error });
