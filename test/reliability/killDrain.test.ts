// Issue 27, acceptance: a process SIGKILLed during a drain loses nothing and sends nothing twice
// beyond invariant 5. 40 messages are held for an endpoint that was down (paused), which then
// comes back (resumed); the drain (support/drainChild.ts: devkit's startLocalDrain, the deployed
// function's handler) and the worker (support/workerChild.ts) run as child processes; this
// process is the receiver (127.0.0.1) and SQS's memory: every re-enqueue the drain made is sent
// again to the next worker when one dies, as SQS redelivers a record nobody deleted. Kills, in
// turn: the drainer right after an enqueue and before its release (drainHeld's crash window),
// a worker right after a claim (before its request), then a worker after its request and before
// its append while the drainer dies right after a release. A last drainer and worker run without kills
// until nothing is held. Then, for every message: delivered (SUCCESS), never held again, held
// and released exactly once, requests received <= attempts recorded, attempt numbers dense,
// every attempt but the last `lost` (the drain's second copies never sent twice), and
// STATE == fold(attempts, redrives, holds).
import { performance } from 'node:perf_hooks';
import { type DeliveryRequest, breaker } from '@delivery-history/core';
import { createStore, type Store } from '@delivery-history/store';
import { must } from '@delivery-history/testkit/must';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { cpuOf, reaches } from '@delivery-history/testkit/waitFor';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type CountingReceiver, startCountingReceiver } from './support/countingReceiver.js';
import { accountingOfBooks, historyBooks, statesOf } from './support/historyBooks.js';
import { printSummary } from './support/reliabilitySummary.js';
import { requestTo, SIGNING_SECRET } from './support/rig.js';
import { killChild, type LineChild, spawnLineChild } from './support/spawnLineChild.js';

const MESSAGES = 40;
const LEASE_MS = 2_000;
type Child = LineChild & { readonly name: string; killed: string | null };
type Ctx = {
  t: TestTable;
  store: Store;
  rx: CountingReceiver;
  worker: Child | null;
  drainer: Child | null;
  /** Every request the drains enqueued (SQS's memory), by message id. */
  queued: Map<string, DeliveryRequest>;
  enqueues: number;
  lastEnqueued: string | null;
};
const Kill = suite<Ctx>('reliability: drainer and worker processes SIGKILLed during a drain');

const spawnChild = (
  ctx: Ctx,
  name: string,
  script: string,
  onLine: (c: Child, line: string) => boolean,
  pauseMs = 60,
  extraEnv: Record<string, string> = {},
): Child => {
  const env = {
    DH_CHILD_ENDPOINT: ctx.t.endpoint,
    DH_CHILD_TABLE: ctx.t.tableName,
    DH_CHILD_SECRET: SIGNING_SECRET,
    DH_CHILD_LEASE_MS: String(LEASE_MS),
    DH_CHILD_MAX_ATTEMPTS: '10',
    DH_CHILD_PAUSE_MS: String(pauseMs),
    ...extraEnv,
  };
  const child: Child = { ...spawnLineChild(script, env, (line) => onLine(child, line)), name, killed: null };
  return child;
};

const kill = (c: Child, point: string): void => {
  if (c.killed !== null || c.proc.exitCode !== null) return;
  c.killed = point;
  c.proc.kill('SIGKILL');
};

const stateOf = async (store: Store, id: string) => (await statesOf(store, [id]))[0] ?? null;

const openIds = async (ctx: Ctx, ids: readonly string[]): Promise<string[]> => {
  const states = await statesOf(ctx.store, ids);
  return ids.filter((_, i) => states[i]?.status !== 'SUCCESS');
};

const send = (w: Child, r: DeliveryRequest): void => {
  w.proc.stdin?.write(`${JSON.stringify(r)}\n`);
};

/** A worker; SQS gives it every record the drains enqueued whose message is not delivered yet. */
const startWorker = async (
  ctx: Ctx,
  name: string,
  onLine: (c: Child, tag: string, id: string) => void,
  // after each claim and before each append: long enough for an aimed kill to land there
  pauseMs = 60,
) => {
  const w = spawnChild(
    ctx,
    name,
    'test/reliability/support/workerChild.ts',
    (c, line) => {
      const [tag = '', id = ''] = line.split(' ');
      if (tag !== 'C' && tag !== 'A') return false;
      onLine(c, tag, id);
      return true;
    },
    pauseMs,
  );
  ctx.worker = w;
  for (const id of await openIds(ctx, [...ctx.queued.keys()])) {
    const r = ctx.queued.get(id);
    if (r !== undefined) send(w, r);
  }
  return w;
};

/** A drainer; its enqueues go to the worker alive (or wait in `queued` for the next one). */
/**
 * `stopAt`: the enqueue (1-based) after which the drainer waits to be killed, so the kill aimed
 * at it lands between that enqueue and its release (the release is one write away: a race).
 */
const startDrainer = (
  ctx: Ctx,
  name: string,
  onEnqueue: (c: Child, r: DeliveryRequest, n: number) => void,
  stopAt = 0,
) => {
  let n = 0;
  const onLine = (c: Child, line: string) => {
    if (!line.startsWith('Q ')) return false;
    const r = JSON.parse(line.slice(2)) as DeliveryRequest;
    ctx.queued.set(r.messageId, r);
    ctx.enqueues += 1;
    ctx.lastEnqueued = r.messageId;
    n += 1;
    const w = ctx.worker;
    if (w !== null && w.proc.exitCode === null && w.killed === null) send(w, r);
    onEnqueue(c, r, n);
    return true;
  };
  const d = spawnChild(ctx, name, 'test/reliability/support/drainChild.ts', onLine, 0, {
    DH_CHILD_STOP_AT: String(stopAt),
  });
  ctx.drainer = d;
  return d;
};

Kill.before(async (ctx) => {
  ctx.t = await useTestTable('rel-killdrain');
  ctx.store = createStore({ doc: ctx.t.doc, tableName: ctx.t.tableName });
  ctx.rx = await startCountingReceiver();
  ctx.worker = null;
  ctx.drainer = null;
  ctx.queued = new Map();
  ctx.enqueues = 0;
  ctx.lastEnqueued = null;
});
Kill.after(async (ctx) => {
  await killChild(ctx.worker);
  await killChild(ctx.drainer);
  await ctx.rx.close();
  await ctx.t.drop();
});

const books = (ctx: Ctx, ids: readonly string[]) =>
  historyBooks(
    ctx.store,
    ids,
    (id) => ctx.rx.requests.get(id) ?? 0,
    (id, h, requests) => {
      const bad: string[] = [];
      if (h.state.status !== 'SUCCESS') bad.push(`${id}: ${h.state.status}, not delivered`);
      if (requests === 0) bad.push(`${id}: the receiver never got it`);
      const early = h.attempts.slice(0, -1).filter((a) => a.deliveryResult.category !== 'lost');
      if (early.length > 0) bad.push(`${id}: attempts ${early.map((a) => a.attemptNumber)} sent again, not lost`);
      const kinds = h.holds.map((x) => x.kind).join(',');
      if (kinds !== 'held,released') bad.push(`${id}: hold events ${kinds}`);
      return bad;
    },
  );

Kill(
  '40 held messages drained while the drainer and workers are SIGKILLed: each delivered, none twice',
  async (ctx) => {
    const started = performance.now();
    const endpoint = new URL(ctx.rx.url).host;
    const at = () => new Date().toISOString();
    // the endpoint was down: paused, its messages held (as the worker's gate holds them)
    const paused = breaker.pause(breaker.initial(endpoint, at()), 'receiver down', 'ops', at()).state;
    await must(ctx.store.writeBreaker(paused, 0));
    const ids = Array.from({ length: MESSAGES }, (_, k) => `kd-${process.pid}-${String(k).padStart(3, '0')}`);
    for (const id of ids) {
      await must(ctx.store.createMessage(requestTo(id, `${ctx.rx.url}/hook`, 10)));
      await must(
        ctx.store.appendHold({ messageId: id, kind: 'held', mode: 'paused', reason: 'receiver down', by: 'ops' }),
      );
    }
    // it is back: resumed; from here the drain releases the held messages at its rate
    await must(ctx.store.writeBreaker(breaker.resume(paused, 'receiver back', 'ops', at()).state, paused.version));
    const landed: string[] = [];
    const wait = (what: string, c: Child, probe: () => boolean | Promise<boolean>) =>
      reaches(probe, { what, progress: cpuOf(c.proc.pid), everyMs: 20, detail: () => c.lines.slice(-5).join(' | ') });

    // 1. the drainer dies after its 5th enqueue, before that message's release
    let window: string | null = null;
    let armed = false;
    let claimed: string | null = null;
    // 2. (armed after 1) this worker dies right after its next claim, before the request
    const w1 = await startWorker(
      ctx,
      'worker-1',
      (c, tag, id) => {
        if (armed && tag === 'C' && claimed === null) {
          claimed = id;
          kill(c, 'after a claim, before its request');
        }
      },
      300,
    );
    const d1 = startDrainer(
      ctx,
      'drainer-1',
      (c, r, n) => {
        if (n === 5) {
          window = r.messageId;
          kill(c, 'after an enqueue, before its release');
        }
      },
      5,
    );
    await wait('drainer-1 killed', d1, () => d1.killed !== null);
    await d1.exited;
    const w = window as string | null;
    if (w !== null && (await stateOf(ctx.store, w))?.status === 'HELD') landed.push('drainer: enqueued, not released');

    armed = true;
    const d2 = startDrainer(ctx, 'drainer-2', () => undefined);
    await wait('worker-1 killed', w1, () => w1.killed !== null);
    await w1.exited;
    const k = claimed as string | null;
    if (k !== null && (ctx.rx.requests.get(k) ?? 0) === 0) landed.push('worker: claimed, not sent');

    // 3. the next worker dies after a request, before its append; the drainer right after a release
    let afterRequest: string | null = null;
    const w2 = await startWorker(
      ctx,
      'worker-2',
      (c, tag, id) => {
        if (tag === 'A' && afterRequest === null && (ctx.rx.requests.get(id) ?? 0) > 0) {
          afterRequest = id;
          kill(c, 'after a request, before its append');
        }
      },
      300,
    );
    const from = ctx.enqueues;
    let released: string | null = null;
    await wait('a release by drainer-2', d2, async () => {
      const last = ctx.lastEnqueued;
      // nothing left to release: the aim is missed (and reported), not waited for forever
      const held = await ctx.store.countHeld(endpoint)();
      if (E.isRight(held) && held.right === 0) return true;
      if (ctx.enqueues === from || last === null) return false;
      const s = await stateOf(ctx.store, last);
      if (s === null || s.status === 'HELD') return false;
      released = last;
      return true;
    });
    kill(d2, 'after a release');
    await d2.exited;
    if (released !== null) landed.push('drainer: released');
    await wait('worker-2 killed', w2, () => w2.killed !== null);
    await w2.exited;
    if (afterRequest !== null) landed.push('worker: sent, not appended');
    const killPhaseMs = performance.now() - started;

    // 5. a last drainer and worker, never killed: until every message is delivered
    const d3 = startDrainer(ctx, 'drainer-3', () => undefined);
    const w3 = await startWorker(ctx, 'worker-3', () => undefined);
    let left = ids.length;
    const done = await reaches(
      async () => {
        left = (await openIds(ctx, ids)).length;
        return left === 0;
      },
      { what: 'every held message delivered', progress: cpuOf(process.pid), everyMs: 250 },
    );
    await killChild(d3);
    await killChild(w3);
    const held = await must(ctx.store.countHeld(endpoint));

    const b = await books(ctx, ids);
    const duplicates = ctx.enqueues - ids.length;
    printSummary({
      file: 'killDrain',
      operationsSent: MESSAGES,
      faultsInjected: landed.length,
      inputsTried: 0,
      lost: b.bad.filter((s) => s.includes('not delivered') || s.includes('no history')).length,
      doubleCounted: b.bad.filter((s) => s.includes('requests >') || s.includes('sent again')).length,
      accounting: accountingOfBooks(b),
      details: {
        'duration s': Math.round((performance.now() - started) / 100) / 10,
        'kill phase s': Math.round(killPhaseMs / 100) / 10,
        'kills landed': landed,
        're-enqueues': ctx.enqueues,
        'second copies enqueued': duplicates,
        'still held': held,
      },
    });
    assert.ok(done, `every message delivered (${left} not yet)`);
    assert.equal(b.bad.slice(0, 10), [], 'every message: delivered once per claim, dense, STATE == fold');
    assert.is(held, 0, 'none stranded HELD');
    assert.ok(b.requests <= b.attempts, 'requests received <= attempts recorded');
    assert.equal(
      landed,
      [
        'drainer: enqueued, not released',
        'worker: claimed, not sent',
        'drainer: released',
        'worker: sent, not appended',
      ],
      'every kill landed where it was aimed',
    );
    assert.ok(duplicates >= 1, 'the drainer killed before a release left a second copy to refuse');
    assert.ok(b.lost >= 2, 'the worker kills left lost attempts, recorded at takeover');
  },
);

Kill.run();
