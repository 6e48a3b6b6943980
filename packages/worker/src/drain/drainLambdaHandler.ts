import { SQSClient } from '@aws-sdk/client-sqs';
import { makeClients } from '@delivery-history/store';
import { loadConfig } from '../config/readConfig.js';
import { workerStoreOf } from '../config/workerStoreOf.js';
import { powertoolsLogger } from '../observability/logger.js';
import { powertoolsMetrics } from '../observability/metrics.js';
import { sqsDrainQueue } from '../sqs/sqsDrainQueue.js';
import { createDrainHandler, type DrainHandler } from './createDrainHandler.js';

// The deployed drain function: configuration and clients built once per container (the
// worker's reader: the same table, queue, breaker staleness and drain settings).

const SQS_TIMEOUT_MS = 5_000;

const build = (): DrainHandler => {
  const config = loadConfig(process.env);
  if (config.queueUrl === null) throw new Error('drain configuration: DELIVERY_QUEUE_URL is required');
  const logger = powertoolsLogger();
  const clients = makeClients({
    ...(config.dynamoEndpoint === null ? {} : { endpoint: config.dynamoEndpoint }),
    ...(config.region === null ? {} : { region: config.region }),
  });
  const sqs = new SQSClient({
    ...(config.sqsEndpoint === null ? {} : { endpoint: config.sqsEndpoint }),
    ...(config.region === null ? {} : { region: config.region }),
    maxAttempts: 3,
  });
  return createDrainHandler(
    {
      store: workerStoreOf(clients.doc, config, logger),
      queue: sqsDrainQueue(sqs, config.queueUrl, SQS_TIMEOUT_MS),
      logger,
      metrics: powertoolsMetrics(),
    },
    config,
  );
};

let ready: DrainHandler | undefined;

/** EventBridge schedule -> one sweep (see sweepHeld.ts); a bad environment throws one line. */
export const drainHandler: DrainHandler = async (event, context) => {
  ready ??= build();
  return ready(event, context);
};
