import type { Clients } from '@delivery-history/store/testing';

type DynamoDBClient = Clients['client'];

// Counts DynamoDB requests by operation on a real client (an SDK middleware, nothing mocked):
// one counter for the tests and the bench (the bench's RequestMeter adds units and latency).

export type CallCounter = {
  /** Requests of `command` (e.g. 'TransactWriteItems') since install or the last reset. */
  calls(command: string): number;
  /** Every write request (PutItem, UpdateItem, DeleteItem, TransactWriteItems, BatchWriteItem). */
  writes(): number;
  /** Every request. */
  total(): number;
  reset(): void;
  uninstall(): void;
};

const WRITES = ['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem'];
const NAME = 'dhBenchCallCounter';

export const countCalls = (client: DynamoDBClient): CallCounter => {
  const seen = new Map<string, number>();
  type Add = DynamoDBClient['middlewareStack']['add'];
  const middleware: Parameters<Add>[0] = (next, context) => async (args) => {
    const command = String((context as { commandName?: unknown }).commandName ?? '').replace(/Command$/, '');
    seen.set(command, (seen.get(command) ?? 0) + 1);
    return next(args);
  };
  client.middlewareStack.add(middleware, { step: 'deserialize', priority: 'low', name: NAME, override: true });
  return {
    calls: (command) => seen.get(command) ?? 0,
    writes: () => WRITES.reduce((n, w) => n + (seen.get(w) ?? 0), 0),
    total: () => [...seen.values()].reduce((n, v) => n + v, 0),
    reset: () => seen.clear(),
    uninstall: () => {
      client.middlewareStack.remove(NAME);
    },
  };
};
