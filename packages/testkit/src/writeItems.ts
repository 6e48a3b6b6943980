// The one bulk write of the tests and the bench: whole items as given (corrupt ones too), put
// through the store's own BatchWrite (`Store.putItems`: 25 a call, unprocessed items retried
// with backoff, AWS errors mapped once), `lanes` calls in flight. The store is the only
// package that talks to the table, the test kit included.
import { BATCH_PUT_MAX, createStore, type DocumentClient, describeStoreError } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import { mapLimit } from './mapLimit.js';

const chunked = <A>(items: ReadonlyArray<A>): A[][] => {
  const out: A[][] = [];
  for (let i = 0; i < items.length; i += BATCH_PUT_MAX) out.push(items.slice(i, i + BATCH_PUT_MAX));
  return out;
};

/** Puts every item (plain JS, through the document client). */
export const writeItems = async (
  doc: DocumentClient,
  tableName: string,
  items: ReadonlyArray<Record<string, unknown>>,
  lanes = 4,
): Promise<void> => {
  const store = createStore({ doc, tableName });
  await mapLimit(chunked(items), lanes, async (chunk) => {
    const put = await store.putItems(chunk)();
    if (E.isLeft(put)) throw new Error(`writeItems: ${describeStoreError(put.left)}`);
  });
};
