// Holds and requeues in the projected audit trail (invariant 6 with invariant 11, issue 28's
// "every push audited"): messages held, released, delivered, expired, re-driven and requeued
// through the real store; DynamoDB Local's real stream fed to
// the projector once, twice, and in part (the rest healed from the table). Every trail equals
// the rebuild from the partition, and replay's packing of it (rebuildAuditSegments).
import { AttemptItem, decodeWith, HoldItem, RedriveItem, RequeueItem, isEntry } from '@delivery-history/core';
import { makeProjectorDeps, projectMessages } from '@delivery-history/projector';
import { type Store, rebuildAuditSegments } from '@delivery-history/store';
import { streamsPortOf } from '@delivery-history/store/testing';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import * as E from 'fp-ts/lib/Either.js';
import type { Type } from 'io-ts';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { compareTrail } from '@delivery-history/testkit/trails';
import { must } from '@delivery-history/testkit/must';
import { attemptAnswered, createPlain } from '@delivery-history/testkit/storeSteps';
import { fakeClock, type FakeClock } from '@delivery-history/testkit/fakeClock';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { makeWorkloadStore, readWholeStream } from './support/workload.js';

type Ctx = { t: TestTable; store: Store; clock: FakeClock };
const Trail = suite<Ctx>('holds, releases, expiries and requeues in the projected audit trail');

Trail.before(async (ctx) => {
  ctx.t = await useTestTable('projector-hold-trail');
  ctx.clock = fakeClock();
  ctx.store = makeWorkloadStore(ctx.t, ctx.clock.now);
});
Trail.after(async ({ t }) => {
  await t.drop();
});

const hold = async ({ store, clock }: Ctx, messageId: string, kind: 'held' | 'released' | 'expired') => {
  clock.advance(1000);
  const by = kind === 'held' ? 'breaker' : kind === 'released' ? 'ops@example.com' : 'retention';
  const mode = kind === 'held' ? 'open' : kind === 'released' ? 'drain' : 'retention';
  await must(store.appendHold({ messageId, kind, mode, reason: `${kind} in the test`, by }));
};

const requeue = async ({ store, clock }: Ctx, messageId: string, reason: string) => {
  clock.advance(500);
  const s = await must(store.getState(messageId));
  await must(
    store.appendRequeue({
      messageId,
      requestedBy: 'support@example.com',
      reason,
      status: s.status,
      waitingSince: s.lastUpdatedAt,
    }),
  );
};

const IDS = ['ht-delivered', 'ht-expired', 'ht-twice', 'ht-redriven', 'ht-requeued'] as const;

/** The workload: every hold kind, before and after attempts, around a re-drive. */
const drive = async (ctx: Ctx): Promise<void> => {
  // a retry, then held by the breaker, released by the drain, delivered
  await createPlain(ctx.store, 'ht-delivered');
  await attemptAnswered(ctx, 'ht-delivered', 503, 7);
  await hold(ctx, 'ht-delivered', 'held');
  await hold(ctx, 'ht-delivered', 'released');
  await attemptAnswered(ctx, 'ht-delivered', 200, 7);
  // held before its first attempt, never released: expired (final, held_expired)
  await createPlain(ctx.store, 'ht-expired');
  await hold(ctx, 'ht-expired', 'held');
  await hold(ctx, 'ht-expired', 'expired');
  // held and released twice, then delivered on the first attempt
  await createPlain(ctx.store, 'ht-twice');
  for (let i = 0; i < 2; i++) {
    await hold(ctx, 'ht-twice', 'held');
    await hold(ctx, 'ht-twice', 'released');
  }
  await attemptAnswered(ctx, 'ht-twice', 200, 7);
  // exhausted, re-driven, held after the re-drive, released, delivered
  await createPlain(ctx.store, 'ht-redriven', 1);
  await attemptAnswered(ctx, 'ht-redriven', 503, 7);
  await must(
    ctx.store.appendRedrive({ messageId: 'ht-redriven', requestedBy: 'ops', reason: 'fixed', maxAttempts: 3 }),
  );
  await hold(ctx, 'ht-redriven', 'held');
  await hold(ctx, 'ht-redriven', 'released');
  await attemptAnswered(ctx, 'ht-redriven', 200, 7);
  // stalled after a retry: requeued by support, held, requeued while held, released, delivered
  await createPlain(ctx.store, 'ht-requeued');
  await attemptAnswered(ctx, 'ht-requeued', 503, 7);
  await requeue(ctx, 'ht-requeued', 'INC-7: the retry never ran');
  await hold(ctx, 'ht-requeued', 'held');
  await requeue(ctx, 'ht-requeued', 'INC-7: still stuck');
  await hold(ctx, 'ht-requeued', 'released');
  await attemptAnswered(ctx, 'ht-requeued', 200, 7);
};

const deps = (t: TestTable) => makeProjectorDeps({ doc: t.doc, tableName: t.tableName }, { driftCheckMaxAttempts: 0 });

const trailsMatch = async (t: TestTable) => {
  for (const id of IDS) {
    const c = await compareTrail(t.doc, t.tableName, id);
    assert.equal(c.trail.entries, c.expected, `${id}: live trail == rebuild from the partition`);
    assert.ok(
      c.expected.some((e) => isEntry(e, 'hold')),
      `${id}: its holds are in the trail`,
    );
  }
};

const decodeAll = <A>(codec: Type<A, unknown, unknown>, items: readonly Record<string, unknown>[], prefix: string) =>
  items
    .filter((i) => String(i.sk).startsWith(prefix))
    .map((i) => {
      const d = decodeWith(codec, i);
      if (E.isLeft(d)) throw new Error(d.left.message);
      return d.right;
    });

/** What `dh replay` writes for a message: its trail rebuilt from the partition, packed into segments. */
const rebuildFromItems = (messageId: string, items: readonly Record<string, unknown>[]) => {
  const rebuilt = rebuildAuditSegments(
    messageId,
    decodeAll(AttemptItem, items, 'ATTEMPT#'),
    decodeAll(RedriveItem, items, 'REDRIVE#'),
    undefined,
    { holds: decodeAll(HoldItem, items, 'HOLD#'), requeues: decodeAll(RequeueItem, items, 'REQUEUE#') },
  );
  if (E.isLeft(rebuilt)) throw new Error(JSON.stringify(rebuilt.left));
  return rebuilt.right as ReadonlyArray<Record<string, unknown>>;
};

const dropTrail = async (t: TestTable, messageId: string) => {
  await t.doc.send(new DeleteCommand({ TableName: t.tableName, Key: { pk: `MSG#${messageId}`, sk: 'AUDIT#0000' } }));
};

Trail('the real stream, once and doubled: every trail == the rebuild, holds in replay order', async (ctx) => {
  const { t } = ctx;
  await drive(ctx);
  const records = await readWholeStream(streamsPortOf(t.streams), t.streamArn ?? '');
  const first = await projectMessages(deps(t), records);
  assert.equal(first.failedSequenceNumbers, [], JSON.stringify(first.failed));
  await trailsMatch(t);

  const delivered = await compareTrail(t.doc, t.tableName, 'ht-delivered');
  assert.equal(
    delivered.trail.entries.map((e) =>
      'kind' in e ? `${e.kind}${isEntry(e, 'hold') ? `:${e.event}` : ''}` : e.status,
    ),
    ['FAILED', 'hold:held', 'hold:released', 'SUCCESS'],
  );
  const expired = await compareTrail(t.doc, t.tableName, 'ht-expired');
  assert.equal(
    expired.trail.entries.map((e) => (isEntry(e, 'hold') ? [e.n, e.hold, e.event, e.by, e.reason] : null)),
    [
      [0, 1, 'held', 'breaker', 'held in the test'],
      [0, 2, 'expired', 'retention', 'expired in the test'],
    ],
  );
  assert.is(expired.trail.summary?.holds, 2);
  assert.is(expired.trail.summary?.through, 0);
  const requeued = await compareTrail(t.doc, t.tableName, 'ht-requeued');
  assert.equal(
    requeued.trail.entries.map((e) =>
      isEntry(e, 'requeue')
        ? `requeue ${e.requeue} by ${e.by}: ${e.reason} (${e.status})`
        : 'kind' in e
          ? e.kind
          : e.status,
    ),
    [
      'FAILED',
      'requeue 1 by support@example.com: INC-7: the retry never ran (FAILED)',
      'hold',
      'requeue 2 by support@example.com: INC-7: still stuck (HELD)',
      'hold',
      'SUCCESS',
    ],
  );
  assert.is(requeued.trail.summary?.requeues, 2);

  // the whole stream again: nothing appended, the same trails
  const before = await Promise.all(IDS.map((id) => compareTrail(t.doc, t.tableName, id)));
  const again = await projectMessages(deps(t), [...records, ...records]);
  assert.equal(again.failedSequenceNumbers, []);
  assert.is(
    again.messages.reduce((n, m) => n + m.appended, 0),
    0,
    'a doubled stream appends nothing',
  );
  const after = await Promise.all(IDS.map((id) => compareTrail(t.doc, t.tableName, id)));
  assert.equal(
    after.map((c) => c.trail.entries),
    before.map((c) => c.trail.entries),
  );

  // replay's packing of the rebuild is the live trail, segment for segment
  for (const c of after) {
    const id = c.trail.messageId;
    const stored = c.items.filter((i) => String(i.sk).startsWith('AUDIT#'));
    const full = rebuildFromItems(id, c.items);
    assert.equal(
      full.map((s) => s.entries),
      stored.map((s) => s.entries),
      `${id}: replay packs the same segments`,
    );
    assert.equal(
      full.map((s) => [s.through, s.redrives, s.holds, s.entryCount]).slice(0, 1),
      stored.map((s) => [s.through, s.redrives, s.holds, s.entryCount]).slice(0, 1),
    );
  }
});

Trail('a batch with only the last hold event heals the earlier ones from the table', async (ctx) => {
  const { t } = ctx;
  await dropTrail(t, 'ht-expired');
  await dropTrail(t, 'ht-twice');
  await dropTrail(t, 'ht-requeued');
  const records = await readWholeStream(streamsPortOf(t.streams), t.streamArn ?? '');
  const lastOf = (id: string) =>
    records
      .filter((r) => r.dynamodb?.Keys?.pk?.S === `MSG#${id}` && r.eventName === 'INSERT')
      .filter((r) => /^(HOLD|ATTEMPT)#/.test(r.dynamodb?.Keys?.sk?.S ?? ''))
      .pop();
  // ht-expired: only HOLD#2 (expired); ht-twice: only its attempt (after four hold events)
  const partial = [lastOf('ht-expired'), lastOf('ht-twice'), lastOf('ht-requeued')].filter((r) => r !== undefined);
  assert.is(partial.length, 3);
  const r = await projectMessages(deps(t), partial);
  assert.equal(r.failedSequenceNumbers, [], JSON.stringify(r.failed));
  for (const id of ['ht-expired', 'ht-twice', 'ht-requeued']) {
    const c = await compareTrail(t.doc, t.tableName, id);
    assert.equal(c.trail.entries, c.expected, `${id}: healed`);
  }
  assert.is((await compareTrail(t.doc, t.tableName, 'ht-twice')).trail.summary?.holds, 4);
});

Trail.run();
