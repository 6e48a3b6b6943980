// Operator events off DynamoDB Local's real stream: a mixed workload through the real store,
// projected by the poller with the devkit sink, then the whole stream fed again.
import { startTestPoller } from '@delivery-history/testkit/testPoller';
import { operatorEventId } from '@delivery-history/core/testing';
import { memoryEventSink } from '@delivery-history/devkit';
import { makeProjectorDeps, projectMessages } from '@delivery-history/projector';
import { streamsPortOf } from '@delivery-history/store/testing';
import { tableKeys } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fakeClock } from '@delivery-history/testkit/fakeClock';
import { mapLimit } from '@delivery-history/testkit/mapLimit';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { driveMessage, makeWorkloadStore, readWholeStream, rng } from './support/workload.js';

type Ctx = { t: TestTable };
const Stream = suite<Ctx>('operator events off the real stream');

Stream.before(async (ctx) => {
  ctx.t = await useTestTable('projector-events-stream');
});
Stream.after(async ({ t }) => {
  await t.drop();
});

Stream('one event id per final failure and re-drive, the same ids when the stream is fed again', async ({ t }) => {
  const ids = Array.from({ length: 40 }, (_, i) => `ev-${String(i).padStart(3, '0')}`);
  const sink = memoryEventSink();
  const poller = startTestPoller(t, { deps: { events: sink } });
  const clock = fakeClock();
  const store = makeWorkloadStore(t, clock.now);
  try {
    const r = rng(2025);
    const driven = await mapLimit(ids, 4, (id) => driveMessage(store, clock, id, r));
    assert.ok(
      driven.some((d) => d.redriven),
      'some messages were re-driven',
    );
    await poller.caughtUp();
  } finally {
    await poller.stop();
  }
  // expected, from the table: every live final failure and every re-drive
  const expected: string[] = [];
  for (const id of ids) {
    const attempts = await store.listAttempts(id, 1)();
    const state = await store.getState(id)();
    if (E.isLeft(attempts) || E.isLeft(state)) throw new Error(`read ${id}`);
    for (const a of attempts.right)
      if (!a.superseded && a.status === 'FAILED' && !a.deliveryResult.retryEligible)
        expected.push(operatorEventId(id, tableKeys.attemptSk(a.attemptNumber), 'failed'));
    for (let k = 1; k <= state.right.redrives; k++)
      expected.push(operatorEventId(id, tableKeys.redriveSk(k), 'redriven'));
  }
  expected.sort();
  assert.ok(expected.length > 5, `${expected.length} events expected`);
  const unique = () =>
    sink
      .unique()
      .map((e) => e.detail.eventId)
      .sort();
  assert.equal(unique(), expected, 'live: one event per final failure and re-drive');
  const live = sink.events.length;
  // the whole stream again (a replayed stream, a restarted consumer): same ids, nothing new
  const records = await readWholeStream(streamsPortOf(t.streams), t.streamArn ?? '');
  const deps = makeProjectorDeps({ doc: t.doc, tableName: t.tableName }, { events: sink, driftCheckMaxAttempts: 0 });
  const again = await projectMessages(deps, records);
  assert.equal(again.failedSequenceNumbers, []);
  assert.equal(
    sink.events
      .slice(live)
      .map((e) => e.detail.eventId)
      .sort(),
    expected,
    'the second feed republishes exactly the same ids',
  );
  assert.equal(unique(), expected, 'after dedupe by id: still one per event');
});

Stream.run();
