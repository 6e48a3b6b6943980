import { performance } from 'node:perf_hooks';
import type { Store } from '@delivery-history/store';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { shapeMessage } from '../bench/support/benchFixtures.js';
import { bulkLoad } from '../bench/support/loader.js';
import { countItems } from '../bench/support/tableCounts.js';
import { createAndAnswer } from '@delivery-history/testkit/storeSteps';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { seededRandom, seedFromEnv } from '@delivery-history/testkit/seededRandom';
import { cpuOf, reaches } from '@delivery-history/testkit/waitFor';
import { dueAtOnceStore, requestTo, verifyTable } from './support/rig.js';
import { type LineChild, spawnLineChild } from './support/spawnLineChild.js';
import { scaled } from './support/reliabilityScale.js';
import { printSummary } from './support/reliabilitySummary.js';

// The projector (local poller, its own process, checkpoints in the table) is SIGKILLed in
// the middle of batches, again and again, while attempts keep arriving; each time a new
// one starts from the last checkpoint. Afterwards a last one catches up and `dh verify`
// finds every audit trail equal to the one rebuilt from the attempts: no entry lost, none
// written twice, whatever the kills interrupted.

type Ctx = { t: TestTable; store: Store };
const Kill = suite<Ctx>('reliability: projector killed mid-batch');

const BACKLOG = scaled(120);
const LIVE = scaled(40);
const KILLS = 4;

Kill.before(async (ctx) => {
  ctx.t = await useTestTable('rel-projkill');
  // live attempts are due at once
  ctx.store = dueAtOnceStore(ctx.t);
});
Kill.after(async (ctx) => {
  await ctx.t.drop();
});

type Child = LineChild & { writes: number };

const spawnProjector = (t: TestTable, mode: 'run' | 'catch-up'): Child => {
  const env = {
    DH_CHILD_ENDPOINT: t.endpoint,
    DH_CHILD_TABLE: t.tableName,
    DH_CHILD_STREAM: t.streamArn ?? '',
    DH_CHILD_MODE: mode,
  };
  const child: Child = {
    ...spawnLineChild('test/reliability/support/projectorChild.ts', env, (line) => {
      if (!line.startsWith('W ')) return false;
      child.writes += 1;
      return true;
    }),
    writes: 0,
  };
  return child;
};

/** Live attempts while projectors come and go: 3 per message (500, 500, 200), due at once. */
const liveWriter = async (store: Store, count: number): Promise<number> => {
  for (let i = 0; i < count; i++)
    await createAndAnswer(store, requestTo(`live-${i}`, 'http://127.0.0.1:9/live', 5), [500, 500, 200]);
  return count * 3;
};

Kill('SIGKILL inside batches, restart from checkpoint: trails equal the rebuild', async (ctx) => {
  const { t, store } = ctx;
  const seed = seedFromEnv();
  const random = seededRandom(seed);
  const started = performance.now();
  // a backlog already in the stream (written as the store writes it) ...
  const base = Date.now() - 600_000;
  await bulkLoad(
    t.doc,
    t.tableName,
    { from: 0, to: BACKLOG },
    (i) => shapeMessage(`backlog-${i}`, new Date(base + i), [500, 500, 200], { withAudit: false }).items,
  );
  // ... and live appends while projectors are killed
  const live = liveWriter(store, LIVE);
  const kills: Array<{ afterWrites: number; exit: string }> = [];
  for (let k = 0; k < KILLS; k++) {
    const child = spawnProjector(t, 'run');
    const aim = 3 + Math.floor(random() * 25);
    const reached = await reaches(() => child.writes >= aim, {
      what: 'the kill point',
      progress: cpuOf(child.proc.pid),
      everyMs: 5,
    });
    child.proc.kill('SIGKILL');
    await child.exited;
    kills.push({
      afterWrites: child.writes,
      exit: reached ? 'SIGKILL mid-batch' : 'SIGKILL (writes stalled before the aim)',
    });
  }
  const liveAppends = await live;
  const last = spawnProjector(t, 'catch-up');
  const timer = setTimeout(() => last.proc.kill('SIGKILL'), 180_000);
  const code = await last.exited;
  clearTimeout(timer);
  const caught = last.lines.find((l) => l.startsWith('CAUGHT_UP')) ?? '';
  const verify = await verifyTable(t);
  const counts = await countItems(t.doc, t.tableName);
  const elapsed = performance.now() - started;
  const trailFailures =
    (verify.report.checks['audit-trail']?.failed ?? 0) + (verify.report.checks['audit-trail-behind']?.failed ?? 0);
  const attemptsWritten = BACKLOG * 3 + liveAppends;

  printSummary({
    file: 'faultsProjectorKill',
    operationsSent: attemptsWritten,
    faultsInjected: kills.length,
    inputsTried: 0,
    lost: verify.report.checks['audit-trail-behind']?.failed ?? 0,
    doubleCounted: verify.report.checks['audit-trail']?.failed ?? 0,
    details: {
      seed,
      'duration s': Math.round(elapsed / 100) / 10,
      kills,
      'final projector': caught.slice(0, 400),
      'attempts in table': counts.attempts,
      'audit items': counts.auditItems,
      verify: { ok: verify.report.ok, messages: verify.report.messages, checks: verify.report.checks },
    },
  });

  assert.is(code, 0, `the last projector caught up: ${last.lines.slice(-5).join(' | ')}`);
  assert.is(kills.length, KILLS);
  assert.ok(
    kills.filter((k) => k.afterWrites > 0).length >= KILLS - 1,
    'most kills landed after projector writes began',
  );
  assert.is(counts.attempts, attemptsWritten, 'every attempt is in the table');
  assert.is(trailFailures, 0, `audit trails: ${JSON.stringify(verify.report.violations.slice(0, 5))}`);
  assert.is(verify.report.ok, true, `dh verify: ${JSON.stringify(verify.report.violations.slice(0, 5))}`);
  assert.is(verify.report.messages, BACKLOG + LIVE);
});

Kill.run();
