import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** BatchWrite in chunks of 25, `lanes` requests in flight, unprocessed items retried. */
export const writeItems = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
  lanes = 4,
): Promise<void> => {
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  const lane = async (): Promise<void> => {
    for (let chunk = chunks.shift(); chunk !== undefined; chunk = chunks.shift()) {
      let pending = chunk.map((Item) => ({ PutRequest: { Item } }));
      for (let round = 0; pending.length > 0; round++) {
        if (round > 20) throw new Error('BatchWrite kept returning unprocessed items');
        const r = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
        pending = (r.UnprocessedItems?.[tableName] ?? []) as typeof pending;
        if (pending.length > 0) await new Promise((ok) => setTimeout(ok, 20 * (round + 1)));
      }
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
};

/** A document client whose `send` counts commands by name and may inject failures. */
export const instrumented = (
  doc: DynamoDBDocumentClient,
  fault?: (command: { constructor: { name: string }; input: unknown }) => Error | undefined,
): { doc: DynamoDBDocumentClient; counts: Map<string, number>; reset(): void } => {
  const counts = new Map<string, number>();
  const proxy = new Proxy(doc, {
    get(target, prop, receiver) {
      if (prop !== 'send') return Reflect.get(target, prop, receiver);
      return (command: { constructor: { name: string }; input: unknown }) => {
        const name = command.constructor.name;
        counts.set(name, (counts.get(name) ?? 0) + 1);
        const error = fault?.(command);
        if (error !== undefined) return Promise.reject(error);
        return (target.send as (c: unknown) => Promise<unknown>)(command);
      };
    },
  });
  return { doc: proxy, counts, reset: () => counts.clear() };
};
