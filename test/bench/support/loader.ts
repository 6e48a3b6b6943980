import { type AttributeValue, BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

// Bulk loading for the query and replay benches: BatchWriteItem, 25 items per call, many
// calls in flight, unprocessed items retried with a short backoff (bounded).

const BATCH = 25;
const MAX_ROUNDS = 50;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const writeBatch = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
  items: ReadonlyArray<Record<string, unknown>>,
) => {
  let pending = items.map((Item) => ({ PutRequest: { Item } }));
  for (let round = 0; pending.length > 0; round++) {
    if (round >= MAX_ROUNDS)
      throw new Error(`BatchWriteItem left ${pending.length} items unprocessed after ${MAX_ROUNDS} rounds`);
    const out = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
    const left = out.UnprocessedItems?.[tableName] ?? [];
    pending = left.flatMap((r) =>
      r.PutRequest?.Item !== undefined ? [{ PutRequest: { Item: r.PutRequest.Item } }] : [],
    );
    if (pending.length > 0) await sleep(Math.min(1000, 20 * 2 ** round));
  }
};

/**
 * Writes every item produced by `itemsOf(i)` for i in [from, to), `parallel` batches in
 * flight; returns the number of items written.
 */
export const bulkLoad = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
  range: { from: number; to: number },
  itemsOf: (i: number) => ReadonlyArray<Record<string, unknown>>,
  parallel = 8,
): Promise<number> => {
  let next = range.from;
  let written = 0;
  const lane = async (): Promise<void> => {
    let buffer: Record<string, unknown>[] = [];
    const flush = async () => {
      if (buffer.length === 0) return;
      const batch = buffer;
      buffer = [];
      await writeBatch(doc, tableName, batch);
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

export type RawItem = Record<string, AttributeValue>;

const writeRawBatch = async (client: DynamoDBClient, tableName: string, items: ReadonlyArray<RawItem>) => {
  let pending = items.map((Item) => ({ PutRequest: { Item } }));
  for (let round = 0; pending.length > 0; round++) {
    if (round >= MAX_ROUNDS)
      throw new Error(`BatchWriteItem left ${pending.length} items unprocessed after ${MAX_ROUNDS} rounds`);
    const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }));
    const left = out.UnprocessedItems?.[tableName] ?? [];
    pending = left.flatMap((r) =>
      r.PutRequest?.Item !== undefined ? [{ PutRequest: { Item: r.PutRequest.Item } }] : [],
    );
    if (pending.length > 0) await sleep(Math.min(1000, 20 * 2 ** round));
  }
};

/** bulkLoad for items already in DynamoDB JSON (no marshalling on this side: 100,000-message loads). */
export const bulkLoadRaw = async (
  client: DynamoDBClient,
  tableName: string,
  range: { from: number; to: number },
  itemsOf: (i: number) => ReadonlyArray<RawItem>,
  parallel = 8,
): Promise<number> => {
  let next = range.from;
  let written = 0;
  const lane = async (): Promise<void> => {
    let buffer: RawItem[] = [];
    const flush = async () => {
      if (buffer.length === 0) return;
      const batch = buffer;
      buffer = [];
      await writeRawBatch(client, tableName, batch);
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
