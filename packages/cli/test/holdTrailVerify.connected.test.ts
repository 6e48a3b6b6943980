// Holds and requeues in the audit trail, end to end through `dh`: messages held, released,
// expired and requeued through the real store, projected by the real poller off the stream;
// `dh verify` passes; a trail as projected before holds and requeues reached it (their entries
// missing) is reported as audit-trail drift, and `dh replay projections` rebuilds exactly the
// live trail.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { makeRetryPolicy, isEntry } from '@delivery-history/core';
import { createStore, type Store } from '@delivery-history/store';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { compareTrail } from '@delivery-history/testkit/trails';
import { must } from '@delivery-history/testkit/must';
import { attemptAnswered, createPlain } from '@delivery-history/testkit/storeSteps';
import { type FakeClock, fakeClock } from '@delivery-history/testkit/fakeClock';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { projectAll } from './support/projectAll.js';
import { type DhResult, dhEnv, jsonOf, runDh, show } from './support/runDh.js';

type Ctx = { t: TestTable; env: NodeJS.ProcessEnv; store: Store; clock: FakeClock };
const V = suite<Ctx>('dh verify / replay: holds and requeues in the audit trail');

const hold = (store: Store, messageId: string, kind: 'held' | 'released' | 'expired') =>
  must(
    store.appendHold({
      messageId,
      kind,
      mode: kind === 'held' ? 'paused' : 'drain',
      reason: `${kind}: INC-9`,
      by: 'ops',
    }),
  );

const IDS = ['hv-released', 'hv-expired', 'hv-requeued'];

V.before(async (ctx) => {
  ctx.t = await useTestTable('cli-hold-trail');
  ctx.env = dhEnv({ endpoint: ctx.t.endpoint, tableName: ctx.t.tableName });
  ctx.clock = fakeClock();
  ctx.store = createStore({
    doc: ctx.t.doc,
    tableName: ctx.t.tableName,
    clock: ctx.clock.now,
    retryPolicy: makeRetryPolicy({ baseMs: 1000, maxMs: 1000, retryAfterMaxMs: 1000 }),
  });
  const s = ctx.store;
  await createPlain(s, 'hv-released');
  await hold(s, 'hv-released', 'held');
  await hold(s, 'hv-released', 'released');
  await attemptAnswered(ctx, 'hv-released', 200);
  await createPlain(s, 'hv-expired');
  await hold(s, 'hv-expired', 'held');
  await hold(s, 'hv-expired', 'expired');
  await createPlain(s, 'hv-requeued');
  await attemptAnswered(ctx, 'hv-requeued', 503);
  const st = await must(s.getState('hv-requeued'));
  await must(
    s.appendRequeue({
      messageId: 'hv-requeued',
      requestedBy: 'support',
      reason: 'INC-9: stuck',
      status: st.status,
      waitingSince: st.lastUpdatedAt,
    }),
  );
  await attemptAnswered(ctx, 'hv-requeued', 200);
  await projectAll(ctx.t);
});
V.after(async ({ t }) => {
  await t.drop();
});

const ok = (r: DhResult, code = 0) => assert.is(r.code, code, show(r));

type VerifyJson = {
  ok: boolean;
  violations: Array<{ messageId: string; check: string; detail: string }>;
};

V('projected live: every trail has its holds and requeues and equals the rebuild; dh verify passes', async (ctx) => {
  for (const id of IDS) {
    const c = await compareTrail(ctx.t.doc, ctx.t.tableName, id);
    assert.equal(c.trail.entries, c.expected, id);
    assert.ok(
      c.trail.entries.some((e) => 'kind' in e && (e.kind === 'hold' || e.kind === 'requeue')),
      `${id}: its holds or requeue are in the trail`,
    );
  }
  const r = await runDh(['verify', '--json', '--stalled-after', '100000d'], ctx.env);
  ok(r);
  assert.is(jsonOf<VerifyJson>(r).ok, true);
  const h = await runDh(['history', 'hv-requeued'], ctx.env);
  ok(h);
  assert.match(h.stdout, /REQUEUE .*by support: INC-9: stuck/);
});

V('a trail projected without them is drift; dh replay rebuilds exactly the live trail', async (ctx) => {
  const live = await Promise.all(IDS.map((id) => compareTrail(ctx.t.doc, ctx.t.tableName, id)));
  // as the projector wrote it before holds and requeues reached the trail: attempts and redrives only
  for (const c of live) {
    const head = c.items.find((i) => i.sk === 'AUDIT#0000');
    if (head === undefined) throw new Error(`${c.trail.messageId}: no head`);
    const entries = c.trail.entries.filter((e) => isEntry(e, 'attempt') || isEntry(e, 'redrive'));
    await ctx.t.doc.send(
      new PutCommand({
        TableName: ctx.t.tableName,
        Item: { ...head, entries, entryCount: entries.length, holds: 0, requeues: 0 },
      }),
    );
  }
  const before = await runDh(['verify', '--json', '--stalled-after', '100000d'], ctx.env);
  ok(before, 1);
  assert.equal(
    jsonOf<VerifyJson>(before)
      .violations.map((v) => [v.messageId, v.check])
      .sort(),
    // hv-expired had holds only: its old trail is empty, a prefix of the rebuild ("behind")
    [
      ['hv-expired', 'audit-trail-behind'],
      ['hv-released', 'audit-trail'],
      ['hv-requeued', 'audit-trail'],
    ],
  );
  const fix = await runDh(['replay', 'projections', '--all', '--json'], ctx.env);
  ok(fix);
  const after = await Promise.all(IDS.map((id) => compareTrail(ctx.t.doc, ctx.t.tableName, id)));
  assert.equal(
    after.map((c) => c.trail.entries),
    live.map((c) => c.trail.entries),
    'replay rebuilt the live trail, holds and requeues included',
  );
  assert.equal(
    after.map((c) => [c.trail.summary?.holds, c.trail.summary?.requeues]),
    live.map((c) => [c.trail.summary?.holds, c.trail.summary?.requeues]),
  );
  ok(await runDh(['verify', '--stalled-after', '100000d'], ctx.env));
});

V.run();
