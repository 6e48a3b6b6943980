import { DEFAULT_DRAIN_RATE, DEFAULT_MAX_HELD_MS, DEFAULT_TABLE_NAME } from '@delivery-history/store';
import {
  checkCredentialPlacements,
  DecodeError,
  type EndpointCredentials,
  EndpointUrl,
  parseEndpointCredentials,
  defaultRetryPolicy,
  EMPTY_ALLOW_LIST,
  type EnvSource,
  type AllowList,
  intString,
  parseSigningSecrets,
  type SigningKeys,
  OnOff,
  optionalVar,
  parsedString,
  readEnv,
  type SecretPolicy,
  sharedVars,
  withDefault,
} from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { readSecretPolicy } from './secretSettings.js';

const HOUR_MS = 3_600_000;

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
  /** DELIVERY_RETENTION_DAYS: a final message's items expire this many days after its last attempt; null = kept. */
  readonly retentionDays: number | null;
  /** DELIVERY_REDACT_* and DELIVERY_KEEP_RESPONSE_HEADERS (secretSettings.ts). */
  readonly secrets: SecretPolicy;
  /** DELIVERY_BREAKER=on: hold deliveries for an open, paused or disabled endpoint (issue 27). */
  readonly breaker: boolean;
  /** DELIVERY_BREAKER_STALE_MS: how old the container's cached breaker state may get (default 5 s). */
  readonly breakerStaleMs: number;
  /** DELIVERY_SEAL_KEY_ID: the KMS key that seals request credentials; null = credentials are dropped. */
  readonly sealKeyId: string | null;
  /** AWS_ENDPOINT_URL_KMS (tests, local stand-ins). */
  readonly kmsEndpoint: string | null;
  /** DELIVERY_RECEIVER_CONTROL=on: a response header `webhook-delivery: disable` pauses the endpoint (off by default). */
  readonly receiverControl: boolean;
  /** DELIVERY_SUCCESS_SNIPPET=on: keep a success's bounded, scrubbed body snippet on its attempt (off by default). */
  readonly successSnippet: boolean;
  /** DELIVERY_DRAIN_RATE: the drain re-enqueues at most this many held messages a second per endpoint (default 10). */
  readonly drainRatePerSecond: number;
  /** DELIVERY_MAX_HELD_HOURS: a message held longer is made final `held_expired` (default 168, 7 days). */
  readonly maxHeldMs: number;
  /** DELIVERY_ENDPOINT_CREDENTIALS: per-endpoint credentials applied at send time (none by default). */
  readonly endpointCredentials: EndpointCredentials;
  /** DELIVERY_ENDPOINT_CREDENTIALS_TTL_MS: how old a cached endpoint credential may get (default 5 min). */
  readonly credentialsTtlMs: number;
  /** AWS_ENDPOINT_URL_SECRETS_MANAGER (tests, local stand-ins). */
  readonly secretsManagerEndpoint: string | null;
};

/** A KMS key id, key ARN, alias name or alias ARN (KMS's own forms). */
const KMS_KEY =
  /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]+|alias\/[A-Za-z0-9/_-]+|mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

const parseKmsKey = (s: string): E.Either<string, string> =>
  KMS_KEY.test(s.trim()) ? E.right(s.trim()) : E.left('not a KMS key id, key ARN, alias/name or alias ARN');

export const SNIPPET_BYTES = 4096;

// ---------------------------------------------------------------------------
// the worker's variables: shared rules from core, the worker's own defaults
// ---------------------------------------------------------------------------

const timeoutMs = intString(50, 900_000, 'ms');

export const WORKER_ENV = {
  DELIVERY_TABLE_NAME: withDefault(sharedVars.DELIVERY_TABLE_NAME, DEFAULT_TABLE_NAME),
  AWS_REGION: optionalVar(sharedVars.AWS_REGION),
  AWS_ENDPOINT_URL_DYNAMODB: optionalVar(sharedVars.AWS_ENDPOINT_URL_DYNAMODB),
  AWS_ENDPOINT_URL_SQS: optionalVar(sharedVars.AWS_ENDPOINT_URL_SQS),
  DELIVERY_QUEUE_URL: optionalVar(sharedVars.DELIVERY_QUEUE_URL),
  DELIVERY_ALLOW_TARGETS: withDefault(sharedVars.DELIVERY_ALLOW_TARGETS, EMPTY_ALLOW_LIST),
  DELIVERY_MAX_ATTEMPTS: withDefault(sharedVars.DELIVERY_MAX_ATTEMPTS, defaultRetryPolicy.maxAttempts),
  DELIVERY_RETENTION_DAYS: optionalVar(sharedVars.DELIVERY_RETENTION_DAYS),
  DELIVERY_TIMEOUT_MS: withDefault(sharedVars.DELIVERY_TIMEOUT_MS, 15_000),
  DELIVERY_CONNECT_TIMEOUT_MS: optionalVar(timeoutMs),
  DELIVERY_RESPONSE_TIMEOUT_MS: optionalVar(timeoutMs),
  DELIVERY_BACKOFF_BASE_MS: withDefault(sharedVars.DELIVERY_BACKOFF_BASE_MS, defaultRetryPolicy.baseMs),
  DELIVERY_BACKOFF_MAX_MS: withDefault(sharedVars.DELIVERY_BACKOFF_MAX_MS, defaultRetryPolicy.maxMs),
  DELIVERY_RESPONSE_BODY_CAP_BYTES: withDefault(intString(0, 10 * 1024 * 1024, 'bytes'), 64 * 1024),
  DELIVERY_SIGNING_SECRET: optionalVar(parsedString('whsec_<base64> secret(s)', parseSigningSecrets)),
  DELIVERY_BREAKER: withDefault(sharedVars.DELIVERY_BREAKER, false),
  DELIVERY_BREAKER_STALE_MS: withDefault(intString(0, 300_000, 'ms'), 5_000),
  DELIVERY_SEAL_KEY_ID: optionalVar(parsedString('KMS key id, ARN or alias', parseKmsKey)),
  AWS_ENDPOINT_URL_KMS: optionalVar(EndpointUrl),
  DELIVERY_RECEIVER_CONTROL: withDefault(OnOff, false),
  DELIVERY_SUCCESS_SNIPPET: withDefault(OnOff, false),
  DELIVERY_DRAIN_RATE: withDefault(intString(1, 1000, 'per second'), DEFAULT_DRAIN_RATE),
  DELIVERY_MAX_HELD_HOURS: withDefault(intString(1, 8760, 'hours'), DEFAULT_MAX_HELD_MS / HOUR_MS),
  DELIVERY_ENDPOINT_CREDENTIALS: optionalVar(
    parsedString('JSON {"host[:port]": {secret, header[, prefix] | query}}', parseEndpointCredentials),
  ),
  DELIVERY_ENDPOINT_CREDENTIALS_TTL_MS: withDefault(intString(1_000, 3_600_000, 'ms'), 300_000),
  AWS_ENDPOINT_URL_SECRETS_MANAGER: optionalVar(EndpointUrl),
};

const readWorkerEnv = readEnv('worker environment', WORKER_ENV);

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

/**
 * Decodes the environment. Derived values: connect and response timeouts never exceed
 * the total; the stored snippet is min(4 KiB, read cap); the lease outlives the total
 * timeout by a minute so the attempt can be recorded before anyone may take over.
 */
export const readConfig = (env: EnvSource): E.Either<DecodeError, WorkerConfig> =>
  pipe(
    readWorkerEnv(env),
    E.map((e) => ({
      tableName: e.DELIVERY_TABLE_NAME,
      region: e.AWS_REGION ?? null,
      dynamoEndpoint: e.AWS_ENDPOINT_URL_DYNAMODB ?? null,
      sqsEndpoint: e.AWS_ENDPOINT_URL_SQS ?? null,
      queueUrl: e.DELIVERY_QUEUE_URL ?? null,
      allowTargets: e.DELIVERY_ALLOW_TARGETS,
      maxAttempts: e.DELIVERY_MAX_ATTEMPTS,
      timeoutMs: e.DELIVERY_TIMEOUT_MS,
      connectTimeoutMs: Math.min(e.DELIVERY_CONNECT_TIMEOUT_MS ?? 5_000, e.DELIVERY_TIMEOUT_MS),
      responseTimeoutMs: Math.min(e.DELIVERY_RESPONSE_TIMEOUT_MS ?? e.DELIVERY_TIMEOUT_MS, e.DELIVERY_TIMEOUT_MS),
      backoffBaseMs: e.DELIVERY_BACKOFF_BASE_MS,
      backoffMaxMs: Math.max(e.DELIVERY_BACKOFF_MAX_MS, e.DELIVERY_BACKOFF_BASE_MS),
      responseBodyCapBytes: e.DELIVERY_RESPONSE_BODY_CAP_BYTES,
      snippetBytes: Math.min(SNIPPET_BYTES, e.DELIVERY_RESPONSE_BODY_CAP_BYTES),
      signingKeys: e.DELIVERY_SIGNING_SECRET ?? null,
      leaseMs: e.DELIVERY_TIMEOUT_MS + 60_000,
      retentionDays: e.DELIVERY_RETENTION_DAYS ?? null,
      breaker: e.DELIVERY_BREAKER,
      breakerStaleMs: e.DELIVERY_BREAKER_STALE_MS,
      sealKeyId: e.DELIVERY_SEAL_KEY_ID ?? null,
      kmsEndpoint: e.AWS_ENDPOINT_URL_KMS ?? null,
      receiverControl: e.DELIVERY_RECEIVER_CONTROL,
      successSnippet: e.DELIVERY_SUCCESS_SNIPPET,
      drainRatePerSecond: e.DELIVERY_DRAIN_RATE,
      maxHeldMs: e.DELIVERY_MAX_HELD_HOURS * HOUR_MS,
      endpointCredentials: e.DELIVERY_ENDPOINT_CREDENTIALS ?? new Map(),
      credentialsTtlMs: e.DELIVERY_ENDPOINT_CREDENTIALS_TTL_MS,
      secretsManagerEndpoint: e.AWS_ENDPOINT_URL_SECRETS_MANAGER ?? null,
    })),
    E.chain((config) => E.map((secrets: SecretPolicy) => ({ ...config, secrets }))(readSecretPolicy(env))),
    // a credential goes only where the secret policy redacts it (stored sent headers, logs, verify)
    E.chain((config) =>
      pipe(
        checkCredentialPlacements(config.endpointCredentials, config.secrets),
        E.bimap(
          (reason) => DecodeError(`invalid worker environment: DELIVERY_ENDPOINT_CREDENTIALS: ${reason}`, []),
          () => config,
        ),
      ),
    ),
  );

/** Cold start: a bad environment stops the function with one clear line. */
export const loadConfig = (env: EnvSource = process.env): WorkerConfig =>
  pipe(
    readConfig(env),
    E.getOrElse<DecodeError, WorkerConfig>((e) => {
      throw new Error(`worker configuration: ${e.message}`);
    }),
  );
