import {
  type AttemptItem,
  attemptRequestOf,
  buildAttemptItem,
  createStateItem,
  type DeliveryRequest,
  determineDeliveryOutcome,
  fold,
  makeRetryPolicy,
  seedOf,
} from '@delivery-history/core';
import { rebuildAuditSegments } from '@delivery-history/store';
import {
  BATCH_PUT_MAX,
  type DocumentClient,
  createStore,
  describeStoreError,
  tableKeys,
} from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';

// Synthetic, internally consistent messages written straight to the table with the store's
// batchPut (25 items a call, several calls in flight): STATE == fold(attempts), trail == rebuild.
// For scale tests and the replay/verify bench, where going through the worker would take
// the HTTP and transaction path for every attempt. Constant memory: one batch at a time per lane.

export type SeedOptions = {
  readonly doc: DocumentClient;
  readonly tableName: string;
  readonly count: number;
  readonly idPrefix: string;
  /** Attempts per message i (default: 1 for most, 3 for every 5th: 503, 503, 200). */
  readonly attemptsOf?: (i: number) => number;
  readonly concurrency?: number;
  readonly now?: Date;
  /** Called after each batch with the number of messages written so far. */
  readonly onProgress?: (written: number) => void;
};

type Item = Record<string, unknown>;

const POLICY = makeRetryPolicy({ maxAttempts: 5, baseMs: 1000, maxMs: 60_000 });

const request = (id: string, i: number): DeliveryRequest => ({
  messageId: id,
  url: `https://hooks${i % 7}.example.com/in`,
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: `{"n":${i}}`,
  correlationId: `corr-${Math.floor(i / 3)}`,
  maxAttempts: 5,
});

const attemptsFor = (req: DeliveryRequest, n: number, t0: number): AttemptItem[] =>
  Array.from({ length: n }, (_, k) => {
    const at = new Date(t0 + (k + 1) * 1000);
    const last = k === n - 1;
    const outcome = determineDeliveryOutcome(
      {
        kind: 'response',
        statusCode: last ? 200 : 503,
        statusText: last ? 'OK' : 'Service Unavailable',
        headers: {},
        responseTimeMs: 20 + (k % 5),
        bodySnippet: '',
        bodyBytes: 0,
      },
      {
        now: at,
        correlationId: req.correlationId,
        attemptNumber: k + 1,
        maxAttempts: 5,
        policy: POLICY,
        random: () => 0.5,
      },
    );
    return buildAttemptItem({
      messageId: req.messageId,
      request: attemptRequestOf(req),
      attemptNumber: k + 1,
      attemptId: `${req.messageId}-a${k + 1}`,
      leaseId: `${req.messageId}-l${k + 1}`,
      startedAt: at,
      completedAt: at,
      outcome,
      responseHeaders: { 'content-type': 'application/json' },
      superseded: false,
    });
  });

/** Every item of message i, keys included. */
export const syntheticMessage = (idPrefix: string, i: number, attempts: number, now: Date): Item[] => {
  const id = `${idPrefix}-${String(i).padStart(7, '0')}`;
  const req = request(id, i);
  const t0 = now.getTime() - 3_600_000 + i;
  const seed = createStateItem(req, { now: new Date(t0), defaultMaxAttempts: 5 });
  const items = attemptsFor(req, attempts, t0);
  const state = fold(seedOf(seed), items, []);
  const trail = rebuildAuditSegments(id, items, []);
  if (E.isLeft(state) || E.isLeft(trail)) throw new Error(`synthetic message ${id} is inconsistent`);
  return [
    { ...state.right, ...tableKeys.stateKey(id), ...tableKeys.stateIndexAttributes(state.right) },
    ...items.map((a) => ({ ...a, ...tableKeys.attemptKey(id, a.attemptNumber) })),
    ...trail.right,
  ];
};

/** Writes `count` synthetic messages; resolves with the number written. */
export const seedSynthetic = async (o: SeedOptions): Promise<number> => {
  const store = createStore({ doc: o.doc, tableName: o.tableName });
  const now = o.now ?? new Date();
  const attemptsOf = o.attemptsOf ?? ((i: number) => (i % 5 === 0 ? 3 : 1));
  let next = 0;
  let written = 0;
  const lane = async (): Promise<void> => {
    let batch: Item[] = [];
    let inBatch = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      const put = await store.putItems(batch)();
      // a seeding tool for tests and the bench: a failed write fails the test that seeds
      if (E.isLeft(put)) throw new Error(`seedSynthetic: ${describeStoreError(put.left)}`);
      written += inBatch;
      batch = [];
      inBatch = 0;
      o.onProgress?.(written);
    };
    for (let i = next++; i < o.count; i = next++) {
      const items = syntheticMessage(o.idPrefix, i, attemptsOf(i), now);
      if (batch.length + items.length > BATCH_PUT_MAX) await flush();
      batch.push(...items);
      inBatch++;
    }
    await flush();
  };
  await Promise.all(Array.from({ length: o.concurrency ?? 4 }, lane));
  return written;
};
