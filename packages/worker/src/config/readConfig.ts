import { DEFAULT_TABLE_NAME } from '@delivery-history/store';
import {
  type DecodeError,
  decodeWith,
  defaultRetryPolicy,
  type SecretPolicy,
  withDefault,
} from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import { type SigningKeys, parseSigningSecrets } from '../http/standardWebhooks.js';
import { type AllowList, EMPTY_ALLOW_LIST, parseAllowList } from '../ssrf/allowList.js';
import { readSecretPolicy } from './secretSettings.js';

// ---------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------

/** Everything the worker reads from the environment, decoded once at cold start. */
export type WorkerConfig = {
  readonly tableName: string;
  readonly region: string | null;
  readonly dynamoEndpoint: string | null;
  readonly sqsEndpoint: string | null;
  readonly queueUrl: string | null;
  readonly allowTargets: AllowList;
  readonly maxAttempts: number;
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly responseTimeoutMs: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  readonly responseBodyCapBytes: number;
  readonly snippetBytes: number;
  readonly signingKeys: SigningKeys | null;
  /** How long a claim protects an attempt: the whole HTTP exchange plus time to record it. */
  readonly leaseMs: number;
  /** DELIVERY_REDACT_* and DELIVERY_KEEP_RESPONSE_HEADERS (secretSettings.ts). */
  readonly secrets: SecretPolicy;
};

export const SNIPPET_BYTES = 4096;
const TWELVE_HOURS_MS = 12 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------
// codecs for environment strings
// ---------------------------------------------------------------------------

const intFromString = (min: number, max: number, unit: string): t.Type<number, string, unknown> =>
  new t.Type<number, string, unknown>(
    `integer ${min}..${max}${unit === '' ? '' : ` (${unit})`}`,
    (u): u is number => typeof u === 'number',
    (u, c) => {
      if (typeof u !== 'string' || !/^\d+$/.test(u.trim())) return t.failure(u, c);
      const n = Number(u.trim());
      return n >= min && n <= max ? t.success(n) : t.failure(u, c);
    },
    String,
  );

const urlString = new t.Type<string, string, unknown>(
  'http(s) URL',
  (u): u is string => typeof u === 'string',
  (u, c) => (typeof u === 'string' && /^https?:\/\//.test(u) && URL.canParse(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

const fromParser = <A>(name: string, parse: (s: string) => E.Either<string, A>): t.Type<A, string, unknown> =>
  new t.Type<A, string, unknown>(
    name,
    (_u): _u is A => false,
    (u, c) => {
      if (typeof u !== 'string') return t.failure(u, c);
      const r = parse(u);
      return E.isRight(r) ? t.success(r.right) : t.failure(u, c, `${name} (${r.left})`);
    },
    () => '',
  );

const nonEmpty = new t.Type<string, string, unknown>(
  'non-empty string',
  (u): u is string => typeof u === 'string' && u !== '',
  (u, c) => (typeof u === 'string' && u.trim() !== '' ? t.success(u.trim()) : t.failure(u, c)),
  t.identity,
);

/** Absent -> null; present -> decoded by `codec` (errors name only `codec`). */
const optional = <A>(codec: t.Type<A, string, unknown>): t.Type<A | null, string, unknown> =>
  new t.Type<A | null, string, unknown>(
    codec.name,
    (u): u is A | null => u === null || codec.is(u),
    (u, c) => (u === undefined ? t.success(null) : codec.validate(u, c)),
    (a) => (a === null ? '' : codec.encode(a)),
  );

const Env = t.type(
  {
    DELIVERY_TABLE_NAME: withDefault(nonEmpty, DEFAULT_TABLE_NAME),
    AWS_REGION: optional(nonEmpty),
    AWS_ENDPOINT_URL_DYNAMODB: optional(urlString),
    AWS_ENDPOINT_URL_SQS: optional(urlString),
    DELIVERY_QUEUE_URL: optional(urlString),
    DELIVERY_ALLOW_TARGETS: withDefault(
      fromParser('IP, CIDR, host name or *.suffix list', parseAllowList),
      EMPTY_ALLOW_LIST,
    ),
    DELIVERY_MAX_ATTEMPTS: withDefault(intFromString(1, 100, ''), defaultRetryPolicy.maxAttempts),
    DELIVERY_TIMEOUT_MS: withDefault(intFromString(100, 900_000, 'ms'), 15_000),
    DELIVERY_CONNECT_TIMEOUT_MS: optional(intFromString(50, 900_000, 'ms')),
    DELIVERY_RESPONSE_TIMEOUT_MS: optional(intFromString(50, 900_000, 'ms')),
    DELIVERY_BACKOFF_BASE_MS: withDefault(intFromString(0, TWELVE_HOURS_MS, 'ms'), defaultRetryPolicy.baseMs),
    DELIVERY_BACKOFF_MAX_MS: withDefault(intFromString(0, TWELVE_HOURS_MS, 'ms'), defaultRetryPolicy.maxMs),
    DELIVERY_RESPONSE_BODY_CAP_BYTES: withDefault(intFromString(0, 10 * 1024 * 1024, 'bytes'), 64 * 1024),
    DELIVERY_SIGNING_SECRET: optional(fromParser('whsec_<base64> secret(s)', parseSigningSecrets)),
  },
  'worker environment',
);

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

/** Unset and empty variables are the same thing (deploy tools often write ''). */
const present = (env: Readonly<Record<string, string | undefined>>): Record<string, string> =>
  Object.fromEntries(Object.entries(env).filter((kv): kv is [string, string] => kv[1] !== undefined && kv[1] !== ''));

/**
 * Decodes the environment. Derived values: connect and response timeouts never exceed
 * the total; the stored snippet is min(4 KiB, read cap); the lease outlives the total
 * timeout by a minute so the attempt can be recorded before anyone may take over.
 */
export const readConfig = (env: Readonly<Record<string, string | undefined>>): E.Either<DecodeError, WorkerConfig> =>
  pipe(
    decodeWith(Env, present(env)),
    E.map((e) => ({
      tableName: e.DELIVERY_TABLE_NAME,
      region: e.AWS_REGION,
      dynamoEndpoint: e.AWS_ENDPOINT_URL_DYNAMODB,
      sqsEndpoint: e.AWS_ENDPOINT_URL_SQS,
      queueUrl: e.DELIVERY_QUEUE_URL,
      allowTargets: e.DELIVERY_ALLOW_TARGETS,
      maxAttempts: e.DELIVERY_MAX_ATTEMPTS,
      timeoutMs: e.DELIVERY_TIMEOUT_MS,
      connectTimeoutMs: Math.min(e.DELIVERY_CONNECT_TIMEOUT_MS ?? 5_000, e.DELIVERY_TIMEOUT_MS),
      responseTimeoutMs: Math.min(e.DELIVERY_RESPONSE_TIMEOUT_MS ?? e.DELIVERY_TIMEOUT_MS, e.DELIVERY_TIMEOUT_MS),
      backoffBaseMs: e.DELIVERY_BACKOFF_BASE_MS,
      backoffMaxMs: Math.max(e.DELIVERY_BACKOFF_MAX_MS, e.DELIVERY_BACKOFF_BASE_MS),
      responseBodyCapBytes: e.DELIVERY_RESPONSE_BODY_CAP_BYTES,
      snippetBytes: Math.min(SNIPPET_BYTES, e.DELIVERY_RESPONSE_BODY_CAP_BYTES),
      signingKeys: e.DELIVERY_SIGNING_SECRET,
      leaseMs: e.DELIVERY_TIMEOUT_MS + 60_000,
    })),
    E.chain((config) => E.map((secrets: SecretPolicy) => ({ ...config, secrets }))(readSecretPolicy(env))),
  );

/** Cold start: a bad environment stops the function with one clear line. */
export const loadConfig = (env: Readonly<Record<string, string | undefined>> = process.env): WorkerConfig =>
  pipe(
    readConfig(env),
    E.getOrElse<DecodeError, WorkerConfig>((e) => {
      throw new Error(`worker configuration: ${e.message}`);
    }),
  );
