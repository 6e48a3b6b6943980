import { createStore, type DocumentClient, describeStoreError } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';

// Tests read what is really stored: every item of the partition as the table holds it (the
// store's raw, consistent partition read; no codec, no TTL filter), not a decoded view.

/** Every item of a message's partition (consistent). */
export const partition = async (
  doc: DocumentClient,
  tableName: string,
  messageId: string,
): Promise<Record<string, unknown>[]> => {
  const read = await createStore({ doc, tableName }).readPartition(messageId)();
  if (E.isLeft(read)) throw new Error(`partition ${messageId}: ${describeStoreError(read.left)}`);
  return read.right.map((item) => ({ ...item }));
};
