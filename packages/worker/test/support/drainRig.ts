import type { DeliveryRequest } from '@delivery-history/core';
import { createStore, type Store } from '@delivery-history/store';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';

/** A drain test's table and store; the store's clock reads `now`, which the test moves. */
export type DrainCtx = { t: TestTable; store: Store; now: number };

/** Fills `ctx` with a fresh table and a store on the context's clock (2026-06-01 10:00 UTC). */
export const useDrainStore = async (ctx: DrainCtx, label: string): Promise<void> => {
  ctx.t = await useTestTable(label);
  ctx.now = Date.parse('2026-06-01T10:00:00.000Z');
  ctx.store = createStore({
    doc: ctx.t.doc,
    tableName: ctx.t.tableName,
    retry: { baseMs: 5, maxMs: 50 },
    clock: () => new Date(ctx.now),
  });
};

/** A request to `host` (five attempts), its body naming the message. */
export const drainRequest = (messageId: string, host: string): DeliveryRequest => ({
  messageId,
  url: `https://${host}/in`,
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: `{"n":"${messageId}"}`,
  correlationId: `c-${messageId}`,
  maxAttempts: 5,
});
