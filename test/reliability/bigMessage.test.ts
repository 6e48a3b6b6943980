import { startTestPoller } from '@delivery-history/testkit/testPoller';
import { type AttemptItem, rebuildAuditTrail } from '@delivery-history/core';
import { DEFAULT_SEGMENT_BUDGET } from '@delivery-history/store';
import { makeProjectorDeps } from '@delivery-history/projector';
import { memoryTelemetry, readAuditTrail } from '@delivery-history/projector/testing';
import { tableKeys } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { writeItems } from '@delivery-history/testkit/writeItems';
import { bareAttempt } from '@delivery-history/testkit/itemBuilders';
import { printSummary } from './support/reliabilitySummary.js';

// A message with 20,000 attempts (far past any real limit, e.g. after many redrives) at the
// production segment budget: the trail spans several segments, none over budget, none lost,
// and no write is rejected. The attempts are bulk-loaded (BatchWrite) while the poller runs.

const COUNT = 20_000;
const ID = 'huge-1';

const attemptOf = (n: number): AttemptItem => {
  const last = n === COUNT;
  return bareAttempt(ID, n, new Date(Date.UTC(2025, 0, 1) + n * 1000).toISOString(), {
    success: last,
    retryEligible: !last,
    category: last ? 'success' : 'server_error',
    statusCode: last ? 200 : 503,
    responseTime: n % 997,
  });
};

type Ctx = { t: TestTable };
const Big = suite<Ctx>('a message with 20,000 attempts');

Big.before(async (ctx) => {
  ctx.t = await useTestTable('projector-big');
});
Big.after(async ({ t }) => {
  await t.drop();
});

const bulkLoad = async (t: TestTable, attempts: readonly AttemptItem[]): Promise<void> => {
  await writeItems(
    t.doc,
    t.tableName,
    attempts.map((a) => ({ pk: tableKeys.messagePk(ID), sk: tableKeys.attemptSk(a.attemptNumber), ...a })),
    12,
  );
};

Big('several segments, none over budget, none lost, no write rejected (production budget)', async ({ t }) => {
  const attempts = Array.from({ length: COUNT }, (_, i) => attemptOf(i + 1));
  const telemetry = memoryTelemetry();
  const poller = startTestPoller(t, { idleBackoffMs: 50, deps: { budget: DEFAULT_SEGMENT_BUDGET, telemetry } });
  try {
    await bulkLoad(t, attempts);
    await poller.caughtUp();
  } finally {
    await poller.stop();
  }
  const s = poller.stats;
  // attempts bulk-loaded out of order make some applies wait (MissingAttempts, retried);
  // none may be given up on, and no DynamoDB call may fail (a size rejection would)
  assert.is(s.skippedRecords, 0, 'no record given up on');
  assert.is(s.errors, 0);
  assert.is(s.appended, COUNT);
  const rejected = telemetry.entries.filter(
    (e) => e.level === 'error' || /DynamoFailure|EntryTooLarge/.test(String(e.attributes.tag)),
  );
  assert.equal(rejected, [], 'no error logged, no write failed');
  const trail = await readAuditTrail(makeProjectorDeps({ doc: t.doc, tableName: t.tableName }), ID)();
  if (E.isLeft(trail)) throw new Error(trail.left._tag);
  const { summary, segments, entries } = trail.right;
  const seen = new Set(entries.map((e) => e.n));
  printSummary({
    file: 'bigMessage',
    operationsSent: COUNT,
    faultsInjected: 0,
    inputsTried: 0,
    // an attempt without its audit entry; an entry that appears twice
    lost: attempts.filter((a) => !seen.has(a.attemptNumber)).length,
    doubleCounted: entries.length - seen.size,
    details: {
      'audit entries': entries.length,
      segments: segments.length,
      'largest segment bytes': Math.max(...segments.map((x) => x.bytes)),
      poller: s,
    },
  });
  assert.ok(segments.length >= 5, `${segments.length} segments`);
  assert.is(summary?.segments, segments.length);
  assert.is(summary?.through, COUNT);
  assert.is(summary?.entryCount, COUNT);
  for (const seg of segments) {
    const cap = seg.segment === 0 ? DEFAULT_SEGMENT_BUDGET.headBytes : DEFAULT_SEGMENT_BUDGET.segmentBytes;
    assert.ok(seg.bytes <= cap, `segment ${seg.segment} is ${seg.bytes} bytes (budget ${cap})`);
  }
  assert.equal(entries, rebuildAuditTrail(attempts, []), 'every entry, in order, exactly once');
});

Big.run();
