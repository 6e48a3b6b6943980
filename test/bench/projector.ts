import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { type DeliveryRequest, defaultRetryPolicy } from '@delivery-history/core';
import { startPoller } from '@delivery-history/devkit';
import { makeProjectorDeps, projectMessages } from '@delivery-history/projector';
import { memoryCheckpoint } from '@delivery-history/devkit/testing';
import { memoryTelemetry } from '@delivery-history/projector/testing';
import { createStore, type Store, type StoreResult } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import type { BenchContext, BenchTable } from './support/benchContext.js';
import { countCalls } from '@delivery-history/testkit/callCounter';
import { emptyMapWorkaroundNeeded, localStreamsPort, repairRecords } from './support/localStreams.js';
import { benchRequest, observationOf, type Reply, shapeMessage } from './support/benchFixtures.js';
import { pool } from './support/load.js';
import { bulkLoad } from './support/loader.js';
import type { Row } from './support/report.js';
import { ratio, round, summarize } from './support/stats.js';
import { readWholeStream } from './support/streamRecords.js';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ProjectionReport } from '@delivery-history/projector';
import { costRows } from './cost.js';
import { BASELINE_COMMIT, baselineBundleOptions, baselineSources, loadEsbuild } from './support/baseline.js';
import { meterRequests } from './support/requestMeter.js';

type Claimed = StoreResult<'claim'>;
type ProjectFn = (records: readonly unknown[]) => Promise<ProjectionReport>;

const benchRoot = new URL('../../', import.meta.url).pathname;

/**
 * The projector of BASELINE_COMMIT with its own store and core (bundled from its sources: today's
 * indexes no longer export every name it imported), or null where git has no history.
 */
const baselineProjector = async (t: BenchTable): Promise<ProjectFn | null> => {
  const dir = join(benchRoot, 'bench-results', 'baseline-projector');
  const src = baselineSources(join(dir, 'src'));
  if (src === null) return null;
  const outfile = join(dir, 'projector.mjs');
  const built = await loadEsbuild().build(baselineBundleOptions(src, 'projector', outfile));
  if (built.errors.length > 0) throw new Error(`esbuild baseline projector: ${JSON.stringify(built.errors[0])}`);
  const m = (await import(pathToFileURL(outfile).href)) as {
    makeProjectorDeps: (r: { doc: unknown; tableName: string }) => unknown;
    projectMessages: (deps: unknown, records: readonly unknown[]) => Promise<ProjectionReport>;
  };
  const deps = m.makeProjectorDeps({ doc: t.doc, tableName: t.tableName });
  return (records) => m.projectMessages(deps, records);
};

const applyPath = async (ctx: BenchContext, o: ProjectorOptions, rows: Row[]) => {
  const t = await ctx.table('proj-apply');
  const counter = meterRequests(t.client);
  try {
    const base = Date.now() - 3_600_000;
    const prefixes = { now: 'pan', before: 'pab' } as const;
    for (const p of Object.values(prefixes))
      await bulkLoad(
        t.doc,
        t.tableName,
        { from: 0, to: o.applyMessages },
        (i) => shapeMessage(`${p}-${i}`, new Date(base + i * 10), [200], { withAudit: false }).items,
      );
    const all = repairRecords(await readWholeStream(t.streams, t.streamArn));
    const of = (p: string) =>
      all.filter((r) => String(r.dynamodb?.Keys?.pk?.S ?? '').startsWith(`MSG#${p}-`) && r.eventName === 'INSERT');
    const old = await baselineProjector(t);
    // today's defaults (the drift check sampled at 1 %), its checks counted
    const driftChecks = memoryTelemetry();
    const deps = makeProjectorDeps({ doc: t.doc, tableName: t.tableName }, { telemetry: driftChecks });
    const variants: Record<string, { project: ProjectFn; records: unknown[] }> = {
      now: { project: (recs) => projectMessages(deps, recs), records: of(prefixes.now) },
      ...(old !== null ? { before: { project: old, records: of(prefixes.before) } } : {}),
    };
    type Acc = {
      ms: number;
      entries: number;
      requests: number;
      rcu: number;
      wcu: number;
      indexUnits: number;
      messageBatches: number;
      records: number;
      byOp: Record<string, { requests: number; ms: number }>;
    };
    const out: Record<string, Acc> = {};
    for (let round = 0; round < o.applyRounds; round++) {
      const names = Object.keys(variants);
      for (const name of round % 2 === 0 ? names : names.reverse()) {
        const v = variants[name];
        if (v === undefined) continue;
        const per = Math.ceil(v.records.length / o.applyRounds);
        const chunk = v.records.slice(round * per, (round + 1) * per);
        const acc = out[name] ?? {
          ms: 0,
          entries: 0,
          requests: 0,
          rcu: 0,
          wcu: 0,
          indexUnits: 0,
          messageBatches: 0,
          records: 0,
          byOp: {},
        };
        out[name] = acc;
        counter.reset();
        const t0 = performance.now();
        for (let i = 0; i < chunk.length; i += 100) {
          const batch = chunk.slice(i, i + 100);
          const report = await v.project(batch);
          if (report.failed.length > 0) throw new Error(`projector apply (${name}): ${report.failed.length} failed`);
          acc.entries += report.messages.reduce((n, m) => n + m.appended, 0);
          acc.messageBatches += report.messages.length + report.failed.length;
        }
        acc.ms += performance.now() - t0;
        acc.records += chunk.length;
        const units = counter.totals();
        acc.requests += units.requests;
        acc.rcu += units.rcu;
        acc.wcu += units.wcu + units.estimatedWcu;
        acc.indexUnits += units.indexUnits;
        for (const [op, m] of Object.entries(counter.snapshot())) {
          const x = acc.byOp[op] ?? { requests: 0, ms: 0 };
          acc.byOp[op] = { requests: x.requests + m.requests, ms: x.ms + m.ms };
        }
      }
    }
    const now = out.now;
    const before = out.before;
    const perSec = (m: { entries: number; ms: number }) => (m.entries / m.ms) * 1000;
    for (const [name, m] of Object.entries(out)) {
      rows.push({
        section: 'projector',
        metric: `apply path ${name === 'now' ? 'today' : `before issue 17 (${BASELINE_COMMIT}, drift check on)`}: attempts/s`,
        value: round(perSec(m), 1),
        unit: '/s',
        note: `${m.entries} single-attempt messages in batches of 100; ${round(m.requests / m.messageBatches, 2)} requests per message per batch: ${Object.entries(
          m.byOp,
        )
          .map(([op, x]) => `${op} ${round(x.requests / m.messageBatches, 2)} (${round(x.ms / x.requests, 1)} ms)`)
          .join(', ')}${name === 'now' ? `; ${driftChecks.counts.DriftChecks ?? 0} sampled drift checks` : ''}`,
      });
    }
    if (now !== undefined && before !== undefined)
      rows.push({
        section: 'projector',
        metric: 'apply path: today / before (attempts/s, same table, alternating rounds)',
        value: round(ratio(perSec(now), perSec(before)), 2),
        unit: 'x',
        note: `requests per message per batch ${round(now.requests / now.messageBatches, 2)} vs ${round(before.requests / before.messageBatches, 2)}`,
      });
    if (now !== undefined)
      rows.push(
        ...costRows('projector', 'projector', 'cost of projecting a delivery (today)', {
          requests: now.requests / now.entries,
          rcu: now.rcu / now.entries,
          wcu: now.wcu / now.entries,
          indexUnits: now.indexUnits / now.entries,
          msPerDelivery: now.ms / now.entries,
        }),
      );
    ctx.progress('projector apply path done');
    return out;
  } finally {
    counter.uninstall();
    await t.drop();
  }
};

// The projector three ways:
// 1. backlog: a table whose stream holds N attempts (k per message) is projected from
//    TRIM_HORIZON by the local poller (the same projectMessages the Lambda runs);
//    records/s and audit entries/s until caughtUp().
// 2. coalescing: the same records applied by projectMessages in batches of 100 (one
//    audit write per message per batch) vs one record at a time (one write per record).
// 0. apply path: projectMessages today vs the code before issue 17 (head and REDRIVE# read
//    in parallel, the write, then the drift check's STATE read and attempts Query), side by
//    side in alternating rounds on one table, batches of 100 records; requests counted by
//    SDK middleware per message per batch.
// 3. lag: appends at a steady rate while the poller runs; lag = time the poller's batch
//    with the message was projected minus the time the append committed (resolved).

export type ProjectorOptions = {
  readonly backlogMessages: number;
  readonly attemptsPerMessage: number;
  readonly coalesceMessages: number;
  readonly steadyRatePerSec: number;
  readonly steadySeconds: number;
  /** Single-attempt messages per variant for the apply-path comparison. */
  readonly applyMessages: number;
  readonly applyRounds: number;
};

const replies = (k: number): Reply[] => Array.from({ length: k }, (_, i) => (i === k - 1 ? 200 : 500));

const loadBacklog = (t: BenchTable, prefix: string, messages: number, k: number): Promise<number> => {
  const base = Date.now() - 3_600_000;
  return bulkLoad(
    t.doc,
    t.tableName,
    { from: 0, to: messages },
    (i) => shapeMessage(`${prefix}-${i}`, new Date(base + i * 10), replies(k), { withAudit: false }).items,
  );
};

const backlog = async (ctx: BenchContext, o: ProjectorOptions, rows: Row[]) => {
  const t = await ctx.table('proj-backlog');
  try {
    await loadBacklog(t, 'pb', o.backlogMessages, o.attemptsPerMessage);
    const attempts = o.backlogMessages * o.attemptsPerMessage;
    // counted per finished batch (the poller's own stats move inside a batch)
    let records = 0;
    let ignored = 0;
    let entries = 0;
    let batches = 0;
    let doneAt = 0;
    const t0 = performance.now();
    const poller = startPoller({
      clients: { doc: t.doc, streams: localStreamsPort(t.streams) },
      tableName: t.tableName,
      streamArn: t.streamArn,
      checkpoint: memoryCheckpoint(),
      onBatch: (b) => {
        batches++;
        records += b.records;
        ignored += b.report.ignored;
        entries += b.report.messages.reduce((n, m) => n + m.appended, 0);
        if (entries >= attempts && doneAt === 0) doneAt = performance.now();
      },
    });
    try {
      const deadline = t0 + 300_000;
      while (doneAt === 0 && performance.now() < deadline) await sleep(20);
      if (doneAt === 0) throw new Error(`projector backlog: ${entries} of ${attempts} entries after 300 s`);
      const ms = doneAt - t0;
      rows.push({
        section: 'projector',
        metric: 'backlog: stream records/s',
        value: round((records / ms) * 1000, 1),
        unit: '/s',
        note: `${records} records (${ignored} not for the projector) in ${round(ms / 1000, 1)} s, ${batches} batches`,
      });
      rows.push({
        section: 'projector',
        metric: 'backlog: audit entries/s',
        value: round((entries / ms) * 1000, 1),
        unit: '/s',
        note: `${entries} entries, ${o.attemptsPerMessage} per message`,
      });
      return { ms, records, ignored, entries, batches, stats: poller.stats };
    } finally {
      await poller.stop();
    }
  } finally {
    await t.drop();
  }
};

const coalescing = async (ctx: BenchContext, o: ProjectorOptions, rows: Row[]) => {
  const modes = [
    { name: 'batches of 100', size: 100 },
    { name: 'one record at a time', size: 1 },
  ];
  const out: Record<string, { ms: number; records: number; writes: number; entries: number }> = {};
  for (const mode of modes) {
    const t = await ctx.table(`proj-coalesce-${mode.size}`);
    const counter = countCalls(t.client);
    try {
      await loadBacklog(t, 'pc', o.coalesceMessages, o.attemptsPerMessage);
      const records = repairRecords(await readWholeStream(t.streams, t.streamArn));
      const deps = makeProjectorDeps({ doc: t.doc, tableName: t.tableName });
      counter.reset();
      let entries = 0;
      const t0 = performance.now();
      for (let i = 0; i < records.length; i += mode.size) {
        const report = await projectMessages(deps, records.slice(i, i + mode.size));
        if (report.failed.length > 0)
          throw new Error(`projector: ${report.failed.length} messages failed (${report.failed[0]?.error._tag})`);
        entries += report.messages.reduce((n, m) => n + m.appended, 0);
      }
      const ms = performance.now() - t0;
      out[mode.name] = { ms, records: records.length, writes: counter.writes(), entries };
      ctx.progress(`projector coalescing: ${mode.name} done`);
    } finally {
      counter.uninstall();
      await t.drop();
    }
  }
  const a = out['batches of 100'];
  const b = out['one record at a time'];
  if (a === undefined || b === undefined) return out;
  for (const [name, m] of Object.entries(out)) {
    rows.push({
      section: 'projector',
      metric: `${name}: records/s`,
      value: round((m.records / m.ms) * 1000, 1),
      unit: '/s',
      note: `${m.entries} entries, ${m.writes} write calls (${round(m.writes / Math.max(1, m.entries), 2)} per entry)`,
    });
  }
  rows.push({
    section: 'projector',
    metric: 'coalescing speed-up (batched / per-record records/s)',
    value: round(ratio(a.records / a.ms, b.records / b.ms), 2),
    unit: 'x',
  });
  rows.push({
    section: 'projector',
    metric: 'write calls saved (per-record / batched)',
    value: round(ratio(b.writes, a.writes), 2),
    unit: 'x',
  });
  return out;
};

type Pending = { readonly request: DeliveryRequest; readonly ticket: Claimed['ticket']; readonly claimed: Claimed };

const steadyLag = async (ctx: BenchContext, o: ProjectorOptions, rows: Row[]) => {
  const t = await ctx.table('proj-lag');
  const store: Store = createStore({ doc: t.doc, tableName: t.tableName });
  const total = Math.round(o.steadyRatePerSec * o.steadySeconds);
  try {
    // messages created and claimed before the clock starts; the timed part is the append
    const ready: Pending[] = new Array(total);
    await pool(
      Array.from({ length: total }, (_, i) => i),
      16,
      async (i) => {
        const request = benchRequest(`pl-${i}`);
        const c = await store.createMessage(request)();
        const cl = E.isRight(c) ? await store.claim(request.messageId)() : c;
        if (E.isLeft(cl)) throw new Error(cl.left.message);
        ready[i] = { request, ticket: cl.right.ticket, claimed: cl.right };
      },
    );
    const committed = new Map<string, number>();
    const lags: number[] = [];
    let early = 0;
    const poller = startPoller({
      clients: { doc: t.doc, streams: localStreamsPort(t.streams) },
      tableName: t.tableName,
      streamArn: t.streamArn,
      checkpoint: memoryCheckpoint(),
      startAt: 'LATEST',
      onBatch: (b) => {
        const now = performance.now();
        for (const m of b.report.messages) {
          const at = committed.get(m.messageId);
          if (at === undefined) {
            early++;
            committed.set(m.messageId, -now);
          } else if (at >= 0) {
            lags.push(now - at);
            committed.delete(m.messageId);
          }
        }
      },
    });
    let failed = 0;
    try {
      await poller.caughtUp();
      const interval = 1000 / o.steadyRatePerSec;
      const t0 = performance.now();
      const inFlight: Promise<void>[] = [];
      for (let i = 0; i < total; i++) {
        const wait = t0 + i * interval - performance.now();
        if (wait > 0) await sleep(wait);
        const p = ready[i] as Pending;
        const at = new Date();
        inFlight.push(
          (async () => {
            const r = await store.appendAttempt({
              claimed: p.claimed,
              startedAt: at,
              completedAt: at,
              responseHeaders: null,
              observation: observationOf(200),
            })();
            if (E.isLeft(r)) {
              failed++;
              return;
            }
            const now = performance.now();
            const seen = committed.get(p.request.messageId);
            // projected before the append's reply reached us: lag ~0 (the reply was the slow part)
            if (seen !== undefined && seen < 0) {
              lags.push(0);
              committed.delete(p.request.messageId);
            } else committed.set(p.request.messageId, now);
          })(),
        );
      }
      await Promise.all(inFlight);
      const writeMs = performance.now() - t0;
      const deadline = performance.now() + 60_000;
      while (lags.length < total - failed && performance.now() < deadline) await sleep(20);
      const s = summarize(lags);
      rows.push({
        section: 'projector',
        metric: `lag commit -> audit entry at ${o.steadyRatePerSec}/s (p50)`,
        value: round(s.p50, 1),
        unit: 'ms',
        note: `${lags.length}/${total} measured; achieved ${round((total / writeMs) * 1000, 1)} appends/s${failed > 0 ? `, ${failed} failed` : ''}`,
      });
      rows.push({
        section: 'projector',
        metric: `lag commit -> audit entry at ${o.steadyRatePerSec}/s (p99)`,
        value: round(s.p99, 1),
        unit: 'ms',
        note: `poller defaults (idle back-off 100..2000 ms)`,
      });
      return { lag: s, early, failed, total, writeMs, poller: poller.stats };
    } finally {
      await poller.stop();
    }
  } finally {
    await t.drop();
  }
};

export const benchProjector = async (
  ctx: BenchContext,
  o: ProjectorOptions,
): Promise<{ rows: Row[]; detail: unknown }> => {
  const rows: Row[] = [];
  const detail = {
    applyPath: await applyPath(ctx, o, rows),
    backlog: await backlog(ctx, o, rows),
    coalescing: await coalescing(ctx, o, rows),
    steady: await steadyLag(ctx, o, rows),
    retryPolicy: defaultRetryPolicy,
    emptyMapWorkaround: emptyMapWorkaroundNeeded(),
  };
  return { rows, detail };
};
