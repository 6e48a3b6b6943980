// The stack's settings, read once from CDK context (`-c key=value` or `new App({ context })`)
// and decoded with io-ts, so a typo fails the synth with the key and value instead of
// deploying a surprise. Every derived number (visibility timeout, max-receive count) is
// computed here, next to the rule it follows.
import { DEFAULT_TABLE_NAME } from '@delivery-history/store';
import {
  DecodeError,
  decodeWith,
  defaultRetryPolicy,
  isTableName,
  TableName,
  withDefault,
} from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import type { Construct } from 'constructs';
import type { ContextSettings, StackConfig } from './stackSettings.js';
import { DEFAULT_LAMBDA_RUNTIME, LAMBDA_RUNTIMES, type LambdaRuntimeName } from './lambdaRuntimes.js';

// ---------------------------------------------------------------------------
// context codecs: CLI context values arrive as strings, App({ context }) values as-is
// ---------------------------------------------------------------------------

const fromContext = <A>(name: string, parse: (u: unknown) => A | undefined): t.Type<A, A, unknown> =>
  new t.Type<A, A, unknown>(
    name,
    (u): u is A => parse(u) === u,
    (u, c) => {
      const a = parse(u);
      return a === undefined ? t.failure(u, c) : t.success(a);
    },
    t.identity,
  );

const intIn = (min: number, max: number): t.Type<number, number, unknown> =>
  fromContext(`integer ${min}..${max}`, (u) => {
    const n = typeof u === 'string' && /^-?\d+$/.test(u.trim()) ? Number(u) : u;
    return typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max ? n : undefined;
  });

const bool = fromContext('boolean (true|false)', (u) =>
  u === true || u === 'true' ? true : u === false || u === 'false' ? false : undefined,
);

const matching = (name: string, re: RegExp): t.Type<string, string, unknown> =>
  fromContext(name, (u) => (typeof u === 'string' && re.test(u) ? u : undefined));

const nullableString = (
  name: string,
  ok: RegExp | ((s: string) => boolean),
): t.Type<string | null, string | null, unknown> => {
  const test = typeof ok === 'function' ? ok : (s: string) => ok.test(s);
  return fromContext<string | null>(`${name} | null`, (u) =>
    u === null || u === '' ? null : typeof u === 'string' && test(u) ? u : undefined,
  );
};

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const retentionDays = fromContext(`one of ${LOG_RETENTION_DAYS.join('|')}`, (u) => {
  const n = typeof u === 'string' ? Number(u) : u;
  return (LOG_RETENTION_DAYS as readonly unknown[]).includes(n) ? (n as number) : undefined;
});

const STAGE = /^[a-z][a-z0-9-]{0,19}$/;
const NAME = /^[A-Za-z0-9_.-]{3,200}$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

// ---------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------

/**
 * The largest `maxAttempts` a single delivery request may ask for (core's `MaxAttempts`
 * codec is `1..100`; a test keeps the two equal).
 */
export const MESSAGE_MAX_ATTEMPTS_LIMIT = 100;

/**
 * Receives that may not produce an attempt: a duplicate SQS delivery that finds the
 * message not due or leased, a DynamoDB failure reported as a batch item failure.
 */
export const RECEIVE_HEADROOM = 10;

const ContextCodec = t.type(
  {
    stage: withDefault(matching('stage ([a-z][a-z0-9-]{0,19})', STAGE), 'dev'),
    /** Prefix of every physical name; defaults to `delivery-history-<stage>`. */
    namePrefix: withDefault(nullableString('name prefix', NAME), null),
    /**
     * Defaults to `delivery-history-<stage>` (the CLI's `DELIVERY_TABLE_NAME`); DynamoDB's
     * table-name rule, the one core's environment reader applies to that variable.
     */
    tableName: withDefault(nullableString(TableName.name, isTableName), null),
    /** Create a customer-managed KMS key for the table, queues (and their DLQs). */
    customerManagedKey: withDefault(bool, false),
    /** Use this existing customer-managed key instead (implies customer-managed encryption). */
    kmsKeyArn: withDefault(nullableString('KMS key ARN', KMS_KEY_ARN), null),
    /** Lambda runtime: Node 22 by default, nodejs24.x selectable (nodejs20.x is deprecated on AWS, still selectable). */
    lambdaRuntime: withDefault(
      fromContext<LambdaRuntimeName>(LAMBDA_RUNTIMES.join(' | '), (u) =>
        (LAMBDA_RUNTIMES as readonly unknown[]).includes(u) ? (u as LambdaRuntimeName) : undefined,
      ),
      DEFAULT_LAMBDA_RUNTIME,
    ),
    /** X-Ray active tracing on both functions. */
    tracing: withDefault(bool, false),
    logRetentionDays: withDefault(retentionDays, 30),
    /** Alarm actions go to this SNS topic when given (the stack creates none). */
    alarmTopicArn: withDefault(nullableString('SNS topic ARN', SNS_TOPIC_ARN), null),
    /**
     * Data retention (DELIVERY_RETENTION_DAYS for both functions): a final message's items
     * expire this many days after its last attempt; null (default) keeps them.
     */
    retentionDays: withDefault(t.union([intIn(1, 3650), t.null], 'integer 1..3650 (days) | null'), null),
    /**
     * The endpoint breaker (DELIVERY_BREAKER=on for the worker and the projector, issue 27): on
     * by default in a deployment, so `dh endpoints pause` and a dead receiver hold deliveries
     * instead of spending retries; `false` delivers every message as before the breaker.
     */
    breaker: withDefault(bool, true),
    /**
     * Operator events: `own` (a bus of this stack, default), `default` (the account's default
     * bus) or `off` (no bus, no rule, DELIVERY_EVENT_BUS_NAME unset).
     */
    eventBus: withDefault(
      fromContext<'own' | 'default' | 'off'>('own | default | off', (u) =>
        u === 'own' || u === 'default' || u === 'off' ? u : undefined,
      ),
      'own',
    ),
    // worker
    maxAttempts: withDefault(intIn(1, MESSAGE_MAX_ATTEMPTS_LIMIT), defaultRetryPolicy.maxAttempts),
    maxReceiveCount: withDefault(intIn(2, 1000), MESSAGE_MAX_ATTEMPTS_LIMIT + RECEIVE_HEADROOM),
    deliveryTimeoutMs: withDefault(intIn(100, 300_000), 15_000),
    workerTimeoutSeconds: withDefault(intIn(5, 900), 60),
    workerMemoryMb: withDefault(intIn(128, 10_240), 512),
    workerBatchSize: withDefault(intIn(1, 10), 10),
    workerMaxBatchingWindowSeconds: withDefault(intIn(0, 300), 1),
    workerMaxConcurrency: withDefault(intIn(2, 1000), 20),
    // projector
    projectorMemoryMb: withDefault(intIn(128, 10_240), 256),
    projectorTimeoutSeconds: withDefault(intIn(5, 900), 60),
    projectorBatchSize: withDefault(intIn(1, 1000), 100),
    projectorMaxBatchingWindowSeconds: withDefault(intIn(0, 300), 1),
    projectorRetryAttempts: withDefault(intIn(0, 10_000), 10),
    projectorMaxRecordAgeSeconds: withDefault(intIn(60, 604_800), 21_600),
    projectorParallelization: withDefault(intIn(1, 10), 2),
    // alarm thresholds
    iteratorAgeAlarmSeconds: withDefault(intIn(10, 86_400), 300),
    /**
     * Delivery queue: age of the oldest message SQS still counts (it leaves out a message received
     * three times or more, so retries deep in their backoff do not count). A healthy message is at
     * most a few backoff caps plus one Retry-After (15 min) old when it is counted; one hour of
     * age means nothing is receiving.
     */
    queueOldestMessageAlarmSeconds: withDefault(intIn(60, 1_209_600), 3_600),
    /** Delivery queue: messages visible (waiting to be received) for 15 minutes. */
    queueBacklogAlarmMessages: withDefault(intIn(1, 100_000_000), 1_000),
    transactionConflictAlarmPer5Min: withDefault(intIn(1, 1_000_000), 50),
  },
  'infra context',
);

// The codec decodes exactly the declared settings (stackSettings.ts), checked both ways here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const codecMatchesSettings: Same<t.TypeOf<typeof ContextCodec>, ContextSettings> = true;
void codecMatchesSettings;

export const CONTEXT_KEYS = Object.keys(ContextCodec.props) as readonly (keyof ContextSettings)[];

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

/**
 * AWS guidance for SQS event sources: the queue's visibility timeout is at least six
 * times the function timeout plus the batching window, so a batch that Lambda retries
 * after a throttle or a timeout is not handed to a second invocation meanwhile.
 */
export const visibilityTimeoutFor = (workerTimeoutSeconds: number, batchingWindowSeconds: number): number =>
  6 * workerTimeoutSeconds + batchingWindowSeconds;

const consistent = (s: ContextSettings): string | null => {
  if (s.maxReceiveCount <= s.maxAttempts)
    return `maxReceiveCount (${s.maxReceiveCount}) must exceed maxAttempts (${s.maxAttempts}): every attempt is one receive, so SQS would dead-letter a message the worker still means to retry`;
  if (s.workerTimeoutSeconds * 1000 < s.deliveryTimeoutMs + 5_000)
    return `workerTimeoutSeconds (${s.workerTimeoutSeconds}) must leave 5 s beyond deliveryTimeoutMs (${s.deliveryTimeoutMs}) to record the attempt`;
  return null;
};

/** Decode settings (already gathered from context) and derive the rest. */
export const decodeStackConfig = (raw: Record<string, unknown>): E.Either<DecodeError, StackConfig> =>
  E.chain((s: ContextSettings): E.Either<DecodeError, StackConfig> => {
    const problem = consistent(s);
    if (problem !== null) return E.left(DecodeError(`invalid infra context: ${problem}`, []));
    const fallback = `${DEFAULT_TABLE_NAME}-${s.stage}`;
    return E.right({
      ...s,
      namePrefix: s.namePrefix ?? fallback,
      tableName: s.tableName ?? fallback,
      queueVisibilityTimeoutSeconds: visibilityTimeoutFor(s.workerTimeoutSeconds, s.workerMaxBatchingWindowSeconds),
    });
  })(decodeWith(ContextCodec, raw));

/** The context values of every known key under `scope` (unknown keys are ignored). */
export const contextOf = (scope: Construct): Record<string, unknown> =>
  Object.fromEntries(CONTEXT_KEYS.map((k) => [k, scope.node.tryGetContext(k) as unknown]));

/** Read and decode the stack's context; `Left` carries a one-line message naming the bad key. */
export const readStackConfig = (scope: Construct): E.Either<DecodeError, StackConfig> =>
  decodeStackConfig(contextOf(scope));
