import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type RawItem, writeItems, writeRawItems } from '@delivery-history/testkit';

// Bulk loading for the query and replay benches: items made on the fly for i in a range,
// written 25 per BatchWrite (testkit's loop: unprocessed items retried), `parallel` in flight.

const BATCH = 25;

const bulkLoadWith =
  <I>(write: (batch: ReadonlyArray<I>) => Promise<void>) =>
  async (range: { from: number; to: number }, itemsOf: (i: number) => ReadonlyArray<I>, parallel: number) => {
    let next = range.from;
    let written = 0;
    const lane = async (): Promise<void> => {
      let buffer: I[] = [];
      const flush = async () => {
        if (buffer.length === 0) return;
        const batch = buffer;
        buffer = [];
        await write(batch);
        written += batch.length;
      };
      for (let i = next++; i < range.to; i = next++) {
        for (const item of itemsOf(i)) {
          buffer.push(item);
          if (buffer.length === BATCH) await flush();
        }
      }
      await flush();
    };
    await Promise.all(Array.from({ length: parallel }, lane));
    return written;
  };

/**
 * Writes every item produced by `itemsOf(i)` for i in [from, to), `parallel` batches in
 * flight; returns the number of items written.
 */
export const bulkLoad = (
  doc: DynamoDBDocumentClient,
  tableName: string,
  range: { from: number; to: number },
  itemsOf: (i: number) => ReadonlyArray<Record<string, unknown>>,
  parallel = 8,
): Promise<number> =>
  bulkLoadWith((b: ReadonlyArray<Record<string, unknown>>) => writeItems(doc, tableName, b, 1))(
    range,
    itemsOf,
    parallel,
  );

/** bulkLoad for items already in DynamoDB JSON (no marshalling on this side: 100,000-message loads). */
export const bulkLoadRaw = (
  client: DynamoDBClient,
  tableName: string,
  range: { from: number; to: number },
  itemsOf: (i: number) => ReadonlyArray<RawItem>,
  parallel = 8,
): Promise<number> =>
  bulkLoadWith((b: ReadonlyArray<RawItem>) => writeRawItems(client, tableName, b, 1))(range, itemsOf, parallel);
