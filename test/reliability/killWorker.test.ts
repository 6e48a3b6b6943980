// Issue 15, acceptance: worker PROCESSES SIGKILLed at random points over 200 messages with
// redelivery. Each worker is a child process (support/workerChild.ts: devkit's local worker
// against the table); this process is the receiver (127.0.0.1) and SQS's memory: when a child
// dies, every message not final yet is sent again to the next child, as SQS redelivers a record
// nobody deleted. Kills are aimed, in turn, right after a claim (before the request), while the
// receiver holds a request (during it), and right after the response before the append. A last
// child runs without kills until every message is final. Afterwards, for every message:
// requests received <= attempts recorded, attempt numbers dense, STATE == fold(attempts), final.
import { performance } from 'node:perf_hooks';
import { isFinal } from '@delivery-history/core';
import { createStore, type Store } from '@delivery-history/store';
import { seededRandom, seedFromEnv } from '@delivery-history/testkit/seededRandom';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { cpuOf, reaches } from '@delivery-history/testkit/waitFor';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type CountingReceiver, startCountingReceiver } from './support/countingReceiver.js';
import { historyBooks, statesOf } from './support/historyBooks.js';
import { printSummary } from './support/reliabilitySummary.js';
import { requestTo, SIGNING_SECRET } from './support/rig.js';
import { killChild, type LineChild, spawnLineChild } from './support/spawnLineChild.js';

const MESSAGES = 200;
const KILLS = 12;
const LEASE_MS = 2_000;
const MAX_ATTEMPTS = 10;
const POINTS = ['before the request', 'during the request', 'after the request, before the append'] as const;
type Point = (typeof POINTS)[number];
type Aim = { point: Point; at: number };
type Child = LineChild & {
  claims: number;
  appends: number;
  requests: number;
  aim: Aim | null;
  spawnedAt: number;
  killed: { point: Point; messageId: string; afterMs: number } | null;
};
type Ctx = { t: TestTable; store: Store; rx: CountingReceiver; child: Child | null };
const Kill = suite<Ctx>('reliability: worker processes SIGKILLed at random points');

const kill = (child: Child, point: Point, messageId: string): void => {
  if (child.killed !== null) return;
  child.killed = { point, messageId, afterMs: Math.round(performance.now() - child.spawnedAt) };
  child.proc.kill('SIGKILL');
};

/** 503 on the first request of every fourth message (a retry follows), 200 otherwise. */
const startRx = (ctx: Ctx): Promise<CountingReceiver> =>
  startCountingReceiver(async (id, seen, res) => {
    const child = ctx.child;
    if (child !== null) {
      child.requests++;
      if (child.aim?.point === 'during the request' && child.requests >= child.aim.at) {
        kill(child, 'during the request', id);
        await child.exited;
        res.destroy();
        return;
      }
    }
    const status = Number(id.split('-').at(-1)) % 4 === 0 && seen === 0 ? 503 : 200;
    res.writeHead(status).end(String(status));
  });

const spawnWorker = (t: TestTable, aim: Aim | null): Child => {
  const child: Child = {
    ...spawnLineChild(
      'test/reliability/support/workerChild.ts',
      {
        DH_CHILD_ENDPOINT: t.endpoint,
        DH_CHILD_TABLE: t.tableName,
        DH_CHILD_SECRET: SIGNING_SECRET,
        DH_CHILD_LEASE_MS: String(LEASE_MS),
        DH_CHILD_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      },
      (line) => onLine(child, line),
    ),
    claims: 0,
    appends: 0,
    requests: 0,
    aim,
    spawnedAt: performance.now(),
    killed: null,
  };
  return child;
};

const onLine = (child: Child, line: string): boolean => {
  const [tag, id = ''] = line.split(' ');
  if (tag === 'C') {
    child.claims++;
    if (child.aim?.point === 'before the request' && child.claims >= child.aim.at) kill(child, child.aim.point, id);
  } else if (tag === 'A') {
    child.appends++;
    if (child.aim?.point === 'after the request, before the append' && child.appends >= child.aim.at) {
      kill(child, child.aim.point, id);
    }
  } else return false;
  return true;
};

const notFinal = async (store: Store, ids: ReadonlyArray<string>): Promise<string[]> => {
  const states = await statesOf(store, ids);
  return ids.filter((_, i) => {
    const s = states[i];
    return s === null || s === undefined || !isFinal(s);
  });
};

const feed = (child: Child, ctx: Ctx, ids: ReadonlyArray<string>): void => {
  for (const id of ids) child.proc.stdin?.write(`${JSON.stringify(requestTo(id, `${ctx.rx.url}/hook`))}\n`);
};

Kill.before(async (ctx) => {
  ctx.t = await useTestTable('rel-killworker');
  ctx.store = createStore({ doc: ctx.t.doc, tableName: ctx.t.tableName });
  ctx.child = null;
  ctx.rx = await startRx(ctx);
});
Kill.after(async (ctx) => {
  await killChild(ctx.child);
  await ctx.rx.close();
  await ctx.t.drop();
});

/** The per-message checks; `bad` lists each failure with its message id. */
const books = (ctx: Ctx, ids: ReadonlyArray<string>) =>
  historyBooks(
    ctx.store,
    ids,
    (id) => ctx.rx.requests.get(id) ?? 0,
    (id, h) => (isFinal(h.state) ? [] : [`${id}: not final (${h.state.status})`]),
  );

Kill('200 messages, workers SIGKILLed before, during and after requests: every attempt accounted for', async (ctx) => {
  const seed = seedFromEnv();
  const random = seededRandom(seed);
  const started = performance.now();
  const ids = Array.from({ length: MESSAGES }, (_, k) => `kill-${process.pid}-${k}`);
  const kills: Array<NonNullable<Child['killed']> | { point: Point; missed: true }> = [];
  let open: string[] = ids;
  for (let k = 0; k < KILLS && open.length > 0; k++) {
    const point = POINTS[k % POINTS.length] as Point;
    const child = spawnWorker(ctx.t, { point, at: 1 + Math.floor(random() * 40) });
    ctx.child = child;
    feed(child, ctx, open);
    let polls = 0;
    const openNow = open;
    // the aim, or nothing left to aim at
    await reaches(
      async () => child.killed !== null || (++polls % 50 === 0 && (await notFinal(ctx.store, openNow)).length === 0),
      { what: 'the kill point', progress: cpuOf(child.proc.pid), everyMs: 20 },
    );
    const hit = child.killed !== null;
    if (!hit) {
      // nothing left to aim at (or too slow): stop it and go on
      child.proc.kill('SIGKILL');
      kills.push({ point, missed: true });
    } else if (child.killed !== null) kills.push(child.killed);
    await child.exited;
    ctx.child = null;
    open = await notFinal(ctx.store, ids);
  }
  // the last worker, never killed, finishes what is left (takeovers after each lease)
  const killPhaseMs = performance.now() - started;
  const last = spawnWorker(ctx.t, null);
  ctx.child = last;
  feed(last, ctx, open);
  const done = await reaches(async () => (await notFinal(ctx.store, open)).length === 0, {
    what: 'every message final',
    progress: cpuOf(last.proc.pid),
    everyMs: 500,
  });
  last.proc.kill('SIGTERM');
  await last.exited;
  ctx.child = null;

  const b = await books(ctx, ids);
  const landed = kills.filter((k) => !('missed' in k));
  printSummary({
    file: 'killWorker',
    operationsSent: MESSAGES,
    faultsInjected: landed.length,
    inputsTried: 0,
    lost: b.bad.filter((s) => s.includes('not final') || s.includes('no history')).length,
    doubleCounted: b.bad.filter((s) => s.includes('requests >')).length,
    // a killed worker's exchange is gone with it: nothing comes back through SQS here
    accounting: {
      requestsReceived: b.requests,
      attemptsRecorded: b.attempts,
      lostAttempts: b.lost,
      recoveredThroughSqs: 0,
    },
    details: {
      seed,
      'duration s': Math.round((performance.now() - started) / 100) / 10,
      resolutions: b.resolutions,
      'kills by point': Object.fromEntries(POINTS.map((p) => [p, landed.filter((k) => k.point === p).length])),
      'kills missed': kills.length - landed.length,
      'left open by the kills': open.length,
      'kill phase s': Math.round(killPhaseMs / 100) / 10,
      'ms from spawn to kill': landed.map((k) => ('afterMs' in k ? k.afterMs : 0)),
    },
  });
  assert.ok(done, `the last worker finished every message: ${last.lines.slice(-5).join(' | ')}`);
  assert.equal(b.bad.slice(0, 10), [], 'every message: requests <= attempts, dense, STATE == fold, final');
  assert.ok(b.requests <= b.attempts, 'requests received <= attempts recorded');
  for (const p of POINTS)
    assert.ok(
      landed.some((k) => k.point === p),
      `a kill landed ${p}`,
    );
  assert.ok(b.lost > 0, 'the kills left lost attempts, recorded at takeover');
});

Kill.run();
