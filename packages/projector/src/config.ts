import { decodeWith, intRange } from '@delivery-history/core';
import { DEFAULT_TABLE_NAME } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import { DEFAULT_DRIFT_CHECK_MAX_ATTEMPTS } from './apply/deps.js';
import {
  DEFAULT_HEAD_BYTES,
  DEFAULT_SEGMENT_BYTES,
  MAX_SEGMENT_BYTES,
  MIN_SEGMENT_BYTES,
  type SegmentBudget,
} from './segments/segmentBudget.js';

// ---------------------------------------------------------------------------
// Configuration, read once at cold start from the same variables as the worker.
// ---------------------------------------------------------------------------

export type ProjectorConfig = {
  readonly tableName: string;
  readonly region: string | undefined;
  readonly endpoint: string | undefined;
  readonly streamsEndpoint: string | undefined;
  readonly budget: SegmentBudget;
  readonly driftCheckMaxAttempts: number;
  readonly concurrency: number;
};

export type ConfigError = { readonly _tag: 'ConfigError'; readonly message: string };

/** An optional integer variable in [min, max] (empty = absent). */
export const intVar = (min: number, max: number) =>
  new t.Type<number | undefined, unknown, unknown>(
    `integer ${min}..${max}`,
    (u): u is number | undefined => u === undefined || typeof u === 'number',
    (u, c) => {
      if (u === undefined || u === '') return t.success(undefined);
      const n = typeof u === 'string' && /^\d+$/.test(u.trim()) ? Number(u) : Number.NaN;
      return intRange(min, max).is(n) ? t.success(n) : t.failure(u, c);
    },
    (a) => a,
  );

const optionalString = t.union([t.string, t.undefined]);

const Env = t.type(
  {
    DELIVERY_TABLE_NAME: optionalString,
    AWS_REGION: optionalString,
    AWS_ENDPOINT_URL_DYNAMODB: optionalString,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: optionalString,
    DELIVERY_AUDIT_SEGMENT_BYTES: intVar(MIN_SEGMENT_BYTES, MAX_SEGMENT_BYTES),
    DELIVERY_AUDIT_HEAD_BYTES: intVar(MIN_SEGMENT_BYTES, MAX_SEGMENT_BYTES),
    DELIVERY_PROJECTOR_DRIFT_CHECK_MAX_ATTEMPTS: intVar(0, 1_000_000),
    DELIVERY_PROJECTOR_CONCURRENCY: intVar(1, 64),
  },
  'projector environment',
);

const nonEmpty = (s: string | undefined): string | undefined =>
  s === undefined || s.trim() === '' ? undefined : s.trim();

/** Decodes the environment; every bad value is named in one message. */
export const readConfig = (env: Readonly<Record<string, string | undefined>>): E.Either<ConfigError, ProjectorConfig> =>
  pipe(
    decodeWith(Env, env),
    E.mapLeft((e): ConfigError => ({ _tag: 'ConfigError', message: e.message })),
    E.map((v) => {
      const segmentBytes = v.DELIVERY_AUDIT_SEGMENT_BYTES ?? DEFAULT_SEGMENT_BYTES;
      return {
        tableName: nonEmpty(v.DELIVERY_TABLE_NAME) ?? DEFAULT_TABLE_NAME,
        region: nonEmpty(v.AWS_REGION),
        endpoint: nonEmpty(v.AWS_ENDPOINT_URL_DYNAMODB),
        streamsEndpoint: nonEmpty(v.AWS_ENDPOINT_URL_DYNAMODB_STREAMS),
        budget: {
          segmentBytes,
          headBytes: v.DELIVERY_AUDIT_HEAD_BYTES ?? Math.min(DEFAULT_HEAD_BYTES, segmentBytes),
        },
        driftCheckMaxAttempts: v.DELIVERY_PROJECTOR_DRIFT_CHECK_MAX_ATTEMPTS ?? DEFAULT_DRIFT_CHECK_MAX_ATTEMPTS,
        concurrency: v.DELIVERY_PROJECTOR_CONCURRENCY ?? 4,
      };
    }),
  );
