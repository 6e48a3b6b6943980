import { type AuditEntry, rebuildAuditTrail, size } from '@delivery-history/core';
import { auditTrailOf } from '@delivery-history/projector/testing';
import { DEFAULT_SEGMENT_BUDGET, planAppend, rebuildAuditSegments } from '@delivery-history/store';
import { segmentBudget } from '@delivery-history/store/testing';
import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { attempt, attempts, redrive } from './support/projectorFixtures.js';
import { memoryTrail } from './support/memoryTrail.js';

const NOW = '2025-01-03T00:00:00.000Z';
const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`);
  return e.right;
};

const Plan = suite('planAppend');

Plan('a new trail that fits the head: one step creating the head', () => {
  const entries = rebuildAuditTrail(attempts('m', 3), []);
  const steps = right(planAppend({ messageId: 'm', head: null, entries, budget: DEFAULT_SEGMENT_BUDGET, now: NOW }));
  assert.is(steps.length, 1);
  const [s] = steps;
  assert.is(s?.expect, null);
  assert.equal(s?.headEntries, entries);
  assert.equal(s?.newSegments, []);
  assert.is(s?.summary.through, 3);
  assert.is(s?.summary.segments, 1);
  assert.is(s?.summary.entryCount, 3);
});

Plan('rolls to new segments before a segment would exceed its budget', () => {
  const budget = segmentBudget({ headBytes: 1024, segmentBytes: 2048 });
  const entries = rebuildAuditTrail(attempts('m', 60), []);
  const steps = right(planAppend({ messageId: 'm', head: null, entries, budget, now: NOW }));
  const t = memoryTrail('m');
  for (const s of steps) t.apply(s);
  assert.ok(t.items.size > 3, `several segments (${t.items.size})`);
  for (const [n, item] of t.items) {
    assert.ok(size.item(item) <= (n === 0 ? 1024 : 2048), `segment ${n} is ${size.item(item)} bytes`);
  }
  assert.equal(t.entries(), entries);
  assert.is(t.head()?.segments, t.items.size);
});

Plan('steps are cut at the step limits; each expects the previous one', () => {
  const budget = segmentBudget(2048);
  const entries = rebuildAuditTrail(attempts('m', 200), []);
  const steps = right(
    planAppend({
      messageId: 'm',
      head: null,
      entries,
      budget,
      now: NOW,
      limits: { maxStepBytes: 4096, maxNewSegments: 1 },
    }),
  );
  assert.ok(steps.length > 5);
  assert.is(steps[0]?.expect, null);
  for (let i = 1; i < steps.length; i++) {
    assert.equal(steps[i]?.expect, {
      through: steps[i - 1]?.summary.through,
      redrives: steps[i - 1]?.summary.redrives,
      holds: steps[i - 1]?.summary.holds,
      requeues: steps[i - 1]?.summary.requeues,
    });
    assert.ok((steps[i]?.newSegments.length ?? 0) <= 1);
  }
  const t = memoryTrail('m');
  for (const s of steps) t.apply(s);
  assert.equal(t.entries(), entries);
});

Plan('appends after an existing head: expects its high-water mark, counts redrives', () => {
  const first = rebuildAuditTrail(attempts('m', 2, 'final'), []);
  const t = memoryTrail('m');
  for (const s of right(
    planAppend({ messageId: 'm', head: null, entries: first, budget: DEFAULT_SEGMENT_BUDGET, now: NOW }),
  ))
    t.apply(s);
  const more = rebuildAuditTrail([attempt('m', 3, 'success')], [redrive('m', 1, 2, 5)]);
  const steps = right(
    planAppend({ messageId: 'm', head: t.head(), entries: more, budget: DEFAULT_SEGMENT_BUDGET, now: NOW }),
  );
  assert.equal(steps[0]?.expect, { through: 2, redrives: 0, holds: 0, requeues: 0 });
  for (const s of steps) t.apply(s);
  assert.is(t.head()?.through, 3);
  assert.is(t.head()?.redrives, 1);
  assert.equal(
    t.entries().map((e) => ('kind' in e ? `r${e.n}` : `a${e.n}`)),
    ['a1', 'a2', 'r2', 'a3'],
  );
});

Plan('an entry that cannot fit an empty segment is EntryTooLarge, not a silent drop', () => {
  const huge = { ...redrive('m', 1, 0, 5), reason: 'x'.repeat(5000) };
  const r = planAppend({
    messageId: 'm',
    head: null,
    entries: rebuildAuditTrail([], [huge]),
    budget: segmentBudget(2048),
    now: NOW,
  });
  assert.ok(E.isLeft(r) && r.left._tag === 'EntryTooLarge');
});

Plan('property: applying in any chunking equals rebuildAuditSegments at once', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 150 }),
      fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 10 }),
      fc.integer({ min: 1024, max: 4096 }),
      (count, chunks, bytes) => {
        const all = attempts('msg-p', count, 'final');
        const budget = segmentBudget({ headBytes: 1024, segmentBytes: bytes });
        const t = memoryTrail('msg-p');
        let i = 0;
        for (let c = 0; i < all.length; c++) {
          const size = chunks[c % chunks.length] ?? 1;
          const entries = rebuildAuditTrail(all.slice(i, i + size), []);
          i += size;
          for (const s of right(planAppend({ messageId: 'msg-p', head: t.head(), entries, budget, now: NOW })))
            t.apply(s);
        }
        const once = right(rebuildAuditSegments('msg-p', all, [], budget, { now: NOW }));
        assert.is(once.length, t.items.size);
        once.forEach((seg, n) => {
          const got = t.items.get(n);
          assert.equal(got?.entries, seg.entries, `segment ${n} entries`);
          if (n === 0) assert.is(got?.tailBytes, (seg as unknown as { tailBytes: number }).tailBytes);
        });
        assert.equal(t.entries(), rebuildAuditTrail(all, []));
      },
    ),
    { numRuns: 60 },
  );
});

Plan.run();

const Rebuild = suite('rebuildAuditSegments and auditTrailOf');

Rebuild('no events: no segments', () => {
  assert.equal(right(rebuildAuditSegments('m', [], [])), []);
});

Rebuild('round trip: segments decode back to rebuildAuditTrail, head summary right', () => {
  const as = attempts('m', 40, 'final');
  const rs = [redrive('m', 1, 40, 50)];
  const segs = right(rebuildAuditSegments('m', as, rs, 1024));
  const trail = right(auditTrailOf('m', [...segs].reverse()));
  assert.equal(trail.entries, rebuildAuditTrail(as, rs));
  assert.is(trail.summary?.segments, segs.length);
  assert.is(trail.summary?.through, 40);
  assert.is(trail.summary?.redrives, 1);
  assert.is(trail.summary?.entryCount, 41);
  assert.ok(trail.segments.every((s) => s.bytes <= 1024));
  assert.is(trail.summary?.updatedAt, rs[0]?.at, 'updatedAt defaults to the newest entry');
});

Rebuild('ignores non-audit items and stale segments past the summary', () => {
  const segs = right(rebuildAuditSegments('m', attempts('m', 3), []));
  const stale = {
    pk: 'MSG#m',
    sk: 'AUDIT#0007',
    type: 'AUDIT',
    messageId: 'm',
    segment: 7,
    entries: [] as AuditEntry[],
  };
  const trail = right(auditTrailOf('m', [{ pk: 'MSG#m', sk: 'STATE' }, ...segs, stale]));
  assert.is(trail.entries.length, 3);
  assert.equal(trail.stale, [7]);
});

Rebuild('a segment that does not decode is CorruptItem', () => {
  const r = auditTrailOf('m', [{ pk: 'MSG#m', sk: 'AUDIT#0000', segment: 0, entries: 'nope' }]);
  assert.ok(E.isLeft(r) && r.left._tag === 'CorruptItem' && r.left.sk === 'AUDIT#0000');
});

Rebuild('budgets: out of range is a programmer error; head defaults to min(16 KiB, segment)', () => {
  assert.throws(() => segmentBudget(500 * 1024));
  assert.throws(() => segmentBudget(10));
  assert.equal(segmentBudget(4096), { headBytes: 4096, segmentBytes: 4096 });
  assert.equal(segmentBudget(), { headBytes: 16 * 1024, segmentBytes: 64 * 1024 });
});

Rebuild.run();
