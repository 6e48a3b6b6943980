import { breaker } from '@delivery-history/core';
import {
  createLocalWorker,
  type LocalDrain,
  type DynamoLocal,
  type LocalWorker,
  type SqsEndpoint,
  startDynamoLocal,
  startLocalDrain,
  startSqsEndpoint,
  type Poller,
  startPoller,
} from '@delivery-history/devkit';
import { ensureTable, makeStreamClients, type StreamClients } from '@delivery-history/store';

// `dh local`: the whole system on one machine. DynamoDB Local (shared database) with the
// table, the projector's stream poller (audit trails project while it runs), and the
// worker's local driver behind a local SQS endpoint (re-drives handed to it deliver, and
// their retries keep running, after the re-drive command ends). With DELIVERY_BREAKER=on the
// projector decides the endpoint breakers, the worker holds for them, and the drain (the
// deployed drain function's handler, on a timer) releases held messages once an endpoint's
// breaker closes and expires those held too long.

export type LocalStackOptions = {
  readonly port?: number;
  readonly path?: string;
  readonly tableName: string;
  /** The worker's environment (DELIVERY_ALLOW_TARGETS defaults to loopback here). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** What each phase is doing (start-up takes seconds: say so). */
  readonly note: (line: string) => void;
  /** Between drain sweeps (the deployed function: a minute). Default 5 s. */
  readonly drainIntervalMs?: number;
};

export type LocalStack = {
  readonly endpoint: string;
  readonly tableName: string;
  readonly created: boolean;
  readonly sqs: SqsEndpoint;
  readonly allowTargets: string;
  /** Resolves when DynamoDB Local exits by itself (it should not). */
  readonly died: Promise<void>;
  counts(): { readonly projected: number; readonly delivered: number; readonly released: number };
  stop(): Promise<void>;
};

/** Loopback receivers are the point of a local stack; the SSRF guard blocks them otherwise. */
export const LOCAL_ALLOW_TARGETS = '127.0.0.1,::1,localhost';

const watchExit = (pid: number): { died: Promise<void>; cancel: () => void } => {
  let timer: NodeJS.Timeout | undefined;
  const died = new Promise<void>((ok) => {
    timer = setInterval(() => {
      try {
        process.kill(pid, 0);
      } catch {
        ok();
      }
    }, 500);
    timer.unref();
  });
  return { died, cancel: () => clearInterval(timer) };
};

type Parts = {
  dynamo?: DynamoLocal;
  clients?: StreamClients;
  poller?: Poller;
  worker?: LocalWorker;
  drain?: LocalDrain;
  sqs?: SqsEndpoint;
};

const stopParts = async (p: Parts): Promise<void> => {
  await p.sqs?.close().catch(() => undefined);
  await p.drain?.stop().catch(() => undefined);
  await p.worker?.close().catch(() => undefined);
  await p.poller?.stop().catch(() => undefined);
  p.clients?.destroy();
  await p.dynamo?.stop().catch(() => undefined);
};

export const startLocalStack = async (o: LocalStackOptions): Promise<LocalStack> => {
  const parts: Parts = {};
  try {
    o.note(`Starting DynamoDB Local${o.port !== undefined ? ` on port ${o.port}` : ''}...`);
    const dynamo = await startDynamoLocal({
      ...(o.port !== undefined ? { port: o.port } : {}),
      ...(o.path !== undefined ? { path: o.path } : {}),
    });
    parts.dynamo = dynamo;
    const clients = makeStreamClients({ endpoint: dynamo.endpoint, streamsEndpoint: dynamo.endpoint });
    parts.clients = clients;
    o.note(`Creating table "${o.tableName}" (unless present)...`);
    const { created, streamArn } = await ensureTable(clients.client, o.tableName);
    let projected = 0;
    const allowTargets = o.env.DELIVERY_ALLOW_TARGETS?.trim() || LOCAL_ALLOW_TARGETS;
    const env = { ...o.env, DELIVERY_TABLE_NAME: o.tableName, DELIVERY_ALLOW_TARGETS: allowTargets };
    // with DELIVERY_BREAKER=on the worker gates on its own store's breakers
    const worker = createLocalWorker({ doc: clients.doc, env, visibilityTimeoutMs: 15_000 });
    parts.worker = worker;
    const { config } = worker;
    if (streamArn !== undefined) {
      parts.poller = startPoller({
        clients: { doc: clients.doc, streams: clients.streams },
        tableName: o.tableName,
        streamArn,
        idleBackoffMs: 50,
        maxIdleBackoffMs: 500,
        deps: { breaker: config.breaker ? breaker.DEFAULT_SETTINGS : null },
        onBatch: (b) => {
          projected += b.records;
        },
      });
    }
    worker.driver.start({ concurrency: 4 });
    let released = 0;
    parts.drain = startLocalDrain({
      doc: clients.doc,
      config,
      driver: worker.driver,
      intervalMs: o.drainIntervalMs ?? 5_000,
      onSweep: (s) => {
        released += s.released;
      },
    });
    const sqs = await startSqsEndpoint((body, delaySeconds) => {
      worker.driver.send(body, { delaySeconds });
    });
    parts.sqs = sqs;
    const exit = watchExit(dynamo.pid);
    return {
      endpoint: dynamo.endpoint,
      tableName: o.tableName,
      created,
      sqs,
      allowTargets,
      died: exit.died,
      counts: () => ({ projected, delivered: worker.driver.stats().recordsHandled, released }),
      stop: async () => {
        exit.cancel();
        await stopParts(parts);
      },
    };
  } catch (e) {
    await stopParts(parts);
    throw e;
  }
};
