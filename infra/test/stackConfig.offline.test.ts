// The stack's context settings: defaults, decoding of CLI strings, and the consistency
// rules between them (no synth here: pure).
import { MaxAttempts } from '@delivery-history/core/testing';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  decodeStackConfig,
  MESSAGE_MAX_ATTEMPTS_LIMIT,
  RECEIVE_HEADROOM,
  visibilityTimeoutFor,
} from '../src/stackConfig.js';
import type { StackConfig } from '../src/stackSettings.js';
import { esbuildOptions } from '../src/lambdaBundling.js';

const decoded = (raw: Record<string, unknown>): StackConfig => {
  const r = decodeStackConfig(raw);
  if (E.isLeft(r)) throw new Error(`expected a valid config, got: ${r.left.message}`);
  return r.right;
};

const rejected = (raw: Record<string, unknown>): string => {
  const r = decodeStackConfig(raw);
  if (E.isRight(r)) throw new Error(`expected ${JSON.stringify(raw)} to be rejected`);
  return r.left.message;
};

const Config = suite('stack config from context');

Config('defaults: stage dev, names from the table default, worker settings', () => {
  const c = decoded({});
  assert.is(c.stage, 'dev');
  assert.is(c.tableName, 'delivery-history-dev');
  assert.is(c.namePrefix, 'delivery-history-dev');
  assert.is(c.maxAttempts, 8);
  assert.is(c.maxReceiveCount, MESSAGE_MAX_ATTEMPTS_LIMIT + RECEIVE_HEADROOM);
  assert.is(c.customerManagedKey, false);
  assert.is(c.tracing, false);
  assert.is(c.lambdaRuntime, 'nodejs22.x');
});

Config('CLI strings decode to numbers and booleans; names follow the stage', () => {
  const c = decoded({ stage: 'prod', maxAttempts: '12', tracing: 'true', workerBatchSize: 5, tableName: 'dh-main' });
  assert.is(c.maxAttempts, 12);
  assert.is(c.tracing, true);
  assert.is(c.workerBatchSize, 5);
  assert.is(c.tableName, 'dh-main');
  assert.is(c.namePrefix, 'delivery-history-prod');
});

Config('bad values are rejected with the key and the value', () => {
  const m = rejected({ stage: 'Prod!', workerBatchSize: '11', tracing: 'yes' });
  assert.match(m, /\.stage: expected stage/);
  assert.match(m, /\.workerBatchSize: expected integer 1\.\.10, got "11"/);
  assert.match(m, /\.tracing: expected boolean/);
  assert.match(rejected({ logRetentionDays: 2 }), /logRetentionDays/);
  assert.match(rejected({ kmsKeyArn: 'not-an-arn' }), /kmsKeyArn/);
});

Config('the max-receive count must exceed the attempt limit (one receive per attempt)', () => {
  assert.match(
    rejected({ maxAttempts: 10, maxReceiveCount: 10 }),
    /maxReceiveCount \(10\) must exceed maxAttempts \(10\)/,
  );
  assert.is(decoded({ maxAttempts: 10, maxReceiveCount: 11 }).maxReceiveCount, 11);
});

Config('the default max-receive count covers the largest maxAttempts a request may ask for', () => {
  // core's MaxAttempts codec bounds a request's maxAttempts; SQS must not dead-letter first.
  assert.ok(MaxAttempts.is(MESSAGE_MAX_ATTEMPTS_LIMIT));
  assert.not.ok(MaxAttempts.is(MESSAGE_MAX_ATTEMPTS_LIMIT + 1));
  assert.ok(decoded({}).maxReceiveCount > MESSAGE_MAX_ATTEMPTS_LIMIT);
});

Config('the queue visibility timeout is 6x the worker timeout plus the batching window', () => {
  const c = decoded({ workerTimeoutSeconds: 45, workerMaxBatchingWindowSeconds: 2 });
  assert.is(c.queueVisibilityTimeoutSeconds, 6 * 45 + 2);
  assert.is(visibilityTimeoutFor(60, 0), 360);
});

Config('the worker timeout leaves room beyond one HTTP delivery', () => {
  assert.match(rejected({ deliveryTimeoutMs: 30_000, workerTimeoutSeconds: 30 }), /workerTimeoutSeconds/);
});

Config('nodejs22.x by default, nodejs24.x and nodejs20.x selectable, and the bundle target follows the runtime', () => {
  assert.is(decoded({}).lambdaRuntime, 'nodejs22.x');
  assert.is(decoded({ lambdaRuntime: 'nodejs20.x' }).lambdaRuntime, 'nodejs20.x');
  assert.is(decoded({ lambdaRuntime: 'nodejs24.x' }).lambdaRuntime, 'nodejs24.x');
  assert.match(rejected({ lambdaRuntime: 'nodejs18.x' }), /lambdaRuntime/);
  assert.is(esbuildOptions('in.ts', 'out.mjs').target, 'node22');
  assert.is(esbuildOptions('in.ts', 'out.mjs', 'nodejs20.x').target, 'node20');
  assert.is(esbuildOptions('in.ts', 'out.mjs', 'nodejs24.x').target, 'node24');
});

Config.run();
