import { type AttributeValue, BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { writeItems } from '@delivery-history/testkit/writeItems';
import { setTimeout as sleep } from 'node:timers/promises';

// Bulk loading for the query and replay benches: items made on the fly for i in a range,
// written 25 per BatchWrite, `parallel` in flight. Plain items go through testkit's
// writeItems (the store's putItems); items already in DynamoDB JSON go through the low-level
// client here (no marshalling on either side: the 100,000-message loads of the scale bench).

const BATCH = 25;
const MAX_ROUNDS = 50;

type RawItem = Record<string, AttributeValue>;

/** One BatchWriteItem of raw items; unprocessed ones again with a growing pause, bounded. */
const writeRaw = async (client: DynamoDBClient, tableName: string, batch: ReadonlyArray<RawItem>): Promise<void> => {
  let pending = batch.map((Item) => ({ PutRequest: { Item } }));
  for (let round = 0; pending.length > 0; round++) {
    if (round >= MAX_ROUNDS) throw new Error(`BatchWrite left ${pending.length} items unprocessed`);
    const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }));
    pending = (out.UnprocessedItems?.[tableName] ?? []).flatMap((r) =>
      r.PutRequest?.Item !== undefined ? [{ PutRequest: { Item: r.PutRequest.Item } }] : [],
    );
    if (pending.length > 0) await sleep(Math.min(1000, 20 * 2 ** round));
  }
};

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
  bulkLoadWith((b: ReadonlyArray<RawItem>) => writeRaw(client, tableName, b))(range, itemsOf, parallel);
