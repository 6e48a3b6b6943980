import { startTestPoller } from '@delivery-history/testkit/testPoller';
import { makeProjectorDeps, projectMessages } from '@delivery-history/projector';
import { memoryTelemetry } from '@delivery-history/projector/testing';
import { streamsPortOf } from '@delivery-history/store/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fakeClock } from '@delivery-history/testkit/fakeClock';
import { mapLimit } from '@delivery-history/testkit/mapLimit';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { compareTrail, driveMessage, makeWorkloadStore, readWholeStream, rng } from './support/workload.js';

type Ctx = { t: TestTable; ids: string[] };
const Converge = suite<Ctx>('projector converges on a mixed workload (real store, real stream)');

Converge.before(async (ctx) => {
  ctx.t = await useTestTable('projector-converge');
  ctx.ids = Array.from({ length: 100 }, (_, i) => `mix-${String(i).padStart(3, '0')}`);
});
Converge.after(async ({ t }) => {
  await t.drop();
});

Converge(
  '100 messages, random outcomes, retries and redrives: every trail equals rebuildAuditTrail; no drift',
  async ({ t, ids }) => {
    const telemetry = memoryTelemetry();
    const poller = startTestPoller(t, { deps: { telemetry, driftCheckRate: 1 } });
    try {
      // the poller projects while the workload runs
      const clock = fakeClock();
      const store = makeWorkloadStore(t, clock.now);
      const r = rng(2025);
      const driven = await mapLimit(ids, 6, (id) => driveMessage(store, clock, id, r));
      await poller.caughtUp();
      const total = driven.reduce((n, d) => n + d.attempts, 0);
      assert.ok(total > 150, `${total} attempts`);
      assert.ok(
        driven.some((d) => d.redriven),
        'some messages were redriven',
      );
      assert.ok(
        driven.some((d) => d.attempts > 2),
        'some messages were retried',
      );
      for (const id of ids) {
        const c = await compareTrail(t.doc, t.tableName, id);
        assert.equal(c.trail.entries, c.expected, `trail of ${id}`);
      }
      assert.is(poller.stats.failedMessages, 0);
      assert.is(poller.stats.malformed, 0);
      assert.is(telemetry.counts.ProjectionDrift ?? 0, 0, 'STATE == fold(attempts) for every checked message');
      assert.ok((telemetry.counts.DriftChecks ?? 0) > 0);
    } finally {
      await poller.stop();
    }
  },
);

Converge('the whole stream fed again, and shuffled within messages, changes no trail', async ({ t, ids }) => {
  const before = await Promise.all(ids.map((id) => compareTrail(t.doc, t.tableName, id)));
  const records = await readWholeStream(streamsPortOf(t.streams), t.streamArn ?? '');
  const deps = makeProjectorDeps({ doc: t.doc, tableName: t.tableName }, { driftCheckMaxAttempts: 0 });
  const again = await projectMessages(deps, records);
  assert.equal(again.failedSequenceNumbers, []);
  assert.is(
    again.messages.reduce((n, m) => n + m.appended, 0),
    0,
    'every attempt and redrive already applied',
  );
  const r = rng(7);
  const shuffled = [...records].sort(() => r() - 0.5);
  await projectMessages(deps, shuffled);
  for (const [i, id] of ids.entries()) {
    const c = await compareTrail(t.doc, t.tableName, id);
    assert.equal(c.trail.entries, before[i]?.trail.entries, `trail of ${id}`);
    assert.equal(c.trail.entries, c.expected);
  }
});

Converge.run();
