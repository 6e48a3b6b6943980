import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { makeClients } from '@delivery-history/store';
import { type Sealer, systemClock, sealing } from '@delivery-history/core';
import { endpointGateOf, httpClientOf } from '../config/fromConfig.js';
import { workerStoreOf } from '../config/workerStoreOf.js';
import { loadConfig, type WorkerConfig } from '../config/readConfig.js';
import { powertoolsLogger } from '../observability/logger.js';
import { powertoolsMetrics } from '../observability/metrics.js';
import { sqsOutbox } from '../sqs/sqsOutbox.js';
import { sqsVisibility } from '../sqs/sqsVisibility.js';
import { kmsKeyProvider } from '../seal/kmsKeyProvider.js';
import { secretsManagerSource } from '../credentials/secretsManagerSource.js';
import { endpointCredentialsOf } from '../config/endpointCredentialsOf.js';
import { createHandler, type SqsBatchHandler } from './createHandler.js';

// ---------------------------------------------------------------------------
// The deployed Lambda: configuration and clients are built once per container, at the
// first invocation (so importing the package for createHandler reads no environment).
// ---------------------------------------------------------------------------

/** One SQS call never waits longer than this (then SQS's own redelivery takes over). */
export const SQS_CALL_TIMEOUT_MS = 2_000;

const optional = <K extends string, V>(key: K, value: V | null): { [P in K]?: V } =>
  (value === null ? {} : { [key]: value }) as { [P in K]?: V };

/** KMS behind a per-container data-key cache (core's default bounds: 5 min, 10,000 blobs per key). */
const kmsSealer = (config: WorkerConfig): Sealer | null =>
  config.sealKeyId === null
    ? null
    : sealing.createSealer(
        sealing.cachingKeyProvider(
          kmsKeyProvider(
            new KMSClient({
              ...optional('endpoint', config.kmsEndpoint),
              ...optional('region', config.region),
              maxAttempts: 2,
              requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000, throwOnRequestTimeout: true },
            }),
            config.sealKeyId,
          ),
          systemClock,
        ),
      );

/** Secrets Manager for per-endpoint credentials, bounded like KMS (the cache absorbs the rest). */
const secretsManager = (config: WorkerConfig) =>
  secretsManagerSource(
    new SecretsManagerClient({
      ...optional('endpoint', config.secretsManagerEndpoint),
      ...optional('region', config.region),
      maxAttempts: 2,
      requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000, throwOnRequestTimeout: true },
    }),
  );

export const buildLambdaHandler = (config: WorkerConfig): SqsBatchHandler => {
  const sealer = kmsSealer(config);
  const logger = powertoolsLogger();
  const metrics = powertoolsMetrics();
  const credentials = endpointCredentialsOf(config, secretsManager(config), { clock: systemClock, logger, metrics });
  const clients = makeClients({
    ...optional('endpoint', config.dynamoEndpoint),
    ...optional('region', config.region),
  });
  const sqs = new SQSClient({
    ...optional('endpoint', config.sqsEndpoint),
    ...optional('region', config.region),
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: SQS_CALL_TIMEOUT_MS, throwOnRequestTimeout: true },
  });
  const store = workerStoreOf(clients.doc, config, logger);
  const gate = endpointGateOf(config, store, systemClock);
  return createHandler({
    store,
    ...(gate !== undefined ? { gate } : {}),
    receiverControl: config.receiverControl,
    ...(config.successSnippet ? { keepSuccessSnippet: true } : {}),
    http: httpClientOf(config, systemClock),
    visibility: sqsVisibility({
      client: sqs,
      queueUrl: config.queueUrl,
      endpoint: config.sqsEndpoint,
      timeoutMs: SQS_CALL_TIMEOUT_MS,
    }),
    // the role has sqs:SendMessage on its own queue for this (infra WORKER_QUEUE_ACTIONS)
    outbox: sqsOutbox({
      client: sqs,
      queueUrl: config.queueUrl,
      endpoint: config.sqsEndpoint,
      timeoutMs: SQS_CALL_TIMEOUT_MS,
    }),
    clock: systemClock,
    logger,
    metrics,
    leaseMs: config.leaseMs,
    ...(sealer === null ? {} : { sealer }),
    ...(credentials === undefined ? {} : { endpointCredentials: credentials }),
    sqsTimeoutMs: SQS_CALL_TIMEOUT_MS,
  });
};

let ready: SqsBatchHandler | undefined;

/**
 * `(SQSEvent, Context?) => Promise<SQSBatchResponse>`. A bad environment throws on every
 * invocation with one line naming the variables (the function cannot work without them).
 */
export const handler: SqsBatchHandler = async (event, context) => {
  ready ??= buildLambdaHandler(loadConfig(process.env));
  return ready(event, context);
};
