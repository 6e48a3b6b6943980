// Issue 15, "no throw between claim and append": processRecord's steps, each with a dependency
// that throws (synchronously, or as a rejected promise). Whatever throws, processRecord returns
// a decision; after a claim, the decision brings the record back right after the lease, when
// the next claim records the dead claim as `lost`, so the message never stays PROCESSING past
// its lease. Also: malformed user-info URLs and a 1 MiB nested body are poison before any claim.
import { setTimeout as sleep } from 'node:timers/promises';
import { makeRetryPolicy, memoryLogger, systemClock } from '@delivery-history/core';
import { memoryMetrics, type ProcessDeps, processRecord, type RecordDecision } from '@delivery-history/worker/testing';
import * as assert from 'uvu/assert';
import { run, sqsRecord, testHttp, uniqueId, workerSuite, type WorkerCtx } from './support/workerRig.js';

const LEASE_MS = 1_500;

const Steps = workerSuite('processRecord with a throwing dependency at each step', 'worker-throwing-steps', {
  leaseMs: LEASE_MS,
  retry: { maxRetries: 0 },
  retryPolicy: makeRetryPolicy({ maxAttempts: 5, baseMs: 10, maxMs: 20 }),
});

type StepName =
  | 'createAndClaim'
  | 'createAndClaim after it committed'
  | 'deliver'
  | 'appendAttempt'
  | 'clock after claim'
  | 'logger after claim';
const STEPS: ReadonlyArray<StepName> = [
  'createAndClaim',
  'createAndClaim after it committed',
  'deliver',
  'appendAttempt',
  'clock after claim',
  'logger after claim',
];

const boom = (how: 'throw' | 'reject', what: string): never | Promise<never> => {
  if (how === 'throw') throw new Error(`injected: ${what} threw`);
  return Promise.reject(new Error(`injected: ${what} rejected`));
};

/** Deps where `step` throws once (then behaves). */
const depsWith = (ctx: WorkerCtx, step: StepName, how: 'throw' | 'reject') => {
  let armed = true;
  let claimed = false;
  const fire = (name: StepName) => {
    if (armed && name === step) {
      armed = false;
      return true;
    }
    return false;
  };
  const http = testHttp();
  const logger = memoryLogger();
  const store: ProcessDeps['store'] = {
    policies: ctx.store.policies,
    // only an observed outcome's record creates first (none here)
    createMessage: (r) => ctx.store.createMessage(r),
    createAndClaim: (r, o) =>
      fire('createAndClaim')
        ? () => boom(how, 'createAndClaim')
        : async () => {
            const c = await ctx.store.createAndClaim(r, o)();
            // the claim is stored, the reply never reaches the worker: the record comes back,
            // finds the lease (Leased), then expired: the takeover records it as lost
            if (c._tag === 'Right' && fire('createAndClaim after it committed'))
              return boom(how, 'createAndClaim after commit');
            claimed = c._tag === 'Right';
            return c;
          },
    appendAttempt: (i) => (fire('appendAttempt') ? () => boom(how, 'appendAttempt') : ctx.store.appendAttempt(i)),
    appendObserved: (i) => ctx.store.appendObserved(i),
  };
  const deps: ProcessDeps = {
    store,
    http: { deliver: (r) => (fire('deliver') ? (boom(how, 'deliver') as Promise<never>) : http.deliver(r)) },
    clock: () => {
      if (claimed && fire('clock after claim')) boom('throw', 'clock');
      return systemClock();
    },
    logger: {
      ...logger,
      info: (m, ...a) => {
        if (claimed && fire('logger after claim')) boom('throw', 'logger');
        logger.info(m, ...a);
      },
    },
    metrics: memoryMetrics(),
    leaseMs: LEASE_MS,
  };
  return { deps, http, logger };
};

/** Plays SQS: run, wait what the decision asks (never beyond lease + margin after a claim), run again. */
const untilDone = async (deps: ProcessDeps, body: unknown): Promise<RecordDecision[]> => {
  const decisions: RecordDecision[] = [];
  for (let receive = 1; receive <= 8; receive++) {
    const d = await processRecord(deps)(sqsRecord(body, { receiveCount: receive }));
    decisions.push(d);
    if (d._tag === 'Done' || d._tag === 'Poison') return decisions;
    const wait = d._tag === 'RetryIn' ? d.delayMs : 200;
    assert.ok(wait <= LEASE_MS + 1_000, `${d._tag} waits ${wait} ms: longer than the lease + margin`);
    await sleep(wait);
  }
  return decisions;
};

for (const how of ['throw', 'reject'] as const) {
  for (const step of STEPS) {
    Steps(`${step} ${how}s: a decision, never PROCESSING past the lease, requests <= attempts`, async (ctx) => {
      const { deps, http } = depsWith(ctx, step, how);
      try {
        const messageId = uniqueId(`steps-${how}-${step.replace(/\W+/g, '-')}`);
        const path = `/ok?m=${messageId}`;
        const decisions = await untilDone(deps, { messageId, url: ctx.rx.url(path) });
        assert.is(decisions.at(-1)?._tag, 'Done', JSON.stringify(decisions));
        const h = await run(ctx.store.getHistory(messageId));
        assert.is(h.state.status, 'SUCCESS');
        assert.equal(
          h.attempts.map((a) => a.attemptNumber),
          h.attempts.map((_, i) => i + 1),
        );
        const requests = ctx.rx.requests.filter((r) => r.path.includes(messageId)).length;
        assert.ok(requests <= h.attempts.length, `${requests} requests, ${h.attempts.length} attempts`);
      } finally {
        await http.close();
      }
    });
  }
}

Steps(
  'malformed %-escapes in user-info and a 1 MiB nested body: poison on the first receive, nothing claimed',
  async (ctx) => {
    const { deps, http } = depsWith(ctx, 'createAndClaim', 'throw');
    try {
      // disarm: no step throws here
      await processRecord(deps)(sqsRecord('{"not":"a request"}'));
      const depth = 512 * 1024;
      const deep = `{"messageId":"deep-1","url":"http://127.0.0.1/","body":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      const bodies = [
        JSON.stringify({ messageId: uniqueId('esc-1'), url: 'http://a%zz:b@127.0.0.1/' }),
        JSON.stringify({ messageId: uniqueId('esc-2'), url: 'http://%C0%AF@127.0.0.1/' }),
        deep,
      ];
      for (const body of bodies) {
        const d = await processRecord(deps)(sqsRecord(body));
        assert.is(d._tag, 'Poison', d.reason);
        assert.ok(d.reason.length < 400 && !d.reason.includes('\n'), d.reason);
      }
      const stored = await ctx.store.getState('deep-1')();
      assert.is(stored._tag, 'Left', 'nothing created, nothing claimed');
    } finally {
      await http.close();
    }
  },
);

Steps.run();
