// The store's partition classifier (pure) and its one AUDIT writer against DynamoDB Local:
// a lost head guard is 'moved' for the append and for the repair alike, a
// TransactionConflict is retried as Transient, and getHistory turns a corrupt item into Corrupt.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '@delivery-history/core';
import { classifyPartition, createStore, decodeAuditTrail } from '@delivery-history/store';
import type { AuditStep } from '../src/audit/auditStep.js';
import { segmentItem, headItem } from '@delivery-history/store/testing';
// the store's own test: its raw operations under the one door
import { type Env, makeEnv } from '../src/env.js';
import { getAuditHead, readAuditTrail } from '../src/ops/readAudit.js';
import { rewriteAuditTrail, writeAuditStep } from '../src/ops/writeAudit.js';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { auditEntry, auditStep, auditSummary } from './support/auditSteps.js';

const create = (entries: AuditEntry[]): AuditStep => auditStep(0, entries);

const Classify = suite('classifyPartition');

Classify('sorts kinds, keeps audit raw, collects corrupt and unknown items instead of failing', () => {
  const p = classifyPartition('m', [
    { pk: 'MSG#m', sk: 'ATTEMPT#000001', junk: true },
    { pk: 'MSG#m', sk: 'AUDIT#0000', segment: 0, entries: 'not decoded here' },
    { pk: 'MSG#m', sk: 'WHAT#1' },
    { pk: 'MSG#m', sk: 'STATE', status: 'nope' },
  ]);
  assert.is(p.state, null);
  assert.equal(
    p.corrupt.map((c) => c.sk),
    ['ATTEMPT#000001', 'STATE'],
  );
  assert.ok(p.corrupt.every((c) => c.message.length > 0));
  assert.equal(
    p.audit.map((a) => [a.sk, a.segment]),
    [['AUDIT#0000', 0]],
  );
  assert.equal(
    p.unknown.map((u) => u.sk),
    ['WHAT#1'],
  );
});

Classify.run();

type Ctx = { t: TestTable; env: Env };
const Writer = suite<Ctx>('the AUDIT writer against DynamoDB Local');

Writer.before(async (ctx) => {
  ctx.t = await useTestTable('store-audit');
  ctx.env = makeEnv({ doc: ctx.t.doc, tableName: ctx.t.tableName, sleep: async () => undefined });
});
Writer.after(async ({ t }) => {
  await t.drop();
});

const run = async <A>(te: () => Promise<E.Either<unknown, A>>): Promise<A> => {
  const r = await te();
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left));
  return r.right;
};

Writer('append: written at the read position, moved when the head is elsewhere', async ({ env }) => {
  assert.is(await run(writeAuditStep(env, 'w-1', create([auditEntry(1)]))), 'written');
  assert.is(await run(writeAuditStep(env, 'w-1', create([auditEntry(1)]))), 'moved', 'created meanwhile');
  assert.is(await run(writeAuditStep(env, 'w-1', auditStep(1, [auditEntry(2)]))), 'written');
  assert.is(
    await run(writeAuditStep(env, 'w-1', auditStep(1, [auditEntry(2)]))),
    'moved',
    'a replayed step cannot apply twice',
  );
  const head = await run(getAuditHead(env, 'w-1'));
  assert.is(head?.through, 2);
  assert.equal(
    head?.entries.map((e) => e.n),
    [1, 2],
  );
});

Writer('rewrite: the same head guard; a stale read is moved, a fresh one replaces and deletes', async ({ env }) => {
  await run(writeAuditStep(env, 'w-2', create([auditEntry(1), auditEntry(2)])));
  const stale = await run(readAuditTrail(env, 'w-2'));
  await run(writeAuditStep(env, 'w-2', auditStep(2, [auditEntry(3)])));
  const segments = [
    headItem('w-2', [auditEntry(1)], { ...auditSummary(3), segments: 2 }),
    segmentItem('w-2', 1, [auditEntry(2), auditEntry(3)]),
  ];
  assert.is(await run(rewriteAuditTrail(env, { messageId: 'w-2', segments, read: stale })), 'moved');
  const fresh = await run(readAuditTrail(env, 'w-2'));
  assert.is(await run(rewriteAuditTrail(env, { messageId: 'w-2', segments, read: fresh })), 'written');
  const after = await run(readAuditTrail(env, 'w-2'));
  assert.equal(
    after.entries.map((e) => e.n),
    [1, 2, 3],
  );
  assert.is(after.segments.length, 2);
  // and back to one segment: the one past the new end is deleted in the same transaction
  const one = [headItem('w-2', [auditEntry(1), auditEntry(2), auditEntry(3)], auditSummary(3))];
  assert.is(await run(rewriteAuditTrail(env, { messageId: 'w-2', segments: one, read: after })), 'written');
  const last = await run(readAuditTrail(env, 'w-2'));
  assert.equal(last.stale, []);
  assert.is(last.segments.length, 1);
});

Writer('a TransactionConflict is Transient: retried by the funnel, not reported as moved', async ({ t }) => {
  let calls = 0;
  const conflict = Object.assign(new Error('conflict'), {
    name: 'TransactionCanceledException',
    CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
  });
  const doc = new Proxy(t.doc, {
    get(target, prop, receiver) {
      if (prop !== 'send') return Reflect.get(target, prop, receiver);
      return (command: unknown) => {
        calls += 1;
        return calls === 1 ? Promise.reject(conflict) : (target.send as (c: unknown) => Promise<unknown>)(command);
      };
    },
  });
  const env = makeEnv({ doc, tableName: t.tableName, sleep: async () => undefined });
  const step: AuditStep = { ...create([auditEntry(1)]), newSegments: [{ segment: 1, entries: [auditEntry(2)] }] };
  assert.is(await run(writeAuditStep(env, 'w-3', step)), 'written');
  assert.is(calls, 2);
});

Writer(
  'getHistory: the first corrupt item is Corrupt, naming it; a corrupt trail is left to its decoder',
  async ({ t }) => {
    const store = createStore({ doc: t.doc, tableName: t.tableName });
    const put = (Item: Record<string, unknown>) => t.doc.send(new PutCommand({ TableName: t.tableName, Item }));
    await put({ pk: 'MSG#h-1', sk: 'STATE', status: 'garbage' });
    const r = await store.getHistory('h-1')();
    assert.ok(E.isLeft(r) && r.left._tag === 'Corrupt' && r.left.item === 'STATE');
    await put({ pk: 'MSG#h-2', sk: 'AUDIT#0000', segment: 0, entries: 'nope' });
    const items = await run(store.readPartition('h-2'));
    const trail = decodeAuditTrail('h-2', items);
    assert.ok(E.isLeft(trail) && trail.left._tag === 'Corrupt' && trail.left.item === 'AUDIT#0000');
    const h = await store.getHistory('h-2')();
    assert.ok(E.isLeft(h) && h.left._tag === 'NotFound', 'no STATE: NotFound, not the trail');
  },
);

Writer.run();
