import {
  type BreakerSettings,
  type EnvOf,
  type EnvSource,
  intString,
  optionalVar,
  parsedString,
  readEnv,
  sharedVars,
  withDefault,
  breaker,
} from '@delivery-history/core';
import { DEFAULT_TABLE_NAME, tableKeys } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { DEFAULT_CONCURRENCY, DEFAULT_DRIFT_CHECK_MAX_ATTEMPTS, DEFAULT_DRIFT_CHECK_RATE } from './apply/deps.js';
import {
  DEFAULT_SEGMENT_BUDGET,
  MAX_SEGMENT_BYTES,
  MIN_SEGMENT_BYTES,
  type SegmentBudget,
  segmentBudget,
} from '@delivery-history/store';

// ---------------------------------------------------------------------------
// Configuration, read once at cold start through core's reader, with the same
// variables (and rules) as the worker.
// ---------------------------------------------------------------------------

export type ProjectorConfig = {
  readonly tableName: string;
  readonly region: string | undefined;
  readonly endpoint: string | undefined;
  readonly streamsEndpoint: string | undefined;
  readonly budget: SegmentBudget;
  readonly driftCheckMaxAttempts: number;
  /** Share of applies that run the drift check, [0, 1]. */
  readonly driftCheckRate: number;
  readonly concurrency: number;
  /** DELIVERY_RETENTION_DAYS: audit segments of a final message inherit its TTL; null = kept. */
  readonly retentionDays: number | null;
  /** DELIVERY_EVENT_BUS_NAME: operator events go to this EventBridge bus; null = events off. */
  readonly eventBusName: string | null;
  /** DELIVERY_HEALTH_SHARDS: shards of one endpoint's health buckets (see README, "Endpoint health"). */
  readonly healthShards: number;
  /** DELIVERY_BREAKER=on: decide endpoint breakers after each batch (core's default settings); null = off. */
  readonly breaker: BreakerSettings | null;
};

export type ConfigError = { readonly _tag: 'ConfigError'; readonly message: string };

const segmentBytes = intString(MIN_SEGMENT_BYTES, MAX_SEGMENT_BYTES, 'bytes');

const parsePercent = (s: string): E.Either<string, number> =>
  /^\d+(\.\d+)?$/.test(s) && Number(s) <= 100 ? E.right(Number(s) / 100) : E.left('a number 0..100');

/** A percentage `0..100` (decimals allowed), read as a rate in [0, 1]. */
const percentRate = parsedString('percent 0..100', parsePercent);

/** The projector's variables (the local poller adds its own to these). */
export const PROJECTOR_ENV = {
  DELIVERY_TABLE_NAME: withDefault(sharedVars.DELIVERY_TABLE_NAME, DEFAULT_TABLE_NAME),
  AWS_REGION: optionalVar(sharedVars.AWS_REGION),
  AWS_ENDPOINT_URL_DYNAMODB: optionalVar(sharedVars.AWS_ENDPOINT_URL_DYNAMODB),
  AWS_ENDPOINT_URL_DYNAMODB_STREAMS: optionalVar(sharedVars.AWS_ENDPOINT_URL_DYNAMODB_STREAMS),
  DELIVERY_AUDIT_SEGMENT_BYTES: withDefault(segmentBytes, DEFAULT_SEGMENT_BUDGET.segmentBytes),
  DELIVERY_AUDIT_HEAD_BYTES: optionalVar(segmentBytes),
  DELIVERY_PROJECTOR_DRIFT_CHECK_MAX_ATTEMPTS: withDefault(intString(0, 1_000_000), DEFAULT_DRIFT_CHECK_MAX_ATTEMPTS),
  DELIVERY_PROJECTOR_DRIFT_CHECK_PERCENT: optionalVar(percentRate),
  DELIVERY_PROJECTOR_CONCURRENCY: withDefault(intString(1, 64), DEFAULT_CONCURRENCY),
  DELIVERY_RETENTION_DAYS: optionalVar(sharedVars.DELIVERY_RETENTION_DAYS),
  DELIVERY_EVENT_BUS_NAME: optionalVar(sharedVars.DELIVERY_EVENT_BUS_NAME),
  DELIVERY_HEALTH_SHARDS: withDefault(intString(1, 64), tableKeys.DEFAULT_HEALTH_SHARDS),
  DELIVERY_BREAKER: withDefault(sharedVars.DELIVERY_BREAKER, false),
};

export const toConfigError = (e: { readonly message: string }): ConfigError => ({
  _tag: 'ConfigError',
  message: e.message,
});

/** The configuration a decoded environment implies (the head budget defaults within the segment's). */
export const projectorConfigOf = (v: EnvOf<typeof PROJECTOR_ENV>): ProjectorConfig => ({
  tableName: v.DELIVERY_TABLE_NAME,
  region: v.AWS_REGION,
  endpoint: v.AWS_ENDPOINT_URL_DYNAMODB,
  streamsEndpoint: v.AWS_ENDPOINT_URL_DYNAMODB_STREAMS,
  // the store's rule for the head's default (min(16 KiB, the segment cap)); both are in range here
  budget: segmentBudget({
    segmentBytes: v.DELIVERY_AUDIT_SEGMENT_BYTES,
    ...(v.DELIVERY_AUDIT_HEAD_BYTES === undefined ? {} : { headBytes: v.DELIVERY_AUDIT_HEAD_BYTES }),
  }),
  driftCheckMaxAttempts: v.DELIVERY_PROJECTOR_DRIFT_CHECK_MAX_ATTEMPTS,
  driftCheckRate: v.DELIVERY_PROJECTOR_DRIFT_CHECK_PERCENT ?? DEFAULT_DRIFT_CHECK_RATE,
  concurrency: v.DELIVERY_PROJECTOR_CONCURRENCY,
  retentionDays: v.DELIVERY_RETENTION_DAYS ?? null,
  eventBusName: v.DELIVERY_EVENT_BUS_NAME ?? null,
  healthShards: v.DELIVERY_HEALTH_SHARDS,
  breaker: v.DELIVERY_BREAKER ? breaker.DEFAULT_SETTINGS : null,
});

const readProjectorEnv = readEnv('projector environment', PROJECTOR_ENV);

/** Decodes the environment; every bad value is named in one message. */
export const readConfig = (env: EnvSource): E.Either<ConfigError, ProjectorConfig> =>
  pipe(readProjectorEnv(env), E.bimap(toConfigError, projectorConfigOf));
