import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AuditEntry, decodeWith, rebuildAuditTrail, isEntry } from '../src/index.js';
import { attempt, historyArb, redrive } from '@delivery-history/testkit/itemBuilders';

const Audit = suite('rebuildAuditTrail');

Audit('compact entries in replay order', () => {
  const a1 = attempt(1, 'retry');
  const a2 = attempt(2, 'final');
  const a3 = attempt(3, 'success', { superseded: true });
  const a4 = attempt(4, 'success');
  const r1 = redrive(1, 3, 6);
  const trail = rebuildAuditTrail([a4, a2, a3, a1], [r1]);
  assert.equal(trail, [
    {
      n: 1,
      at: a1.completedAt,
      status: 'FAILED',
      statusCode: 503,
      category: 'server_error',
      responseTime: 12,
      retry: 'retry',
      nextAttemptAt: a1.nextAttemptAt,
    },
    {
      n: 2,
      at: a2.completedAt,
      status: 'FAILED',
      statusCode: 404,
      category: 'client_error',
      responseTime: 12,
      retry: 'final',
      nextAttemptAt: null,
    },
    {
      n: 3,
      at: a3.completedAt,
      status: 'SUCCESS',
      statusCode: 200,
      category: 'success',
      responseTime: 12,
      retry: 'superseded',
      nextAttemptAt: null,
    },
    { n: 3, at: r1.at, kind: 'redrive', by: 'ops@example.com', reason: 'fixed endpoint 1' },
    {
      n: 4,
      at: a4.completedAt,
      status: 'SUCCESS',
      statusCode: 200,
      category: 'success',
      responseTime: 12,
      retry: 'final',
      nextAttemptAt: null,
    },
  ]);
});

Audit('property: one entry per event, each decodes, attempt numbers ascend', () => {
  fc.assert(
    fc.property(historyArb, (h) => {
      const trail = rebuildAuditTrail([...h.attempts].reverse(), h.redrives);
      assert.is(trail.length, h.attempts.length + h.redrives.length);
      for (const e of trail) assert.ok(E.isRight(decodeWith(AuditEntry, e)));
      const numbers = trail.filter((e) => !isEntry(e, 'redrive')).map((e) => e.n);
      assert.equal(
        numbers,
        h.attempts.map((a) => a.attemptNumber),
      );
      assert.equal(rebuildAuditTrail(h.attempts, h.redrives), trail);
    }),
  );
});

const holdItem = (holdNumber: number, kind: 'held' | 'released', afterAttempt: number, afterRedrive: number) => ({
  type: 'HOLD' as const,
  messageId: 'm-1',
  holdNumber,
  kind,
  afterAttempt,
  afterRedrive,
  mode: 'paused',
  reason: 'INC-1',
  by: 'ops',
  at: '2025-01-01T00:10:00.000Z',
});

const requeueItem = (
  requeueNumber: number | undefined,
  afterAttempt: number,
  afterRedrive: number,
  afterHold: number,
) => ({
  type: 'REQUEUE' as const,
  messageId: 'm-1',
  requestedBy: 'support',
  reason: `push ${requeueNumber ?? 'legacy'}`,
  at: '2025-01-01T00:20:00.000Z',
  status: 'FAILED' as const,
  waitingSince: '2025-01-01T00:00:00.000Z',
  ...(requeueNumber === undefined ? {} : { requeueNumber, afterAttempt, afterRedrive, afterHold }),
});

Audit('holds and requeues: each right after the last event written before it; legacy requeues left out', () => {
  const a1 = attempt(1, 'final');
  const a2 = attempt(2, 'success');
  const r1 = redrive(1, 1, 3);
  const holds = [holdItem(1, 'held', 1, 1), holdItem(2, 'released', 1, 1)];
  const requeues = [
    requeueItem(3, 1, 1, 2), // after the release, before attempt 2
    requeueItem(1, 1, 0, 0), // after attempt 1, before the re-drive
    requeueItem(undefined, 0, 0, 0), // recorded before requeues were numbered
    requeueItem(2, 1, 1, 1), // while held
  ];
  const trail = rebuildAuditTrail([a2, a1], [r1], [...holds].reverse(), requeues);
  assert.equal(
    trail.map((e) =>
      'kind' in e
        ? e.kind === 'hold'
          ? `hold ${e.hold} ${e.event}`
          : e.kind === 'requeue'
            ? `requeue ${e.requeue}`
            : e.kind
        : `attempt ${e.n}`,
    ),
    ['attempt 1', 'requeue 1', 'redrive', 'hold 1 held', 'requeue 2', 'hold 2 released', 'requeue 3', 'attempt 2'],
  );
  for (const e of trail) assert.ok(E.isRight(decodeWith(AuditEntry, e)));
});

Audit.run();
