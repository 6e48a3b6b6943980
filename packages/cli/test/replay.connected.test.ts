// Replay and verify end to end: hand-corrupted projections and trails are reported exactly,
// repaired, and verify passes again; a repair never overwrites a newer live write.
import { type ProjectionField, StateItem, decodeWith } from '@delivery-history/core';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { tableKeys } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  projectorTrailOf,
  replayProjections,
  storeRepair,
  tableReader,
  trailWriter,
} from '@delivery-history/cli/testing';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { corruptTrailEntry, setStateField } from './support/corrupt.js';
import { projectAll } from './support/projectAll.js';
import { type DhResult, dhEnv, jsonOf, runDh, show } from './support/runDh.js';
import { type Seeder, seeder } from './support/seed.js';

type Ctx = { t: TestTable; env: NodeJS.ProcessEnv; s: Seeder };
const R = suite<Ctx>('dh replay projections / verify');

R.before(async (ctx) => {
  ctx.t = await useTestTable('cli-replay');
  ctx.env = dhEnv({ endpoint: ctx.t.endpoint, tableName: ctx.t.tableName });
  ctx.s = seeder(ctx.t.doc, ctx.t.tableName, new Date('2025-04-01T08:00:00.000Z'));
  for (let i = 1; i <= 6; i++) await ctx.s.deliver({ messageId: `r-ok-${i}` }, ['ok']);
  await ctx.s.deliver({ messageId: 'r-fail' }, ['503', '503', '503']);
  await ctx.s.deliver({ messageId: 'r-retry', maxAttempts: 5 }, ['503']);
  await projectAll(ctx.t);
});

R.after(async (ctx) => {
  await ctx.t.drop();
});

const ok = (r: DhResult, code = 0) => assert.is(r.code, code, show(r));

type Report = {
  dryRun: boolean;
  scanned: number;
  drifted: number;
  actions: Record<string, number>;
  drift: Array<{
    messageId: string;
    fields: Array<{ field: ProjectionField; stored: unknown; expected: unknown }>;
    auditTrail: { kind: string } | null;
    action: string;
  }>;
};

// The seeded history is dated 2025: r-retry's scheduled retry is long overdue, a stalled
// message (its SQS record gone), which the first test checks; the others look past it.
const PAST_STALLS = ['--stalled-after', '100000d'];

type VerifyJson = {
  ok: boolean;
  messages: number;
  checks: Record<string, { failed: number }>;
  violations: Array<{ messageId: string; check: string; detail: string }>;
};

R('a clean table verifies, but for the message no worker came back to (stalled)', async ({ env }) => {
  const [stalled, clean] = await Promise.all([
    runDh(['verify', '--json'], env),
    runDh(['verify', '--json', ...PAST_STALLS], env),
  ]);
  ok(stalled, 1);
  const v = jsonOf<VerifyJson>(stalled);
  assert.equal(
    v.violations.map((x) => [x.messageId, x.check]),
    [['r-retry', 'stalled']],
  );
  assert.match(
    v.violations[0]?.detail ?? '',
    /^FAILED, waiting for its retry since 2025-04-01T08:00:\d\d\.\d{3}Z \(\d+d \d+h\)/,
  );
  assert.match(v.violations[0]?.detail ?? '', /dh replay redrive --message r-retry/);
  ok(clean);
  const c = jsonOf<VerifyJson>(clean);
  assert.is(c.ok, true);
  assert.is(c.messages, 8);
});

R('corruption: dry run names exactly the message and field, replay repairs, verify passes', async ({ t, env }) => {
  await setStateField(t.doc, t.tableName, 'r-fail', 'status', 'SUCCESS');
  await corruptTrailEntry(t.doc, t.tableName, 'r-ok-3');

  const [dry, before] = await Promise.all([
    runDh(['replay', 'projections', '--all', '--dry-run', '--json'], env),
    runDh(['verify', ...PAST_STALLS], env),
  ]);
  ok(dry, 1);
  const d = jsonOf<Report>(dry);
  assert.is(d.dryRun, true);
  assert.is(d.scanned, 8);
  assert.is(d.drifted, 2);
  const byId = Object.fromEntries(d.drift.map((x) => [x.messageId, x]));
  assert.equal(byId['r-fail']?.fields, [{ field: 'status', stored: 'SUCCESS', expected: 'FAILED' }]);
  assert.is(byId['r-fail']?.auditTrail, null);
  assert.equal(byId['r-ok-3']?.fields, []);
  assert.is(byId['r-ok-3']?.auditTrail?.kind, 'mismatch');
  assert.ok(d.drift.every((x) => x.action === 'would-repair'));
  ok(before, 1);
  assert.match(before.stdout, /projection\s+STATE == fold\(attempts, redrives, holds\)\s+FAIL 1/);
  assert.match(before.stdout, /audit-trail\s+audit trail == rebuild\(attempts, redrives, holds, requeues\)\s+FAIL 1/);

  // the dry run wrote nothing
  const still = await t.doc.send(new GetCommand({ TableName: t.tableName, Key: tableKeys.stateKey('r-fail') }));
  assert.is(still.Item?.status, 'SUCCESS');

  const fix = await runDh(['replay', 'projections', '--all', '--json', '--progress', 'lines'], env);
  ok(fix);
  const f = jsonOf<Report>(fix);
  assert.is(f.actions.repaired, 2, show(fix));
  assert.match(fix.stderr, /replay: 8\/8 \(100%\)/, 'line progress on a pipe');

  const after = await runDh(['verify', ...PAST_STALLS], env);
  ok(after);
  assert.match(after.stdout, /All invariants hold\./);
  const again = await runDh(['replay', 'projections', '--message', 'r-fail', '--message', 'r-ok-3', '--dry-run'], env);
  ok(again);
  assert.match(again.stdout, /2 messages checked .* 0 with drift/);
});

R('a repair racing a live write loses to it, then repairs on top of it', async ({ t, s }) => {
  // drift the worker does not touch (redrives), then let a live attempt land between the
  // replay's read and its conditional write
  await setStateField(t.doc, t.tableName, 'r-retry', 'redrives', 1);
  const store = s.store;
  let raced = 0;
  const outcomes: string[] = [];
  const repair = storeRepair((id, expected, observed) => store.repairProjection(id, expected, observed));
  const report = await replayProjections(
    {
      reader: tableReader(t.doc, t.tableName),
      trailOf: projectorTrailOf,
      repairProjection: async (id, expected, observed) => {
        if (raced++ === 0) await s.deliver({ messageId: 'r-retry', maxAttempts: 5 }, ['ok']);
        const r = await repair(id, expected, observed);
        outcomes.push(r._tag);
        return r;
      },
      repairTrail: trailWriter({ doc: t.doc, tableName: t.tableName }),
      sleep: async () => {},
    },
    { dryRun: false, segments: 1, messageIds: ['r-retry'] },
  )();
  assert.ok(E.isRight(report));
  if (E.isLeft(report)) return;
  assert.equal(outcomes, ['Conflict', 'Repaired'], 'the stale write was refused, the fresh one applied');
  assert.is(report.right.actions.repaired, 1);
  const got = await t.doc.send(new GetCommand({ TableName: t.tableName, Key: tableKeys.stateKey('r-retry') }));
  const state = decodeWith(StateItem, got.Item);
  assert.ok(E.isRight(state));
  if (E.isLeft(state)) return;
  // the live attempt is kept (2 attempts, SUCCESS), the drifted field repaired
  assert.is(state.right.attempts, 2);
  assert.is(state.right.status, 'SUCCESS');
  assert.is(state.right.redrives, 0);
});

R('arguments: neither or both of --message/--all, unknown message', async ({ env }) => {
  const [neither, both, unknown] = await Promise.all([
    runDh(['replay', 'projections', '--dry-run'], env),
    runDh(['replay', 'projections', '--all', '--message', 'r-ok-1'], env),
    runDh(['replay', 'projections', '--message', 'nope', '--dry-run', '--json'], env),
  ]);
  ok(neither, 2);
  assert.match(neither.stderr, /either --message ID .* or --all/);
  ok(both, 2);
  ok(unknown, 1);
  assert.is(jsonOf<Report>(unknown).actions['not-found'], 1);
});

R.run();
