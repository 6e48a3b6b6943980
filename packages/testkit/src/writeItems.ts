// The one BatchWrite loop of the tests and the bench: chunks of 25, `lanes` calls in flight,
// unprocessed items retried with a growing pause (bounded: a table that never takes them fails).
import { type AttributeValue, BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { mapLimit } from './mapLimit.js';

const BATCH = 25;
const MAX_ROUNDS = 50;

type Put<I> = { PutRequest: { Item: I } };

const untilProcessed = async <I>(
  first: Put<I>[],
  send: (pending: Put<I>[]) => Promise<ReadonlyArray<{ PutRequest?: { Item?: I | undefined } | undefined }>>,
): Promise<void> => {
  let pending = first;
  for (let round = 0; pending.length > 0; round++) {
    if (round >= MAX_ROUNDS)
      throw new Error(`BatchWrite left ${pending.length} items unprocessed after ${round} rounds`);
    const left = await send(pending);
    pending = left.flatMap((r) =>
      r.PutRequest?.Item !== undefined ? [{ PutRequest: { Item: r.PutRequest.Item } }] : [],
    );
    if (pending.length > 0) await sleep(Math.min(1000, 20 * 2 ** round));
  }
};

const chunked = <A>(items: ReadonlyArray<A>): A[][] => {
  const out: A[][] = [];
  for (let i = 0; i < items.length; i += BATCH) out.push(items.slice(i, i + BATCH));
  return out;
};

const writeAll = <I>(
  items: ReadonlyArray<I>,
  lanes: number,
  send: (pending: Put<I>[]) => Promise<ReadonlyArray<{ PutRequest?: { Item?: I | undefined } | undefined }>>,
): Promise<unknown> =>
  mapLimit(chunked(items), lanes, (chunk) =>
    untilProcessed(
      chunk.map((Item) => ({ PutRequest: { Item } })),
      send,
    ),
  );

/** Puts every item (plain JS, through the document client). */
export const writeItems = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
  items: ReadonlyArray<Record<string, unknown>>,
  lanes = 4,
): Promise<void> => {
  await writeAll(
    items,
    lanes,
    async (pending) =>
      (await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }))).UnprocessedItems?.[
        tableName
      ] ?? [],
  );
};

export type RawItem = Record<string, AttributeValue>;

/** Puts every item already in DynamoDB JSON (no marshalling: the bench's large loads). */
export const writeRawItems = async (
  client: DynamoDBClient,
  tableName: string,
  items: ReadonlyArray<RawItem>,
  lanes = 4,
): Promise<void> => {
  await writeAll(
    items,
    lanes,
    async (pending) =>
      (await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }))).UnprocessedItems?.[
        tableName
      ] ?? [],
  );
};
