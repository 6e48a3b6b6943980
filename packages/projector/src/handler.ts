import { METRICS_NAMESPACE, PROJECTOR_SERVICE_NAME } from '@delivery-history/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { makeClients } from '@delivery-history/store';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import * as E from 'fp-ts/lib/Either.js';
import { makeProjectorDeps, type ProjectorDeps } from './apply/deps.js';
import { projectMessages } from './apply/projectMessages.js';
import { readConfig } from './config.js';
import { eventsFromConfig } from './events/eventBridgePublisher.js';
import type { Telemetry } from './telemetry.js';

/** Powertools behind the projector's telemetry port. */
export const powertoolsTelemetry = (logger: Logger, metrics: Metrics): Telemetry => ({
  logger,
  count: (metric, value = 1) => {
    if (value > 0) metrics.addMetric(metric, MetricUnit.Count, value);
  },
});

/**
 * A handler over given deps (tests, other runtimes). Malformed records and records of
 * messages that could not be applied go to `batchItemFailures`: Lambda resumes at the lowest
 * one, and the event source mapping's bounded retries and on-failure destination keep a
 * poison record from holding the shard forever.
 */
export const makeHandler =
  (deps: ProjectorDeps, flush: () => void = () => undefined) =>
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    try {
      const report = await projectMessages(deps, event.Records ?? []);
      return { batchItemFailures: report.failedSequenceNumbers.map((itemIdentifier) => ({ itemIdentifier })) };
    } finally {
      flush();
    }
  };

type Cold = { readonly handle: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse> };

let cold: Cold | undefined;

// Built on the first invocation, not at import: importing the package (infra reads the
// filter constant) must not need configuration or create clients.
const coldStart = (): Cold => {
  const config = readConfig(process.env);
  if (E.isLeft(config)) {
    // a deployment error: failing the invocation keeps every record for a fixed deploy
    throw new Error(`projector configuration: ${config.left.message}`);
  }
  const c = config.right;
  const logger = new Logger({ serviceName: PROJECTOR_SERVICE_NAME });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: PROJECTOR_SERVICE_NAME });
  const { doc } = makeClients({
    ...(c.endpoint !== undefined ? { endpoint: c.endpoint } : {}),
    ...(c.region !== undefined ? { region: c.region } : {}),
  });
  const deps = makeProjectorDeps(
    { doc, tableName: c.tableName },
    {
      budget: c.budget,
      driftCheckMaxAttempts: c.driftCheckMaxAttempts,
      driftCheckRate: c.driftCheckRate,
      concurrency: c.concurrency,
      retentionDays: c.retentionDays,
      healthShards: c.healthShards,
      breaker: c.breaker,
      events: eventsFromConfig(c),
      telemetry: powertoolsTelemetry(logger, metrics),
    },
  );
  return { handle: makeHandler(deps, () => metrics.publishStoredMetrics()) };
};

/** `@delivery-history/projector`'s Lambda handler for DynamoDB stream events. */
export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  cold ??= coldStart();
  return cold.handle(event);
};
