// Replay, re-drive and the parallel scan with in-memory fakes: the decisions, not DynamoDB.
import { setTimeout as sleep } from 'node:timers/promises';
import { type AttemptItem, fold, rebuildAuditTrail, seedOf, type StateItem } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { forEachParallel, listSource, type Page } from '../src/kit/table/forEachParallel.js';
import { type RedriveDeps, redrive } from '../src/redrive/redrive.js';
import { type ReplayDeps, replayProjections } from '../src/replay/replayProjections.js';
import type { RepairOutcome } from '../src/replay/repairOutcome.js';
import type { RawItem, TableReader } from '../src/kit/table/tableReader.js';
import { attempt, seedState } from './support/cliItems.js';

// ---------------------------------------------------------------------------
// a tiny in-memory table
// ---------------------------------------------------------------------------

type Msg = { state: StateItem; attempts: AttemptItem[] };

const folded = (id: string, attempts: AttemptItem[]): StateItem => {
  const r = fold(seedOf(seedState(id)), attempts, []);
  if (E.isLeft(r)) throw new Error('fixture');
  return r.right;
};

const partition = (msgs: Map<string, Msg>, id: string): RawItem[] => {
  const m = msgs.get(id);
  if (m === undefined) return [];
  const trail = rebuildAuditTrail(m.attempts, []);
  const head = { pk: `MSG#${id}`, sk: 'AUDIT#0000', type: 'AUDIT', messageId: id, segment: 0, entries: trail };
  return [
    { ...m.state, pk: `MSG#${id}`, sk: 'STATE' },
    ...m.attempts.map((a) => ({ ...a, sk: `ATTEMPT#${a.attemptNumber}` })),
    head,
  ];
};

/** A list page (listSource never fails: its Left is `never`). */
const pageOf = async <A>(read: Promise<E.Either<never, Page<A>>>): Promise<Page<A>> => {
  const r = await read;
  return E.isRight(r) ? r.right : r.left;
};

// scanned items are a snapshot taken when the page is read; the one at index 1 of each page
// is handed out as cut by the page boundary (items: null, read whole by the caller)
const memoryTable = (msgs: Map<string, Msg>): TableReader => ({
  scanMessages: (segment, total, cursor) => async () => {
    const ids = [...msgs.keys()].filter((_, i) => i % total === segment);
    const page = await pageOf(listSource(ids, 2)(0, 1, cursor));
    return E.right({
      items: page.items.map((messageId, i) => ({ messageId, items: i === 1 ? null : partition(msgs, messageId) })),
      cursor: page.cursor,
    });
  },
  readPartition: (id) => TE.right(partition(msgs, id)),
  countMessages: () => TE.right(msgs.size),
});

const trailOf: ReplayDeps['trailOf'] = (_id, items) => {
  const head = items.find((i) => i.sk === 'AUDIT#0000') as { entries: never[] } | undefined;
  return E.right(head === undefined ? null : { entries: head.entries });
};

const setup = () => {
  const msgs = new Map<string, Msg>();
  for (const id of ['a', 'b', 'c', 'd', 'e']) {
    const attempts = [attempt(1, 'retry', id), attempt(2, 'success', id)];
    msgs.set(id, { state: folded(id, attempts), attempts });
  }
  return msgs;
};

const deps = (msgs: Map<string, Msg>, repair: ReplayDeps['repairProjection']): ReplayDeps => ({
  reader: memoryTable(msgs),
  trailOf,
  repairProjection: repair,
  repairTrail: async () => ({ _tag: 'Repaired' }),
  sleep: async () => {},
});

const Replay = suite('replayProjections decisions');

Replay('clean table: nothing to report, nothing written', async () => {
  const msgs = setup();
  let writes = 0;
  const count: ReplayDeps['repairProjection'] = async () => {
    writes += 1;
    return { _tag: 'Repaired' };
  };
  const r = await replayProjections(deps(msgs, count), { dryRun: false, segments: 3 })();
  assert.ok(E.isRight(r) && r.right.scanned === 5 && r.right.drifted === 0);
  assert.is(writes, 0);
});

Replay('dry run reports, writes nothing; repair writes the fold', async () => {
  const msgs = setup();
  const b = msgs.get('b') as Msg;
  msgs.set('b', { ...b, state: { ...b.state, status: 'FAILED' } });
  const written: StateItem[] = [];
  const repair: ReplayDeps['repairProjection'] = async (id, expected) => {
    written.push(expected);
    msgs.set(id, { ...(msgs.get(id) as Msg), state: expected });
    return { _tag: 'Repaired' };
  };
  const dry = await replayProjections(deps(msgs, repair), { dryRun: true, segments: 2 })();
  assert.ok(E.isRight(dry));
  if (E.isRight(dry)) {
    assert.equal(
      dry.right.drift.map((d) => [d.messageId, d.fields.map((f) => f.field), d.action]),
      [['b', ['status'], 'would-repair']],
    );
  }
  assert.is(written.length, 0);
  const fix = await replayProjections(deps(msgs, repair), { dryRun: false, segments: 2 })();
  assert.ok(E.isRight(fix) && fix.right.actions.repaired === 1);
  assert.is(written[0]?.status, 'SUCCESS');
});

Replay('leased -> skipped in flight; a failing write -> failed; endless conflicts -> busy', async () => {
  for (const [outcome, action] of [
    [{ _tag: 'Leased', expiresAt: '2025-01-01T00:10:00.000Z' }, 'skipped-in-flight'],
    [{ _tag: 'Failed', message: 'boom' }, 'failed'],
    [{ _tag: 'Conflict' }, 'busy'],
  ] as Array<[RepairOutcome, string]>) {
    const msgs = setup();
    const c = msgs.get('c') as Msg;
    msgs.set('c', { ...c, state: { ...c.state, redrives: 2 } });
    let calls = 0;
    const r = await replayProjections(
      deps(msgs, async () => {
        calls++;
        return outcome;
      }),
      { dryRun: false, segments: 1, messageIds: ['c'], maxRounds: 3 },
    )();
    assert.ok(E.isRight(r));
    if (E.isRight(r)) assert.is(r.right.drift[0]?.action, action);
    assert.is(calls, action === 'busy' ? 3 : 1);
  }
});

Replay('a message asked for by id that does not exist is not-found', async () => {
  const r = await replayProjections(
    deps(setup(), async () => ({ _tag: 'Repaired' })),
    { dryRun: true, segments: 1, messageIds: ['zz'] },
  )();
  assert.ok(E.isRight(r) && r.right.actions['not-found'] === 1 && r.right.drifted === 0);
});

const Scan = suite('forEachParallel');

Scan('every item exactly once, across segments and pages, bounded concurrency', async () => {
  const items = Array.from({ length: 103 }, (_, i) => i);
  const seen: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  await forEachParallel(
    listSource(items, 10),
    async (n) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await sleep(1);
      seen.push(n);
      inFlight--;
      return E.right(undefined);
    },
    { segments: 3, concurrency: 2 },
  );
  assert.equal(
    [...seen].sort((a, b) => a - b),
    items,
  );
  assert.ok(maxInFlight <= 6, `max in flight ${maxInFlight}`);
});

Scan('a failure is the answer: the first failed page or item stops every segment (no exception crosses)', async () => {
  const pagesRead: string[] = [];
  const failingPage = await forEachParallel(
    async (segment: number, _total: number, cursor: string | null) => {
      pagesRead.push(`${segment}:${cursor}`);
      return cursor === '2' && segment === 0
        ? E.left('page 2 unreadable')
        : E.right({ items: [1, 2, 3], cursor: String(Number(cursor ?? 0) + 1) });
    },
    async () => E.right(undefined),
    { segments: 2, concurrency: 1, pageBudget: 1 },
  );
  assert.equal(failingPage, E.left('page 2 unreadable'));
  // the other segment stopped within a page or two of the failure, not at the end of time
  assert.ok(pagesRead.length < 10, `pages read after the failure: ${pagesRead.join(' ')}`);
  const worked: number[] = [];
  const failingItem = await forEachParallel(
    listSource(
      Array.from({ length: 50 }, (_, i) => i),
      5,
    ),
    async (n) => {
      worked.push(n);
      return n === 7 ? E.left(`item ${n} failed`) : E.right(undefined);
    },
    { segments: 1, concurrency: 1 },
  );
  assert.equal(failingItem, E.left('item 7 failed'));
  assert.equal(worked, [0, 1, 2, 3, 4, 5, 6, 7]);
});

const Redrive = suite('redrive decisions');

const finalFailed = (id: string): StateItem => folded(id, [attempt(1, 'final', id)]);

const redriveDeps = (
  states: Record<string, StateItem>,
  sent: string[],
  sendFails = false,
): RedriveDeps & { events: string[] } => {
  const events: string[] = [];
  return {
    events,
    select: async (cursor) => listSource(Object.keys(states).concat(['ghost']), 2)(0, 1, cursor),
    getState: async (id) => E.right(states[id] ?? null),
    appendRedrive: async (input) => {
      events.push(`${input.messageId}:${input.requestedBy}:${input.reason}:${input.maxAttempts}`);
      return E.right({ redriveNumber: 1, afterAttempt: 1, maxAttempts: input.maxAttempts });
    },
    queue: {
      send: async (req) => {
        if (sendFails) return E.left('queue down');
        sent.push(req.messageId);
        return E.right(undefined);
      },
      flush: async () => E.right('flushed'),
    },
  };
};

Redrive('only final FAILED messages are re-driven; the event carries who, why and the new limit', async () => {
  const states = {
    f1: finalFailed('f1'),
    ok: folded('ok', [attempt(1, 'success', 'ok')]),
    retrying: folded('retrying', [attempt(1, 'retry', 'retrying')]),
  };
  const sent: string[] = [];
  const d = redriveDeps(states, sent);
  const r = await redrive(d, { dryRun: false, reason: 'fixed', requestedBy: 'bob', extraAttempts: 2 })();
  assert.ok(E.isRight(r));
  if (E.isLeft(r)) return;
  assert.equal(
    r.right.messages.map((m) => [m.messageId, m.action]),
    [
      ['f1', 'redriven'],
      ['ok', 'skipped'],
      ['retrying', 'skipped'],
      ['ghost', 'not-found'],
    ],
  );
  assert.equal(d.events, ['f1:bob:fixed:3']);
  assert.equal(sent, ['f1']);
  assert.is(r.right.delivery, 'flushed');
});

Redrive('dry run writes and sends nothing; a failed send is reported; a reopened message is only re-sent', async () => {
  const sent: string[] = [];
  const dry = redriveDeps({ f1: finalFailed('f1') }, sent);
  const r1 = await redrive(dry, { dryRun: true, reason: 'x', requestedBy: 'y', extraAttempts: 1 })();
  assert.ok(E.isRight(r1) && r1.right.messages[0]?.action === 'would-redrive');
  assert.equal([dry.events, sent], [[], []]);

  const down = redriveDeps({ f1: finalFailed('f1') }, sent, true);
  const r2 = await redrive(down, { dryRun: false, reason: 'x', requestedBy: 'y', extraAttempts: 1 })();
  assert.ok(E.isRight(r2) && r2.right.messages[0]?.action === 'failed');
  if (E.isRight(r2)) assert.match(r2.right.messages[0]?.detail ?? '', /run the same command again/);

  const reopened = {
    ...finalFailed('f1'),
    status: 'PENDING' as const,
    retryEligible: true,
    redrives: 1,
    maxAttempts: 2,
  };
  const again = redriveDeps({ f1: reopened }, sent);
  const r3 = await redrive(again, { dryRun: false, reason: 'x', requestedBy: 'y', extraAttempts: 1 })();
  assert.ok(E.isRight(r3) && r3.right.messages[0]?.action === 'requeued');
  assert.equal([again.events, sent], [[], ['f1']]);
});

Redrive('--limit stops after that many; --endpoint skips others', async () => {
  const states = { f1: finalFailed('f1'), f2: finalFailed('f2'), f3: finalFailed('f3') };
  const sent: string[] = [];
  const r = await redrive(redriveDeps(states, sent), {
    dryRun: false,
    reason: 'x',
    requestedBy: 'y',
    extraAttempts: 1,
    limit: 2,
  })();
  assert.ok(E.isRight(r) && r.right.actions.redriven === 2);
  const other = await redrive(redriveDeps(states, []), {
    dryRun: true,
    reason: 'x',
    requestedBy: 'y',
    extraAttempts: 1,
    endpoint: 'elsewhere:1',
  })();
  assert.ok(E.isRight(other) && other.right.actions.skipped === 3);
});

Replay.run();
Scan.run();
Redrive.run();
