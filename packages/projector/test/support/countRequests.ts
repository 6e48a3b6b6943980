import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

// Counts the requests a real client sends, by operation, with an SDK middleware (nothing mocked).

export type RequestCounter = {
  calls(operation: string): number;
  total(): number;
  reset(): void;
  uninstall(): void;
};

const NAME = 'dhTestRequestCounter';

export const countRequests = (client: DynamoDBClient): RequestCounter => {
  const seen = new Map<string, number>();
  type Add = DynamoDBClient['middlewareStack']['add'];
  const middleware: Parameters<Add>[0] = (next, context) => async (args) => {
    const op = String((context as { commandName?: unknown }).commandName ?? '').replace(/Command$/, '');
    seen.set(op, (seen.get(op) ?? 0) + 1);
    return next(args);
  };
  // 'deserialize' is inside the SDK's retry step: every request sent is counted
  client.middlewareStack.add(middleware, { step: 'deserialize', priority: 'low', name: NAME, override: true });
  return {
    calls: (op) => seen.get(op) ?? 0,
    total: () => [...seen.values()].reduce((n, v) => n + v, 0),
    reset: () => seen.clear(),
    uninstall: () => {
      client.middlewareStack.remove(NAME);
    },
  };
};
