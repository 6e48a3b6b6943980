import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

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
