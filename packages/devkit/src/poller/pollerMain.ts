// The local projector as a process: `node --import tsx --conditions=source
// packages/devkit/src/poller/pollerMain.ts`. Same variables as the Lambda/worker
// (DELIVERY_TABLE_NAME, AWS_ENDPOINT_URL_DYNAMODB[_STREAMS], AWS_REGION), plus
// DH_PROJECTOR_STREAM_ARN, DH_PROJECTOR_BATCH_LIMIT, DH_PROJECTOR_IDLE_BACKOFF_MS,
// DH_PROJECTOR_MAX_IDLE_BACKOFF_MS. JSON log lines on stdout: one `batch` per batch, `caught up`
// when idle. SIGTERM/SIGINT stop it cleanly; after SIGKILL a restart resumes at the checkpoint.
import { Logger } from '@aws-lambda-powertools/logger';
import { latestStreamArn, makeStreamClients } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import { eventsFromConfig } from '@delivery-history/projector';
import { PROJECTOR_SERVICE_NAME } from '@delivery-history/core';
import { readPollerConfig } from './pollerConfig.js';
import { startPoller } from './poller.js';

const main = async (): Promise<number> => {
  const config = readPollerConfig(process.env);
  if (E.isLeft(config)) {
    console.error(config.left.message);
    return 2;
  }
  const c = config.right;
  const logger = new Logger({ serviceName: `${PROJECTOR_SERVICE_NAME}-poller` });
  const clients = makeStreamClients({
    maxAttempts: 3,
    ...(c.endpoint !== undefined ? { endpoint: c.endpoint } : {}),
    ...(c.streamsEndpoint !== undefined ? { streamsEndpoint: c.streamsEndpoint } : {}),
    ...(c.region !== undefined ? { region: c.region } : {}),
  });
  const streamArn = c.streamArn ?? (await latestStreamArn(clients.client, c.tableName));
  if (streamArn === undefined) {
    console.error(`table ${c.tableName} has no stream`);
    return 2;
  }
  const poller = startPoller({
    clients,
    tableName: c.tableName,
    streamArn,
    idleBackoffMs: c.idleBackoffMs,
    maxIdleBackoffMs: c.maxIdleBackoffMs,
    batchLimit: c.batchLimit,
    deps: {
      budget: c.budget,
      concurrency: c.concurrency,
      driftCheckMaxAttempts: c.driftCheckMaxAttempts,
      driftCheckRate: c.driftCheckRate,
      retentionDays: c.retentionDays,
      healthShards: c.healthShards,
      breaker: c.breaker,
      events: eventsFromConfig(c),
      telemetry: { logger, count: () => undefined },
    },
    onBatch: (b) =>
      logger.info('batch', {
        shardId: b.shardId,
        records: b.records,
        first: b.firstSequenceNumber,
        last: b.lastSequenceNumber,
        messages: b.report.messages.length,
        appended: b.report.messages.reduce((n, m) => n + m.appended, 0),
        skipped: b.skipped,
        checkpointed: b.checkpointed,
      }),
  });
  logger.info('poller started', { tableName: c.tableName, streamArn });
  let stopping = false;
  const stop = new Promise<void>((ok) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        stopping = true;
        ok();
      });
    }
  });
  // logs 'caught up' once after each burst of records (checked without waking an idle poller)
  const reportIdle = async (): Promise<void> => {
    let reported = -1;
    while (!stopping) {
      if (poller.stats.records !== reported) {
        try {
          await poller.caughtUp();
        } catch {
          return;
        }
        reported = poller.stats.records;
        logger.info('caught up', { ...poller.stats });
      }
      await new Promise((ok) => setTimeout(ok, 250));
    }
  };
  const idle = reportIdle();
  await stop;
  await poller.stop();
  await idle;
  logger.info('poller stopped', { ...poller.stats });
  clients.destroy();
  return 0;
};

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(1);
  },
);
