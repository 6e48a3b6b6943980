import type { Store, StoreError } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';

// Every message id of one endpoint's index in a window, all pages (dh expunge --endpoint,
// dh tail --since): the index read, never a scan.

/** Rows per index page. */
const PAGE = 1000;

export const endpointMessageIds = async (
  store: Store,
  q: { readonly endpoint: string; readonly since: Date; readonly until?: Date },
): Promise<E.Either<StoreError, string[]>> => {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.queryByEndpoint({
      endpoint: q.endpoint,
      since: q.since,
      ...(q.until !== undefined ? { until: q.until } : {}),
      limit: PAGE,
      ...(cursor !== null ? { cursor } : {}),
    })();
    if (E.isLeft(page)) return page;
    ids.push(...page.right.items.map((s) => s.messageId));
    cursor = page.right.cursor;
  } while (cursor !== null);
  return E.right(ids);
};
