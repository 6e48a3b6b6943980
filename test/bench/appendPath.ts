import { must } from '@delivery-history/testkit/must';
import { createHash } from 'node:crypto';
import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { attemptRequestOf, buildAttemptItem, type DeliveryRequest, type Outcome, size } from '@delivery-history/core';
import { createStore, type Store, type StoreResult, tableKeys } from '@delivery-history/store';
import type { Clients } from '@delivery-history/store/testing';
import * as E from 'fp-ts/lib/Either.js';
import type { BenchContext } from './support/benchContext.js';
import { benchRequest, observationOf, outcomeOf } from './support/benchFixtures.js';
import { type LoadResult, pool, runLoad } from './support/load.js';
import type { Row } from './support/report.js';
import { median, ratio, round, summarize } from './support/stats.js';

type Claimed = StoreResult<'claim'>;

// The append path (store.appendAttempt: one TransactWriteItems, Put ATTEMPT#n + conditional
// Update of STATE) against
//   B: a bare TransactWriteItems loop with the same two items, built before the clock starts
//      (the lower bound: one round trip, no store code at all), and
//   C: the naive single UpdateItem status write of the original system (no attempt item,
//      no condition, no idempotency).
// Rounds interleave A/B/C in rotating order so machine drift (other tenants, JIT, table
// growth) hits every variant alike. Setup (create + claim of each message) is not timed.

type Variant = 'A' | 'B' | 'C';
const VARIANTS: ReadonlyArray<Variant> = ['A', 'B', 'C'];
const LABEL: Record<Variant, string> = {
  A: 'append path (store.appendAttempt)',
  B: 'bare TransactWriteItems (same 2 items)',
  C: 'naive single UpdateItem',
};

export type AppendPathOptions = {
  readonly concurrencies: ReadonlyArray<number>;
  readonly rounds: number;
  readonly opsPerRound: number;
};

type Prepared = {
  readonly request: DeliveryRequest;
  readonly ticket: Claimed['ticket'];
  readonly claimed: Claimed;
  readonly outcome: Outcome;
  readonly at: Date;
};

/** Messages created and claimed (leased), with the outcome of a 200 computed up front. */
const prepare = async (store: Store, prefix: string, count: number): Promise<Prepared[]> => {
  const out: Prepared[] = new Array(count);
  await pool(
    Array.from({ length: count }, (_, i) => i),
    16,
    async (i) => {
      const request = benchRequest(`${prefix}-${i}`);
      await must(store.createMessage(request));
      const claimed = await must(store.claim(request.messageId));
      const { ticket } = claimed;
      const at = new Date();
      const outcome = outcomeOf(200, {
        now: at,
        attemptNumber: ticket.attemptNumber,
        maxAttempts: ticket.maxAttempts,
        correlationId: ticket.correlationId,
      });
      out[i] = { request, ticket, claimed, outcome, at };
    },
  );
  return out;
};

const token = (...parts: ReadonlyArray<string | number>): string =>
  createHash('sha256').update(parts.map(String).join('\u0000'), 'utf8').digest('base64url').slice(0, 36);

/**
 * The store's two items for a successful attempt, written by hand: the same Put (with its
 * condition) and the same Update expression, condition and values as the store's live path.
 */
const bareTransaction = (tableName: string, p: Prepared) => {
  const n = p.ticket.attemptNumber;
  const fitted = size.fitToBudget(
    buildAttemptItem({
      messageId: p.request.messageId,
      request: attemptRequestOf(p.request),
      attemptNumber: n,
      attemptId: `${p.request.messageId}-bare`,
      leaseId: p.ticket.leaseId,
      startedAt: p.at,
      completedAt: p.at,
      outcome: p.outcome,
      responseHeaders: { 'content-type': 'application/json' },
      superseded: false,
    }),
    350_000,
  );
  if (E.isLeft(fitted)) throw new Error(fitted.left.message);
  const attempt = fitted.right;
  const completedAt = attempt.completedAt;
  return new TransactWriteCommand({
    TransactItems: [
      {
        Put: {
          TableName: tableName,
          Item: { ...tableKeys.attemptKey(attempt.messageId, n), ...attempt },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      {
        Update: {
          TableName: tableName,
          Key: tableKeys.stateKey(attempt.messageId),
          UpdateExpression:
            'SET #status = :status, deliveryResult = :result, attempts = :n, lastDeliveryAttempt = :at, ' +
            'lastUpdatedAt = :at, retryEligible = :retryEligible, nextAttemptAt = :nextAttemptAt, lease = :null ' +
            'REMOVE gsi1pk, gsi1sk',
          ConditionExpression: 'attempts = :prev AND lease.leaseId = :lease AND #status = :processing',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': attempt.status,
            ':result': attempt.deliveryResult,
            ':n': n,
            ':prev': n - 1,
            ':at': completedAt,
            ':retryEligible': attempt.deliveryResult.retryEligible,
            ':nextAttemptAt': attempt.nextAttemptAt,
            ':null': null,
            ':lease': p.ticket.leaseId,
            ':processing': 'PROCESSING',
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
    ],
    ClientRequestToken: token(attempt.messageId, n, attempt.attemptId, 'live'),
  });
};

/** The original system's write: overwrite the status fields, count up, no condition. */
const naiveUpdate = (tableName: string, p: Prepared) =>
  new UpdateCommand({
    TableName: tableName,
    Key: tableKeys.stateKey(p.request.messageId),
    UpdateExpression: 'SET #status = :status, deliveryResult = :result, lastUpdatedAt = :at ADD attempts :one',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':status': p.outcome.status,
      ':result': p.outcome.deliveryResult,
      ':at': p.at.toISOString(),
      ':one': 1,
    },
  });

const runVariant = (
  v: Variant,
  clients: Clients,
  store: Store,
  tableName: string,
  items: Prepared[],
  concurrency: number,
): Promise<LoadResult> => {
  if (v === 'A') {
    return runLoad({ count: items.length, concurrency }, async (i) => {
      const p = items[i] as Prepared;
      const r = await store.appendAttempt({
        claimed: p.claimed,
        startedAt: p.at,
        completedAt: p.at,
        responseHeaders: { 'content-type': 'application/json' },
        observation: observationOf(200),
      })();
      if (E.isLeft(r)) throw new Error(r.left.message);
    });
  }
  // B and C: the command objects are built before the clock starts (pure send loop)
  const commands = items.map((p) => (v === 'B' ? bareTransaction(tableName, p) : naiveUpdate(tableName, p)));
  return runLoad({ count: items.length, concurrency }, async (i) => {
    const cmd = commands[i];
    if (cmd instanceof TransactWriteCommand) await clients.doc.send(cmd);
    else if (cmd !== undefined) await clients.doc.send(cmd);
  });
};

type Totals = {
  ops: number;
  errors: number;
  wallMs: number;
  cpuMs: number;
  latencies: number[];
  firstError: string | null;
};

const empty = (): Totals => ({ ops: 0, errors: 0, wallMs: 0, cpuMs: 0, latencies: [], firstError: null });

export const benchAppendPath = async (
  ctx: BenchContext,
  o: AppendPathOptions,
): Promise<{ rows: Row[]; detail: unknown }> => {
  const t = await ctx.table('append');
  const store = createStore({ doc: t.doc, tableName: t.tableName });
  const rows: Row[] = [];
  const detail: Record<string, unknown> = {};
  try {
    // warm-up, not measured: JIT, connection pools, DynamoDB Local's own JIT, for every variant
    for (const v of VARIANTS) await runVariant(v, t, store, t.tableName, await prepare(store, `ap-warm-${v}`, 30), 4);
    for (const c of o.concurrencies) {
      const totals: Record<Variant, Totals> = { A: empty(), B: empty(), C: empty() };
      // A/B throughput of each round on its own: the spread shows what is noise
      const roundRatios: number[] = [];
      for (let r = 0; r < o.rounds; r++) {
        const perSec: Partial<Record<Variant, number>> = {};
        const order = VARIANTS.map((_, i) => VARIANTS[(i + r) % VARIANTS.length] as Variant);
        const prepared = {} as Record<Variant, Prepared[]>;
        for (const v of order) prepared[v] = await prepare(store, `ap-c${c}-r${r}-${v}`, o.opsPerRound);
        for (const v of order) {
          const res = await runVariant(v, t, store, t.tableName, prepared[v], c);
          const acc = totals[v];
          acc.ops += res.ops;
          acc.errors += res.errors;
          acc.wallMs += res.wallMs;
          acc.cpuMs += res.cpuMs;
          acc.latencies.push(...res.latencies);
          acc.firstError ??= res.firstError;
          perSec[v] = res.ops / res.wallMs;
        }
        roundRatios.push(ratio(perSec.A ?? Number.NaN, perSec.B ?? Number.NaN));
        ctx.progress(`append path c=${c} round ${r + 1}/${o.rounds}`);
      }
      const fig = Object.fromEntries(
        VARIANTS.map((v) => {
          const x = totals[v];
          const s = summarize(x.latencies);
          return [
            v,
            {
              opsPerSec: (x.ops / x.wallMs) * 1000,
              p50: s.p50,
              p99: s.p99,
              cpuMsPerOp: x.cpuMs / Math.max(1, x.ops),
              ops: x.ops,
              errors: x.errors,
              firstError: x.firstError,
            },
          ];
        }),
      ) as Record<
        Variant,
        {
          opsPerSec: number;
          p50: number;
          p99: number;
          cpuMsPerOp: number;
          ops: number;
          errors: number;
          firstError: string | null;
        }
      >;
      detail[`c${c}`] = { ...fig, roundRatios };
      const sortedRatios = [...roundRatios].sort((a, b) => a - b);
      const section = `append c=${c}`;
      for (const v of VARIANTS) {
        const f = fig[v];
        rows.push({
          section,
          metric: `${LABEL[v]} throughput`,
          value: round(f.opsPerSec, 1),
          unit: 'ops/s',
          note: `p50 ${round(f.p50)} ms, p99 ${round(f.p99)} ms, ${f.ops} ops${f.errors > 0 ? `, ${f.errors} errors` : ''}`,
        });
      }
      rows.push({
        section,
        metric: 'A/B throughput ratio (target >= 0.9)',
        value: round(ratio(fig.A.opsPerSec, fig.B.opsPerSec), 3),
        unit: 'x',
        note: `per round: median ${round(median(roundRatios), 2)}, ${round(sortedRatios[0] ?? Number.NaN, 2)}..${round(sortedRatios[sortedRatios.length - 1] ?? Number.NaN, 2)} over ${roundRatios.length} rounds`,
      });
      rows.push({ section, metric: 'A/B p50 latency ratio', value: round(ratio(fig.A.p50, fig.B.p50), 3), unit: 'x' });
      rows.push({ section, metric: 'A/B p99 latency ratio', value: round(ratio(fig.A.p99, fig.B.p99), 3), unit: 'x' });
      rows.push({
        section,
        metric: 'A/C throughput ratio (vs naive UpdateItem)',
        value: round(ratio(fig.A.opsPerSec, fig.C.opsPerSec), 3),
        unit: 'x',
      });
      rows.push({ section, metric: 'A/C p50 latency ratio', value: round(ratio(fig.A.p50, fig.C.p50), 3), unit: 'x' });
      rows.push({
        section,
        metric: 'client CPU per op A / B',
        value: `${round(fig.A.cpuMsPerOp, 3)} / ${round(fig.B.cpuMsPerOp, 3)}`,
        unit: 'ms',
      });
    }
  } finally {
    await t.drop();
  }
  return { rows, detail };
};
