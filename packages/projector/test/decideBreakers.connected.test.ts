// The projector decides endpoint breakers after each batch (DELIVERY_BREAKER=on), from the
// same attempts as endpoint health, with a conditional write; a replayed batch counts nothing twice.
import { type AttemptItem, breaker } from '@delivery-history/core';
import { memoryEventSink } from '@delivery-history/devkit';
import { makeProjectorDeps, type ProjectorDeps, projectMessages } from '@delivery-history/projector';
import { createStore } from '@delivery-history/store';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { writeItems } from '@delivery-history/testkit/writeItems';
import { attempt, attemptKeyed, attemptRecord } from './support/projectorFixtures.js';

type Ctx = { t: TestTable; deps: ProjectorDeps };
const Decide = suite<Ctx>('projector: endpoint breakers after each batch');

Decide.before(async (ctx) => {
  ctx.t = await useTestTable('projector-breakers');
  ctx.deps = makeProjectorDeps(
    { doc: ctx.t.doc, tableName: ctx.t.tableName },
    { sleep: async () => undefined, breaker: breaker.DEFAULT_SETTINGS },
  );
});
Decide.after(async ({ t }) => t.drop());

const onHost = (a: AttemptItem, host: string): AttemptItem => ({
  ...a,
  request: { ...a.request, url: `https://${host}/in` },
});

/** `n` messages, one attempt each, a second apart, on `host`. */
const batch = (host: string, n: number, outcome: 'retry' | 'final' | 'success', prefix = host): AttemptItem[] =>
  Array.from({ length: n }, (_, i) =>
    onHost(attempt(`${prefix}-${i}`, 1, outcome, { t0: Date.UTC(2026, 0, 1) + i * 1000 }), host),
  );

const breakerOf = (t: TestTable, endpoint: string) =>
  createStore({ doc: t.doc, tableName: t.tableName }).readBreaker(endpoint, true)();

Decide('five retryable failures open the breaker; the report and the operator events say so', async (ctx) => {
  const { t } = ctx;
  const sink = memoryEventSink();
  const deps = { ...ctx.deps, events: sink };
  const a = batch('down.example', 5, 'retry');
  await writeItems(t.doc, t.tableName, a.map(attemptKeyed));
  const report = await projectMessages(
    deps,
    a.map((x) => attemptRecord(x)),
  );
  assert.equal(sink.counts(), { 'endpoint.opened': 1 });
  assert.equal(
    report.breakers.transitions.map((x) => [x.endpoint, x.from, x.to]),
    [['down.example', 'closed', 'open']],
  );
  const b = await breakerOf(t, 'down.example');
  if (b._tag === 'Left' || b.right === null) throw new Error('no breaker written');
  assert.is(b.right.mode, 'open');
  assert.is(b.right.streak, 5);
  // the same records again (a retried stream batch): nothing counted twice
  const again = await projectMessages(
    deps,
    a.map((x) => attemptRecord(x)),
  );
  assert.equal(again.breakers.transitions, []);
  const after = await breakerOf(t, 'down.example');
  assert.ok(after._tag === 'Right' && after.right?.version === b.right.version && after.right.streak === 5);
});

Decide('permanent failures (404 from bad messages) never open it', async ({ t, deps }) => {
  const a = batch('picky.example', 12, 'final');
  await writeItems(t.doc, t.tableName, a.map(attemptKeyed));
  const report = await projectMessages(
    deps,
    a.map((x) => attemptRecord(x)),
  );
  assert.equal(report.breakers.transitions, []);
  const b = await breakerOf(t, 'picky.example');
  assert.ok(b._tag === 'Right' && (b.right === null || b.right.mode === 'closed'));
});

Decide('off (the default): no breaker item is written', async ({ t }) => {
  const off = makeProjectorDeps({ doc: t.doc, tableName: t.tableName }, { sleep: async () => undefined });
  const a = batch('quiet.example', 6, 'retry');
  await writeItems(t.doc, t.tableName, a.map(attemptKeyed));
  const report = await projectMessages(
    off,
    a.map((x) => attemptRecord(x)),
  );
  assert.equal(report.breakers.transitions, []);
  const b = await breakerOf(t, 'quiet.example');
  assert.ok(b._tag === 'Right' && b.right === null);
});

Decide.run();
