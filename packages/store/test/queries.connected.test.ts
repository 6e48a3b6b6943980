// Reads: the failed/endpoint/correlation indexes page exactly (no gaps, no repeats, exact
// window bounds), cursors are checked, parallel scan segments cover every STATE once, and
// getHistory returns state, attempts, redrives and audit segments from one partition.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { OutcomeInput } from '@delivery-history/core';
import type { Store, StateSummary } from '@delivery-history/store';
import { auditKey, isInvalid, isNotFound } from '@delivery-history/store/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  type Fixture,
  deliver,
  err404,
  err503,
  left,
  ok200,
  request,
  right,
  useStore,
} from './support/storeFixtures.js';

type Ctx = Fixture & { failedAt: Map<string, string> };
const Queries = suite<Ctx>('index queries and history');

const BASE = Date.parse('2026-02-10T20:00:00.000Z');
const HOUR = 3_600_000;

// 36 messages over ~3 days: every 3rd succeeds, every 4th fails permanently, the rest fail
// retryably; two endpoints; three correlation ids.
const plan = (i: number): { id: string; input: OutcomeInput; at: number; host: string; corr: string } => ({
  id: `q-${String(i).padStart(2, '0')}`,
  input: i % 3 === 0 ? ok200 : i % 4 === 0 ? err404 : err503,
  at: BASE + i * 2 * HOUR + i * 1_000,
  host: i % 2 === 0 ? 'Even.Example.com' : 'odd.example.com:8443',
  corr: `batch-${i % 3}`,
});
const N = 36;

Queries.before(async (ctx) => {
  Object.assign(ctx, await useStore('store-queries'));
  ctx.failedAt = new Map();
  for (let i = 0; i < N; i++) {
    const p = plan(i);
    const req = request(p.id, { url: `https://${p.host}/hook`, correlationId: p.corr });
    await right(ctx.store.createMessage(req));
    await deliver(ctx.store, req, p.input, { startedAt: new Date(p.at - 100), completedAt: new Date(p.at) });
    if (p.input !== ok200) ctx.failedAt.set(p.id, new Date(p.at).toISOString());
  }
});
Queries.after(async ({ t }) => t.drop());

const all = async (page: (cursor?: string) => ReturnType<Store['queryFailed']>) => {
  const items: StateSummary[] = [];
  const sizes: number[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 100; i++) {
    const p = await right(page(cursor));
    items.push(...p.items);
    sizes.push(p.items.length);
    if (p.cursor === null) return { items, sizes };
    cursor = p.cursor;
  }
  throw new Error('pagination did not end');
};

const ids = (items: StateSummary[]) => items.map((s) => s.messageId);

Queries('queryFailed pages through a multi-day window exactly, oldest first', async ({ store, failedAt }) => {
  const since = new Date(BASE).toISOString();
  const until = new Date(BASE + 4 * 24 * HOUR).toISOString();
  const { items, sizes } = await all((cursor) =>
    store.queryFailed({ since, until, limit: 5, ...(cursor ? { cursor } : {}) }),
  );
  const expected = [...failedAt.entries()].sort((a, b) => (a[1] < b[1] ? -1 : 1)).map(([id]) => id);
  assert.equal(ids(items), expected);
  assert.ok(
    sizes.slice(0, -1).every((n) => n === 5),
    `full pages: ${sizes.join(',')}`,
  );
  assert.ok(items.every((s) => s.status === 'FAILED'));
});

Queries('queryFailed windows are [since, until) to the millisecond', async ({ store, failedAt }) => {
  const sorted = [...failedAt.entries()].sort((a, b) => (a[1] < b[1] ? -1 : 1));
  const [first, second, third] = [sorted[3], sorted[4], sorted[5]];
  if (!first || !second || !third) throw new Error('fixture too small');
  const { items } = await all((cursor) =>
    store.queryFailed({ since: first[1], until: third[1], limit: 1, ...(cursor ? { cursor } : {}) }),
  );
  assert.equal(ids(items), [first[0], second[0]]);
});

Queries('exhaustedOnly returns only the final failures', async ({ store, failedAt }) => {
  const { items } = await all((cursor) =>
    store.queryFailed({
      since: new Date(BASE).toISOString(),
      until: new Date(BASE + 5 * 24 * HOUR),
      exhaustedOnly: true,
      limit: 2,
      ...(cursor ? { cursor } : {}),
    }),
  );
  const expected = [...failedAt.keys()].filter((id) => Number(id.slice(2)) % 4 === 0).sort();
  assert.equal(ids(items).sort(), expected);
  assert.ok(items.every((s) => !s.retryEligible));
});

Queries("count: a page carries the whole window's total (Select COUNT), the same on every page", async (ctx) => {
  const { store, failedAt } = ctx;
  const since = new Date(BASE).toISOString();
  const until = new Date(BASE + 4 * 24 * HOUR).toISOString();
  const first = await right(store.queryFailed({ since, until, limit: 5, count: true }));
  assert.is(first.items.length, 5);
  assert.is(first.total, failedAt.size);
  const second = await right(store.queryFailed({ since, until, limit: 5, count: true, cursor: first.cursor ?? '' }));
  assert.is(second.total, failedAt.size, 'a later page counts the same window');
  assert.is((await right(store.queryFailed({ since, until, limit: 5 }))).total, undefined, 'no count unless asked');
  // the filters count as they list: exhausted only, a created window, one endpoint, one batch
  const exhausted = await right(store.queryFailed({ since, until, exhaustedOnly: true, limit: 1, count: true }));
  assert.is(exhausted.total, [...failedAt.keys()].filter((id) => Number(id.slice(2)) % 4 === 0).length);
  const sorted = [...failedAt.values()].sort();
  const [from, to] = [sorted[3], sorted[9]];
  if (from === undefined || to === undefined) throw new Error('fixture too small');
  assert.is((await right(store.queryFailed({ since: from, until: to, limit: 1, count: true }))).total, 6);
  const even = await right(store.queryByEndpoint({ endpoint: 'even.example.com', limit: 3, count: true }));
  assert.is(even.total, N / 2);
  const batch = await right(store.queryByCorrelation({ correlationId: 'batch-1', limit: 2, count: true }));
  assert.is(batch.total, N / 3);
});

Queries('a message leaves the failed index when claimed and when it succeeds', async ({ store }) => {
  const p = plan(1);
  const window = {
    since: new Date(BASE).toISOString(),
    until: new Date(BASE + 5 * 24 * HOUR).toISOString(),
    limit: 100,
  };
  assert.ok(ids((await right(store.queryFailed(window))).items).includes(p.id), 'failed: listed');
  const claimed = await right(store.claim(p.id));
  assert.not.ok(ids((await right(store.queryFailed(window))).items).includes(p.id), 'claimed: not listed');
  await right(
    store.appendAttempt({
      claimed,
      startedAt: new Date(BASE + 3 * 24 * HOUR - 100),
      completedAt: new Date(BASE + 3 * 24 * HOUR),
      responseHeaders: {},
      observation: ok200,
    }),
  );
  assert.not.ok(ids((await right(store.queryFailed(window))).items).includes(p.id), 'succeeded: not listed');
});

Queries('queryByEndpoint merges the shards in creation order, case-insensitively', async ({ store }) => {
  const { items } = await all((cursor) =>
    store.queryByEndpoint({ endpoint: 'EVEN.example.COM', limit: 4, ...(cursor ? { cursor } : {}) }),
  );
  assert.is(items.length, N / 2);
  assert.ok(items.every((s) => s.endpoint === 'even.example.com'));
  // the index is keyed at creation (issue 29): no STATE change moves a row
  const times = items.map((s) => `${s.createdAt}#${s.messageId}`);
  assert.equal(times, [...times].sort());
  // a window selects creation time: [since, until) of the odd endpoint's 3rd..5th messages
  const odd = await all((cursor) =>
    store.queryByEndpoint({ endpoint: 'odd.example.com:8443', ...(cursor ? { cursor } : {}) }),
  );
  const [from, to] = [odd.items[2]?.createdAt, odd.items[5]?.createdAt];
  assert.ok(from !== undefined && to !== undefined && from < to, 'distinct creation times');
  const window = await all((cursor) =>
    store.queryByEndpoint({
      endpoint: 'odd.example.com:8443',
      since: from ?? '',
      until: to ?? '',
      limit: 2,
      ...(cursor ? { cursor } : {}),
    }),
  );
  assert.equal(
    ids(window.items),
    ids(odd.items.filter((x) => x.createdAt >= (from ?? '') && x.createdAt < (to ?? ''))),
  );
  assert.ok(window.items.length >= 3);
});

Queries('queryByCorrelation lists a batch by creation time', async ({ store }) => {
  const { items } = await all((cursor) =>
    store.queryByCorrelation({ correlationId: 'batch-1', limit: 5, ...(cursor ? { cursor } : {}) }),
  );
  assert.equal(
    ids(items).sort(),
    Array.from({ length: N }, (_, i) => plan(i))
      .filter((p) => p.corr === 'batch-1')
      .map((p) => p.id)
      .sort(),
  );
  const created = items.map((s) => s.createdAt);
  assert.equal(created, [...created].sort());
});

Queries('cursors are checked', async ({ store }) => {
  const bad = await left(store.queryByCorrelation({ correlationId: 'batch-1', cursor: 'garbage' }));
  assert.ok(isInvalid(bad), bad._tag);
  const page = await right(store.queryByCorrelation({ correlationId: 'batch-1', limit: 2 }));
  assert.ok(page.cursor !== null);
  const other = await left(store.queryByCorrelation({ correlationId: 'batch-2', cursor: page.cursor ?? '' }));
  assert.ok(isInvalid(other), 'a cursor only continues its own query');
  const limit = await left(
    store.queryFailed({ since: '2026-01-01T00:00:00Z', until: '2026-01-02T00:00:00Z', limit: 0 }),
  );
  assert.ok(isInvalid(limit));
});

Queries('scan segments cover every STATE exactly once', async ({ store }) => {
  const seen: string[] = [];
  for (let segment = 0; segment < 3; segment++) {
    let cursor: string | undefined;
    for (let i = 0; i < 100; i++) {
      const page = await right(
        store.scanSegment({ segment, totalSegments: 3, limit: 7, ...(cursor ? { cursor } : {}) }),
      );
      seen.push(...page.items.map((s) => s.messageId));
      if (page.cursor === null) break;
      cursor = page.cursor;
    }
  }
  assert.equal(seen.sort(), Array.from({ length: N }, (_, i) => plan(i).id).sort());
});

Queries(
  'getHistory returns state, attempts, redrives and raw audit segments; NotFound otherwise',
  async ({ t, store }) => {
    const req = request('q-history', { maxAttempts: 1 });
    await right(store.createMessage(req));
    await deliver(store, req, err503);
    await right(store.appendRedrive({ messageId: req.messageId, requestedBy: 'ops', reason: 'fixed', maxAttempts: 2 }));
    await t.doc.send(
      new PutCommand({
        TableName: t.tableName,
        Item: { ...auditKey(req.messageId, 1), type: 'AUDIT', entries: [{ n: 1 }] },
      }),
    );
    const h = await right(store.getHistory(req.messageId));
    assert.is(h.state.status, 'PENDING');
    assert.is(h.attempts.length, 1);
    assert.is(h.redrives.length, 1);
    assert.is(h.audit.length, 1);
    assert.is(h.audit[0]?.segment, 1);
    assert.equal(h.audit[0]?.entries, [{ n: 1 }]);
    const missing = await left(store.getHistory('q-nobody'));
    assert.ok(isNotFound(missing));
  },
);

Queries.run();
