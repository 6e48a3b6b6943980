import { performance } from 'node:perf_hooks';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { endpointHealthOf, type HealthBucket } from '@delivery-history/core';
import { createStore, type Store, tableKeys } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import type { BenchContext, BenchTable } from './support/benchContext.js';
import { replayVariant, runReplayChild } from './support/replayRun.js';
import { type FastShaper, makeFastShaper, type Reply, shapeMessage } from './support/benchFixtures.js';
import { bulkLoad, bulkLoadRaw } from './support/loader.js';
import type { Row } from './support/report.js';
import { ratio, round, summarize } from './support/stats.js';

// Audit queries at two table sizes, then replay over the larger table.
// Data: STATE + ATTEMPT# + AUDIT# items shaped exactly as the store and projector write
// them, bulk-loaded with BatchWriteItem. Every bulk message lives on one of 10 days but
// never in the query window W (day 0, 10:00-11:00 UTC); the window holds exactly K failed
// probe messages at both sizes, so the answer stays the same while the table -- and the
// very index partitions the query reads -- grow tenfold.

// The table has the shared keys and indexes but no stream: nothing projects here, and the
// stream would cost DynamoDB Local a quarter more per bulk write (see context.ts).

type ReplayRun = Awaited<ReturnType<typeof runReplayChild>>;

export type ScaleOptions = {
  readonly small: number;
  readonly large: number;
  readonly queries: number;
  /** Messages whose STATE is corrupted before replay (replay must repair exactly these). */
  readonly drifted: number;
};

const DAY0 = Date.UTC(2026, 0, 5);
const HOUR = 3_600_000;
const W_START = DAY0 + 10 * HOUR;
const W_END = W_START + HOUR;
const WINDOW_FAILED = 50;
const HISTORY_PROBES = 20;
/**
 * `dh replay projections --segments 64 --concurrency 4`. DynamoDB Local's cost per scan page
 * grows with the size of the segment (at 30,000 messages: 1 segment 101 msg/s, 8: 743,
 * 16: 1343, 64: 2181), unlike DynamoDB's; many small segments keep it linear here.
 */
const REPLAY_SEGMENTS = 64;
const REPLAY_CONCURRENCY = 4;
const HOURS = Array.from({ length: 24 }, (_, h) => h).filter((h) => h !== 10);

const bulkReplies: ReadonlyArray<ReadonlyArray<Reply>> = [
  [200],
  [200],
  [200],
  [200],
  [200],
  [200],
  [500],
  [500],
  [404],
  [500, 200],
];

const bulkId = (i: number) => `bulk-${String(i).padStart(6, '0')}`;

/** Bulk message i: day i%10, any hour but 10, 100 s clear of the next hour (attempts take <= 2 s). */
const bulkItemsWith = (shape: FastShaper) => (i: number) => {
  const day = i % 10;
  const hour = HOURS[Math.floor(i / 10) % HOURS.length] ?? 0;
  const at = DAY0 + day * 24 * HOUR + hour * HOUR + ((i * 7919) % 3_500_000);
  return shape(bulkId(i), new Date(at), i % bulkReplies.length);
};

const probeItems = (i: number) =>
  i < WINDOW_FAILED
    ? shapeMessage(`window-${i}`, new Date(W_START + i * 60_000), [500]).items
    : shapeMessage(`history-${i - WINDOW_FAILED}`, new Date(DAY0 + 3 * HOUR + i * 1000), [500, 500, 500, 500, 200])
        .items;

const timeQueries = async (store: Store, n: number) => {
  const history: number[] = [];
  const failed: number[] = [];
  for (let q = 0; q < n; q++) {
    const h0 = performance.now();
    const h = await store.getHistory(`history-${q % HISTORY_PROBES}`)();
    if (E.isLeft(h)) throw new Error(`getHistory: ${h.left.message}`);
    if (h.right.attempts.length !== 5)
      throw new Error(`history probe has ${h.right.attempts.length} attempts, expected 5`);
    history.push(performance.now() - h0);
    const f0 = performance.now();
    let found = 0;
    let cursor: string | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const page = await store.queryFailed({
        since: new Date(W_START),
        until: new Date(W_END),
        limit: 100,
        ...(cursor !== undefined ? { cursor } : {}),
      })();
      if (E.isLeft(page)) throw new Error(`queryFailed: ${page.left.message}`);
      found += page.right.items.length;
      if (page.right.cursor === null) break;
      cursor = page.right.cursor;
    }
    failed.push(performance.now() - f0);
    if (found !== WINDOW_FAILED)
      throw new Error(`failed-in-window query found ${found} messages, expected ${WINDOW_FAILED}`);
  }
  return { history: summarize(history), failed: summarize(failed) };
};

// Endpoint health (`dh endpoints`): the aggregates the projector keeps for day 0, as bucket
// shards (24 h x HEALTH_ENDPOINTS endpoints x the default shards), their counts growing with
// the table; the read is the store's readEndpointHealth (index Query + BatchGetItem) plus
// core's read-out, over 24 h. Its cost follows endpoints x hours x shards, not messages.
const HEALTH_ENDPOINTS = 20;

export const seedHealth = async (store: Store, messages: number, from = DAY0): Promise<number> => {
  const per = Math.max(1, Math.round(messages / 10 / 24 / HEALTH_ENDPOINTS / tableKeys.DEFAULT_HEALTH_SHARDS));
  const buckets: HealthBucket[] = [];
  for (let h = 0; h < 24; h++)
    for (let e = 0; e < HEALTH_ENDPOINTS; e++)
      for (let shard = 0; shard < tableKeys.DEFAULT_HEALTH_SHARDS; shard++) {
        const at = new Date(from + h * HOUR + 1000 * e).toISOString();
        buckets.push({
          endpoint: `hooks-${e}.example.com`,
          hour: at.slice(0, 13),
          shard,
          counters: {
            n: per * 2,
            c_success: per,
            c_server_error: per,
            s_2xx: per,
            s_5xx: per,
            l02: per,
            l05: per,
            fm00: per,
          },
          lastOk: `${at}#bulk-${e}`,
          lastFail: `${at}#bulk-${e}`,
        });
      }
  const put = await store.putHealthBuckets(buckets)();
  if (E.isLeft(put)) throw new Error(`putHealthBuckets: ${put.left.message}`);
  return buckets.length;
};

const timeHealth = async (store: Store, n: number) => {
  const ms: number[] = [];
  for (let q = 0; q < n; q++) {
    const t0 = performance.now();
    // what `dh endpoints` reads: the endpoint-hour roll-ups of the seeded shards
    const read = await store.readHealthHours({ since: new Date(DAY0), until: new Date(DAY0 + 24 * HOUR) })();
    if (E.isLeft(read)) throw new Error(`readHealthHours: ${read.left.message}`);
    const rows = endpointHealthOf(read.right);
    ms.push(performance.now() - t0);
    if (rows.length !== HEALTH_ENDPOINTS) throw new Error(`dh endpoints read ${rows.length} endpoints`);
  }
  return summarize(ms);
};

const injectDrift = async (t: BenchTable, count: number, total: number): Promise<string[]> => {
  // successful bulk messages (i % 10 < 6), spread over the table
  const ids: string[] = [];
  const step = Math.max(10, Math.floor((total - HISTORY_PROBES - WINDOW_FAILED) / Math.max(1, count) / 10) * 10);
  for (let k = 0; ids.length < count; k++) ids.push(bulkId(k * step));
  for (const id of ids) {
    await t.doc.send(
      new UpdateCommand({
        TableName: t.tableName,
        Key: tableKeys.stateKey(id),
        UpdateExpression: 'SET deliveryResult.statusCode = :bad',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':bad': 299 },
      }),
    );
  }
  return ids;
};

export const benchScale = async (ctx: BenchContext, o: ScaleOptions): Promise<{ rows: Row[]; detail: unknown }> => {
  const rows: Row[] = [];
  const t = await ctx.table('scale', { stream: false });
  const store = createStore({ doc: t.doc, tableName: t.tableName });
  try {
    const probes = WINDOW_FAILED + HISTORY_PROBES;
    const bulkItems = bulkItemsWith(makeFastShaper(bulkReplies, bulkId(0).length));
    const load = async (from: number, to: number) => {
      const t0 = performance.now();
      const items = await bulkLoadRaw(t.client, t.tableName, { from, to }, bulkItems, 12);
      return { items, ms: performance.now() - t0 };
    };
    await bulkLoad(t.doc, t.tableName, { from: 0, to: probes }, probeItems, 4);
    const first = await load(0, o.small - probes);
    ctx.progress(`scale: ${o.small} messages loaded (${first.items} items in ${round(first.ms / 1000, 1)} s)`);
    await timeQueries(store, 20); // warm-up (JIT on both sides), not reported
    const small = await timeQueries(store, o.queries);
    const healthBuckets = await seedHealth(store, o.small);
    await timeHealth(store, 3);
    const smallHealth = await timeHealth(store, Math.min(o.queries, 30));
    // the code before issue 17 (a page per segment, no heap cap) side by side with today's,
    // on the same table, before / now / before (drift injected again for each): the speed
    // ratio is now against the mean of the two, so warming up favours neither
    const smallDrift = () => injectDrift(t, Math.max(1, Math.round(o.drifted / 10)), o.small);
    const replaySmall = (label: 'now' | 'before') =>
      runReplayChild(
        { endpoint: t.endpoint, tableName: t.tableName },
        REPLAY_SEGMENTS,
        REPLAY_CONCURRENCY,
        replayVariant(label, REPLAY_SEGMENTS),
      );
    await smallDrift();
    const beforeRun = await replaySmall('before');
    const smallDrifted = await smallDrift();
    const smallRun = await replaySmall('now');
    await smallDrift();
    const beforeRun2 = await replaySmall('before');
    const beforeRate = (beforeRun.result.messagesPerSecond + beforeRun2.result.messagesPerSecond) / 2;
    ctx.progress(
      `scale: replay over ${o.small} messages: ${round(smallRun.result.messagesPerSecond)} msg/s (before: ${round(beforeRun.result.messagesPerSecond)}, ${round(beforeRun2.result.messagesPerSecond)})`,
    );
    const second = await load(o.small - probes, o.large - probes);
    ctx.progress(`scale: ${o.large} messages loaded (${second.items} more items in ${round(second.ms / 1000, 1)} s)`);
    const large = await timeQueries(store, o.queries);
    await seedHealth(store, o.large);
    const largeHealth = await timeHealth(store, Math.min(o.queries, 30));
    const loadRate = ((first.items + second.items) / (first.ms + second.ms)) * 1000;
    const k = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));
    for (const [name, key] of [
      ['history of a message (5 attempts)', 'history'],
      [`failed in a 1 h window (${WINDOW_FAILED} answers)`, 'failed'],
    ] as const) {
      rows.push({
        section: 'audit queries',
        metric: `${name} at ${k(o.small)}: p50 / p99`,
        value: `${round(small[key].p50, 1)} / ${round(small[key].p99, 1)}`,
        unit: 'ms',
      });
      rows.push({
        section: 'audit queries',
        metric: `${name} at ${k(o.large)}: p50 / p99`,
        value: `${round(large[key].p50, 1)} / ${round(large[key].p99, 1)}`,
        unit: 'ms',
      });
      rows.push({
        section: 'audit queries',
        metric: `${name}: p50 ratio ${k(o.large)} / ${k(o.small)}`,
        value: round(ratio(large[key].p50, small[key].p50), 2),
        unit: 'x',
        note: '~1 = cost does not grow with table size',
      });
    }
    const health = `dh endpoints over 24 h (${HEALTH_ENDPOINTS} endpoints, ${healthBuckets} bucket shards read as their roll-ups)`;
    rows.push(
      {
        section: 'audit queries',
        metric: `${health} at ${k(o.small)}: p50 / p99`,
        value: `${round(smallHealth.p50, 1)} / ${round(smallHealth.p99, 1)}`,
        unit: 'ms',
      },
      {
        section: 'audit queries',
        metric: `${health} at ${k(o.large)}: p50 / p99`,
        value: `${round(largeHealth.p50, 1)} / ${round(largeHealth.p99, 1)}`,
        unit: 'ms',
      },
      {
        section: 'audit queries',
        metric: `${health}: p50 ratio ${k(o.large)} / ${k(o.small)}`,
        value: round(ratio(largeHealth.p50, smallHealth.p50), 2),
        unit: 'x',
        note: 'reads the aggregates only: endpoints x hours x shards, not messages',
      },
    );
    rows.push({
      section: 'audit queries',
      metric: 'bulk load (BatchWriteItem, 12 in flight)',
      value: round(loadRate),
      unit: 'items/s',
      note: `${first.items + second.items + 0} items`,
    });

    // replay over the large table: a few STATEs corrupted first, repaired by the replay; the
    // same over the small table (measured before the large load) shows memory stays flat
    const drifted = await injectDrift(t, o.drifted, o.large);
    const java0 = await ctx.dynamoCpuSeconds();
    const run = await runReplayChild(
      { endpoint: t.endpoint, tableName: t.tableName },
      REPLAY_SEGMENTS,
      REPLAY_CONCURRENCY,
    );
    const javaCpuMs = ((await ctx.dynamoCpuSeconds()) - java0) * 1000;
    const replay = run.result;
    const repaired = replay.actions.repaired ?? 0;
    const peakMiB = (r: ReplayRun) => (r.peakRssKiB ?? r.result.rssPeakBytes / 1024) / 1024;
    const runs = [
      [o.small, smallRun],
      [o.large, run],
    ] as const;
    rows.push(
      ...runs.map(([size, r]) => ({
        section: 'replay',
        metric: `replay projections --all over ${k(size)} messages (${REPLAY_SEGMENTS} segments x ${REPLAY_CONCURRENCY})`,
        value: round(r.result.messagesPerSecond, 1),
        unit: 'msg/s',
        note: `${r.result.scanned} checked in ${round(r.result.durationMs / 1000, 1)} s; ${r.result.actions.repaired ?? 0} drifted repaired`,
      })),
      ...runs.map(([size, r]) => ({
        section: 'replay',
        metric: `replay peak memory at ${k(size)} (RSS of its process)`,
        value: round(peakMiB(r), 1),
        unit: 'MiB',
        note: `${round(r.result.rssStartBytes / 1024 ** 2, 1)} MiB when it started; heap peak ${round(r.result.heapPeakBytes / 1024 ** 2, 1)} MiB`,
      })),
    );
    rows.push({
      section: 'replay',
      metric: `replay at ${k(o.small)}, before issue 17 (a page per segment, no heap cap): msg/s; peak RSS`,
      value: `${round(beforeRate, 1)}; ${round(Math.max(peakMiB(beforeRun), peakMiB(beforeRun2)), 1)} MiB`,
      unit: '',
      note: `now / before: speed ${round(ratio(smallRun.result.messagesPerSecond, beforeRate), 2)}x, peak RSS ${round(ratio(peakMiB(smallRun), Math.max(peakMiB(beforeRun), peakMiB(beforeRun2))), 2)}x (same table, same run: before, now, before)`,
    });
    rows.push({
      section: 'replay',
      metric: `replay peak memory ratio ${k(o.large)} / ${k(o.small)}`,
      value: round(ratio(peakMiB(run), peakMiB(smallRun)), 2),
      unit: 'x',
      note: '~1 = memory stays flat as the table grows',
    });
    rows.push({
      section: 'replay',
      metric: 'replay CPU per message: replay process / DynamoDB Local',
      value: `${round((run.cpuMs ?? Number.NaN) / replay.scanned, 2)} / ${round(javaCpuMs / replay.scanned, 2)}`,
      unit: 'ms',
      note: 'where the time goes (2 cores shared by both)',
    });
    if (repaired !== drifted.length)
      throw new Error(`replay repaired ${repaired} of ${drifted.length} drifted messages`);
    const smallRepaired = smallRun.result.actions.repaired ?? 0;
    if (smallRepaired !== smallDrifted.length)
      throw new Error(`small replay repaired ${smallRepaired} of ${smallDrifted.length} drifted messages`);
    return {
      rows,
      detail: {
        small,
        large,
        health: { buckets: healthBuckets, small: smallHealth, large: largeHealth },
        load: { first, second, loadRate },
        replay,
        smallReplay: smallRun.result,
        beforeReplay: [beforeRun.result, beforeRun2.result],
        beforePeakRssKiB: [beforeRun.peakRssKiB, beforeRun2.peakRssKiB],
        smallPeakRssKiB: smallRun.peakRssKiB,
        peakRssKiB: run.peakRssKiB,
        replayCpuMs: run.cpuMs,
        javaCpuMs,
      },
    };
  } finally {
    await t.drop();
  }
};
