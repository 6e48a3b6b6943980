import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { size } from '@delivery-history/core';

// Round trips, read/write units and latency per DynamoDB operation, counted on a real client
// by one SDK middleware (nothing mocked). Every request asks for `ReturnConsumedCapacity:
// INDEXES`, so the units are DynamoDB Local's own accounting, except for transactions, where
// Local undercounts (transactionFloor).

export type OperationMeter = {
  requests: number;
  rcu: number;
  wcu: number;
  /** Of `rcu + wcu`: the units spent on the support indexes (GSIs). */
  indexUnits: number;
  ms: number;
  /** Conditional writes that failed: billed on AWS, but the error reports no capacity. */
  failedConditional: number;
  /** Their write units, estimated from the item's JSON size (1 per KB, at least 1). */
  estimatedWcu: number;
};

export type RequestMeter = {
  /** Per operation ('PutItem', 'TransactWriteItems', ...), since install or the last reset. */
  snapshot(): Record<string, OperationMeter>;
  totals(): OperationMeter;
  reset(): void;
  uninstall(): void;
};

type Capacity = {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
};

const NAME = 'dhBenchRequestMeter';

/** Read and write units of one response's ConsumedCapacity (an object, or a list for transactions/batches). */
const unitsOf = (op: string, consumed: unknown): { rcu: number; wcu: number; indexUnits: number } => {
  const list = (Array.isArray(consumed) ? consumed : consumed === undefined ? [] : [consumed]) as Capacity[];
  let rcu = 0;
  let wcu = 0;
  let indexUnits = 0;
  const writes = /Put|Update|Delete|Write/.test(op);
  for (const c of list) {
    for (const g of Object.values(c.GlobalSecondaryIndexes ?? {})) indexUnits += g.CapacityUnits ?? 0;
    const r = c.ReadCapacityUnits;
    const w = c.WriteCapacityUnits;
    if (r !== undefined || w !== undefined) {
      rcu += r ?? 0;
      wcu += w ?? 0;
    } else if (writes) wcu += c.CapacityUnits ?? 0;
    else rcu += c.CapacityUnits ?? 0;
  }
  return { rcu, wcu, indexUnits };
};

/**
 * A floor for a transaction's write units from the request: 2 per KB (core's size.item, the
 * accounting DynamoDB applies; an already marshalled value counts a few bytes more) of each action's item
 * (a Put's item; an Update's values, less than the item it changes; a Delete's key), at
 * least 2 an action. DynamoDB Local's own figure for a transaction counts items of equal
 * size once (16 Puts of 600 B report 2 units; DynamoDB bills 32), so the meter takes the
 * larger of the two.
 */
const transactionFloor = (input: Record<string, unknown>): number => {
  const actions = Array.isArray(input.TransactItems) ? (input.TransactItems as Array<Record<string, unknown>>) : [];
  return actions.reduce((n, a) => {
    const put = a.Put as { Item?: unknown } | undefined;
    const update = a.Update as { ExpressionAttributeValues?: unknown } | undefined;
    const body = put?.Item ?? update?.ExpressionAttributeValues ?? (a.Delete as { Key?: unknown } | undefined)?.Key;
    return n + 2 * Math.max(1, Math.ceil(size.item((body ?? {}) as Record<string, unknown>) / 1024));
  }, 0);
};

export const meterRequests = (client: DynamoDBClient): RequestMeter => {
  const seen = new Map<string, OperationMeter>();
  type Add = DynamoDBClient['middlewareStack']['add'];
  const middleware: Parameters<Add>[0] = (next, context) => async (args) => {
    const op = String((context as { commandName?: unknown }).commandName ?? '').replace(/Command$/, '');
    const input = args.input as Record<string, unknown>;
    const ask = op !== 'DescribeTable' && op !== 'CreateTable' && op !== 'DeleteTable' && op !== 'ListTables';
    if (ask && input.ReturnConsumedCapacity === undefined) input.ReturnConsumedCapacity = 'INDEXES';
    const t0 = performance.now();
    const m = seen.get(op) ?? {
      requests: 0,
      rcu: 0,
      wcu: 0,
      indexUnits: 0,
      ms: 0,
      failedConditional: 0,
      estimatedWcu: 0,
    };
    seen.set(op, m);
    m.requests += 1;
    try {
      const out = await next(args);
      const units = unitsOf(op, (out.output as { ConsumedCapacity?: unknown }).ConsumedCapacity);
      m.rcu += units.rcu;
      m.wcu += op === 'TransactWriteItems' ? Math.max(units.wcu, transactionFloor(input)) : units.wcu;
      m.indexUnits += units.indexUnits;
      return out;
    } catch (e) {
      // a failed conditional write is billed too; the error carries no capacity here
      const name = (e as { name?: unknown }).name;
      if (name === 'ConditionalCheckFailedException' || name === 'TransactionCanceledException') {
        m.failedConditional += 1;
        const item = (e as { Item?: unknown }).Item ?? input.Item ?? input.TransactItems;
        m.estimatedWcu += Math.max(1, Math.ceil(JSON.stringify(item ?? {}).length / 1024));
      }
      throw e;
    } finally {
      m.ms += performance.now() - t0;
    }
  };
  // 'initialize': the whole call as the caller sees it (serialize, send, retry, parse)
  // (the typings' last overload only knows 'deserialize'; the stack takes any step)
  const at = { step: 'initialize', priority: 'high', name: NAME, override: true } as unknown as Parameters<Add>[1];
  client.middlewareStack.add(middleware, at);
  const snapshot = () => Object.fromEntries([...seen].map(([k, v]) => [k, { ...v }]));
  return {
    snapshot,
    totals: () =>
      [...seen.values()].reduce(
        (a, m) => ({
          requests: a.requests + m.requests,
          rcu: a.rcu + m.rcu,
          wcu: a.wcu + m.wcu,
          indexUnits: a.indexUnits + m.indexUnits,
          ms: a.ms + m.ms,
          failedConditional: a.failedConditional + m.failedConditional,
          estimatedWcu: a.estimatedWcu + m.estimatedWcu,
        }),
        { requests: 0, rcu: 0, wcu: 0, indexUnits: 0, ms: 0, failedConditional: 0, estimatedWcu: 0 },
      ),
    reset: () => seen.clear(),
    uninstall: () => {
      client.middlewareStack.remove(NAME);
    },
  };
};
