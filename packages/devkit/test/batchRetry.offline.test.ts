import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import { memoryLogger } from '@delivery-history/core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { FailedMessage, ProjectionReport } from '@delivery-history/projector';
import { Corrupt } from '@delivery-history/store/testing';
import { Contention, StoreFailure } from '@delivery-history/projector/testing';
import { type BatchRetryDeps, projectWithRetry } from '../src/poller/batchRetry.js';

// A fake clock moved only by the fake sleep: retries are deterministic and instant.

type Ctx = { now: number; slept: number[]; calls: string[][] };
const Retry = suite<Ctx>('batchRetry: bounded retries of retryable failed messages');

Retry.before.each((ctx) => {
  ctx.now = 0;
  ctx.slept = [];
  ctx.calls = [];
});

const records = (...seqs: string[]): _Record[] => seqs.map((s) => ({ dynamodb: { SequenceNumber: s } }));

const report = (n: number, failed: FailedMessage[] = [], malformed: (string | null)[] = []): ProjectionReport => ({
  records: n,
  ignored: 0,
  malformed: malformed.map((sequenceNumber) => ({ sequenceNumber, reason: 'bad' })),
  messages: [],
  failed,
  failedSequenceNumbers: [],
  events: { published: 0, failed: 0 },
  breakers: { transitions: [], warnings: [], failed: 0 },
});

const contended = (messageId: string, ...sequenceNumbers: string[]): FailedMessage => ({
  messageId,
  sequenceNumbers,
  error: Contention(messageId, 8),
});

const deps = (ctx: Ctx, project: BatchRetryDeps['project'], extra: Partial<BatchRetryDeps> = {}): BatchRetryDeps => ({
  project: async (rs) => {
    ctx.calls.push(rs.map((r) => r.dynamodb?.SequenceNumber ?? '?'));
    return project(rs);
  },
  clock: () => new Date(ctx.now),
  sleep: async (ms) => {
    ctx.slept.push(ms);
    ctx.now += ms;
  },
  random: () => 1,
  backoff: { baseMs: 100, maxMs: 1000 },
  retryForMs: 10_000,
  isStopped: () => false,
  logger: memoryLogger(),
  ...extra,
});

Retry('a clean batch is projected once, nothing skipped, no sleep', async (ctx) => {
  const r = await projectWithRetry(deps(ctx, async () => report(2)))(records('1', '2'));
  assert.equal(r.skipped, []);
  assert.equal(ctx.calls, [['1', '2']]);
  assert.equal(ctx.slept, []);
});

Retry('only the failed messages’ records are retried, with core backoff, until they pass', async (ctx) => {
  let failures = 3;
  const project = async (rs: readonly _Record[]) =>
    failures-- > 0 ? report(rs.length, [contended('m-2', '2', '3')]) : report(rs.length);
  const r = await projectWithRetry(deps(ctx, project))(records('1', '2', '3'));
  assert.equal(r.skipped, []);
  assert.equal(ctx.calls, [
    ['1', '2', '3'],
    ['2', '3'],
    ['2', '3'],
    ['2', '3'],
  ]);
  assert.equal(ctx.slept, [100, 200, 400], 'capped exponential (random 1: the cap itself)');
  assert.equal(r.report.records, 3, 'the first report is returned');
});

Retry('delays are jittered by the injected random and capped at maxMs', async (ctx) => {
  let failures = 6;
  const project = async (rs: readonly _Record[]) =>
    failures-- > 0 ? report(rs.length, [contended('m', '1')]) : report(rs.length);
  await projectWithRetry(deps(ctx, project, { random: () => 0.5 }))(records('1'));
  assert.equal(ctx.slept, [50, 100, 200, 400, 500, 500]);
});

Retry('gives up when the injected clock passes retryForMs; the pending records are skipped', async (ctx) => {
  const project = async (rs: readonly _Record[]) => report(rs.length, [contended('m-1', '1')]);
  const log = memoryLogger();
  const r = await projectWithRetry(deps(ctx, project, { retryForMs: 5000, logger: log }))(records('1', '2'));
  assert.equal(r.skipped, ['1']);
  assert.ok(ctx.now >= 5000 && ctx.now < 6000, `gave up at ${ctx.now}`);
  // 100+200+400+800+1000+1000+1000+1000 = 5500: 8 retries
  assert.is(ctx.calls.length, 9);
});

Retry('a warning every ten retries', async (ctx) => {
  const project = async (rs: readonly _Record[]) => report(rs.length, [contended('m-1', '1')]);
  const log = memoryLogger();
  await projectWithRetry(deps(ctx, project, { retryForMs: 25_000, logger: log }))(records('1'));
  const warnings = log.entries.filter((e) => e.message === 'stream records still failing; retrying');
  assert.equal(
    warnings.map((w) => w.attributes.retries),
    [10, 20],
  );
});

Retry('non-retryable failures and malformed records are skipped without retry', async (ctx) => {
  const corrupt: FailedMessage = {
    messageId: 'm-3',
    sequenceNumbers: ['3'],
    error: StoreFailure('m-3', Corrupt({ op: 'test', messageId: 'm-3', item: 'STATE' }, 'x')),
  };
  const r = await projectWithRetry(deps(ctx, async () => report(4, [corrupt], ['4', null])))(
    records('1', '2', '3', '4'),
  );
  assert.equal(r.skipped, ['3', '4']);
  assert.is(ctx.calls.length, 1);
});

Retry('a message that turns non-retryable on a retry is skipped; a stopped poller stops retrying', async (ctx) => {
  let n = 0;
  const project = async (rs: readonly _Record[]): Promise<ProjectionReport> => {
    n += 1;
    if (n === 1) return report(rs.length, [contended('a', '1'), contended('b', '2')]);
    return report(rs.length, [
      contended('a', '1'),
      {
        messageId: 'b',
        sequenceNumbers: ['2'],
        error: StoreFailure('b', Corrupt({ op: 'test', messageId: 'b', item: 'STATE' }, 'x')),
      },
    ]);
  };
  let stopped = false;
  const d = deps(ctx, project, {
    isStopped: () => stopped,
    sleep: async (ms) => {
      ctx.slept.push(ms);
      stopped = true;
    },
  });
  const r = await projectWithRetry(d)(records('1', '2'));
  assert.equal(r.skipped, ['2', '1']);
  assert.is(ctx.calls.length, 2, 'stopped after the one retry in flight');
});

Retry.run();
