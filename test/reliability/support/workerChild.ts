import { setTimeout as sleep } from 'node:timers/promises';
import { makeRetryPolicy } from '@delivery-history/core';
// The worker as its own process, for the kill test: devkit's local worker (the same handler as
// on AWS) against the table, fed by the parent: one JSON delivery request per stdin line. The
// queue lives in this process and dies with it; the parent, which owns the books, re-sends every
// message not final yet to the next child (what SQS does with records never deleted).
// Each claim and each append is announced on stdout (`C <messageId>`, `A <messageId>`) and then
// held for DH_CHILD_PAUSE_MS, so a SIGKILL aimed at that line lands after the claim and before
// the request, or after the request and before the append.
import { createInterface } from 'node:readline';
import { createLocalWorker } from '@delivery-history/devkit';
import { createStore, makeStreamClients } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { localWorkerConfig } from './localWorkerConfig.js';

const endpoint = process.env.DH_CHILD_ENDPOINT ?? '';
const tableName = process.env.DH_CHILD_TABLE ?? '';
const pauseMs = Number(process.env.DH_CHILD_PAUSE_MS ?? '60');
const leaseMs = Number(process.env.DH_CHILD_LEASE_MS ?? '2000');
const maxAttempts = Number(process.env.DH_CHILD_MAX_ATTEMPTS ?? '10');
const secret = process.env.DH_CHILD_SECRET ?? '';

const clients = makeStreamClients({ endpoint });
const store = createStore({
  doc: clients.doc,
  tableName,
  retryPolicy: makeRetryPolicy({ maxAttempts, baseMs: 50, maxMs: 200 }),
  leaseMs,
});
const pause = () => sleep(pauseMs);
/** Runs `te`; when it succeeded, announces `tag <messageId>` and holds a moment. */
const announced =
  <L, A>(tag: string, messageId: (a: A) => string, te: TE.TaskEither<L, A>): TE.TaskEither<L, A> =>
  async () => {
    const r = await te();
    if (E.isRight(r)) {
      process.stdout.write(`${tag} ${messageId(r.right)}\n`);
      await pause();
    }
    return r;
  };

const worker = createLocalWorker({
  store: {
    policies: store.policies,
    createMessage: store.createMessage,
    appendObserved: store.appendObserved,
    createAndClaim: (request, options) =>
      announced('C', (c) => c.ticket.messageId, store.createAndClaim(request, options)),
    appendAttempt: (input) => async () => {
      process.stdout.write(`A ${input.claimed.ticket.messageId}\n`);
      await pause();
      return store.appendAttempt(input)();
    },
  },
  env: {},
  config: localWorkerConfig(secret, maxAttempts, leaseMs),
  visibilityTimeoutMs: 10_000,
  maxReceiveCount: 1_000,
  pollIntervalMs: 10,
});
worker.driver.start({ concurrency: 4, batchSize: 1 });

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() !== '') worker.driver.send(JSON.parse(line));
});
process.on('SIGTERM', () => {
  void worker.close().then(() => {
    clients.destroy();
    process.exit(0);
  });
});
process.stdout.write('READY\n');
// bounded even if nobody stops it
setTimeout(() => process.exit(2), 300_000).unref();
