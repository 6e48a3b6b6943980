import {
  type Clients,
  createStore,
  type DynamoLocal,
  ensureTable,
  isLocalEndpoint,
  makeClients,
  startDynamoLocal,
} from '@delivery-history/store';
import { type Poller, startPoller } from '@delivery-history/projector';
import { createLocalWorker, type LocalWorker, type Receivers, startReceivers } from '@delivery-history/worker';
import * as E from 'fp-ts/lib/Either.js';
import type { ProgressMode } from '../args/codecs.js';
import type { Config } from '../config/readConfig.js';
import { projectorTrailOf } from '../context.js';
import { EXIT } from '../exitCodes.js';
import { demoSummaryJson, renderDemoSummary } from '../format/demoSummary.js';
import { historyJson } from '../format/historyJson.js';
import { renderHistory } from '../format/historyView.js';
import { toJson } from '../format/json.js';
import { createProgress, type Progress } from '../format/progress.js';
import { formatDuration } from '../format/time.js';
import { renderVerifyReport, verifyReportJson } from '../format/verifyReport.js';
import type { Io } from '../io.js';
import { decodePartition } from '../replay/decodePartition.js';
import { tableReader } from '../replay/tableReader.js';
import { DEFAULT_ITEM_BUDGET, verifyTable } from '../replay/verifyTable.js';
import { buildScenario, type DemoDelivery, RECEIVER_KINDS, type ReceiverKind, ROUTES } from './scenario.js';
import { addMessage, emptySummary, type Summary } from './summary.js';

// `dh demo`: the whole system on this machine. Everything started here is stopped in the
// `finally` below (JVM, HTTP servers, driver, poller), whatever happens.

export type DemoOptions = {
  readonly messages: number;
  readonly maxAttempts: number;
  readonly concurrency: number;
  readonly progress: ProgressMode;
  readonly json: boolean;
  readonly yes: boolean;
  /** Bound on the delivery phase. */
  readonly timeoutMs: number;
};

/** Short retries, so the demo finishes in well under two minutes. */
const demoWorkerEnv = (maxAttempts: number): Record<string, string> => ({
  DELIVERY_ALLOW_TARGETS: '127.0.0.1',
  DELIVERY_MAX_ATTEMPTS: String(maxAttempts),
  DELIVERY_TIMEOUT_MS: '1000',
  DELIVERY_CONNECT_TIMEOUT_MS: '500',
  DELIVERY_BACKOFF_BASE_MS: '100',
  DELIVERY_BACKOFF_MAX_MS: '800',
});

type Running = {
  dynamo?: DynamoLocal;
  clients?: Clients;
  receivers: Receivers[];
  worker?: LocalWorker;
  poller?: Poller;
};

const stopAll = async (r: Running): Promise<void> => {
  const quietly = async (f: (() => Promise<unknown>) | undefined) => {
    try {
      await f?.();
    } catch {
      // shutting down: nothing left to report to
    }
  };
  await quietly(r.worker?.close);
  await quietly(r.poller?.stop);
  await Promise.all(r.receivers.map((x) => quietly(x.close)));
  r.clients?.destroy();
  await quietly(r.dynamo?.stop);
};

const withDeadline = <A>(p: Promise<A>, ms: number, what: string): Promise<A> => {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${what} did not finish within ${formatDuration(ms)}`)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
};

/** Counts finished deliveries (records gone from the local queue) into the progress bar. */
const trackDeliveries = (worker: LocalWorker, total: number, progress: Progress): (() => void) => {
  let shown = 0;
  const tick = () => {
    const done = Math.max(0, total - worker.queue.counts().total);
    if (done > shown) {
      progress.increment(done - shown);
      shown = done;
    }
  };
  const timer = setInterval(tick, 200);
  return () => {
    clearInterval(timer);
    tick();
  };
};

const runId = (now: Date): string => `demo-${now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}`;

export const runDemo = async (o: DemoOptions, config: Config, io: Io): Promise<number> => {
  const note = (s: string) => (o.json ? io.stderr : io.stdout).write(`${s}\n`);
  const local = config.endpoint === null ? !config.configured : isLocalEndpoint(config.endpoint);
  if (!local && !o.yes) {
    io.stderr.write(
      `dh demo: refusing to write demo traffic to table "${config.tableName}" at ${config.endpoint ?? 'AWS'} without --yes.\n` +
        '  Unset DELIVERY_TABLE_NAME / AWS_ENDPOINT_URL_DYNAMODB to use the embedded DynamoDB Local instead.\n',
    );
    return EXIT.config;
  }
  const started = io.now().getTime();
  const running: Running = { receivers: [] };
  try {
    let endpoint = config.endpoint;
    if (!config.configured) {
      note('Starting DynamoDB Local (embedded, in memory)...');
      running.dynamo = await startDynamoLocal();
      endpoint = running.dynamo.endpoint;
    }
    const clients = makeClients({
      ...(endpoint !== null ? { endpoint, streamsEndpoint: endpoint } : {}),
      ...(config.region !== null ? { region: config.region } : {}),
    });
    running.clients = clients;
    const table = local ? await ensureTable(clients.client, config.tableName) : { created: false, streamArn: undefined };
    note(`Table "${config.tableName}" at ${endpoint ?? 'AWS'}${table.created ? ' (created)' : ''}.`);

    const kinds = [...RECEIVER_KINDS];
    running.receivers = await Promise.all(kinds.map(() => startReceivers()));
    const baseUrls = Object.fromEntries(kinds.map((k, i) => [k, running.receivers[i]?.baseUrl ?? ''])) as Record<ReceiverKind, string>;
    const refused = (await running.receivers[0]?.refusedUrl())?.replace(/\/refused$/, '') ?? 'http://127.0.0.1:9';
    note(`Receivers: ${kinds.map((k) => `${k} ${baseUrls[k]}`).join(', ')}, refused ${refused}`);

    const store = createStore({ doc: clients.doc, tableName: config.tableName });
    running.worker = createLocalWorker({
      store,
      env: demoWorkerEnv(o.maxAttempts),
      // longer than any batch takes: a record seen again while still in flight would meet
      // its own lease and wait for it to expire (a minute)
      visibilityTimeoutMs: 15_000,
    });
    if (local && table.streamArn !== undefined) {
      running.poller = startPoller({
        clients: { doc: clients.doc, streams: clients.streams },
        tableName: config.tableName,
        streamArn: table.streamArn,
        idleBackoffMs: 50,
        maxIdleBackoffMs: 250,
      });
    }

    const id = runId(io.now());
    const deliveries: DemoDelivery[] = buildScenario({
      count: o.messages,
      maxAttempts: o.maxAttempts,
      baseUrls: { ...baseUrls, refused },
      runId: id,
    });
    note(`Delivering ${deliveries.length} messages (run ${id}) over ${ROUTES.length} behaviours, up to ${o.maxAttempts} attempts each...`);
    const progress = createProgress({ mode: o.progress, label: 'deliveries', stderr: io.stderr, clock: () => io.now().getTime() });
    progress.start(deliveries.length);
    const worker = running.worker;
    for (const d of deliveries) worker.driver.send(d);
    worker.driver.start({ concurrency: o.concurrency, batchSize: 5 });
    const stopTracking = trackDeliveries(worker, deliveries.length, progress);
    try {
      await worker.driver.drain({ timeoutMs: o.timeoutMs });
    } finally {
      stopTracking();
      progress.stop();
    }
    if (running.poller !== undefined) {
      note('Waiting for the projector to catch up...');
      await withDeadline(running.poller.caughtUp(), 30_000, 'the projector');
    }
    return await report(o, io, { clients, config, ids: deliveries.map((d) => d.messageId), started, finishedAt: io.now().getTime(), note });
  } finally {
    await stopAll(running);
  }
};

type ReportInput = {
  readonly clients: Clients;
  readonly config: Config;
  readonly ids: ReadonlyArray<string>;
  readonly started: number;
  readonly finishedAt: number;
  readonly note: (s: string) => void;
};

const report = async (o: DemoOptions, io: Io, r: ReportInput): Promise<number> => {
  const reader = tableReader(r.clients.doc, r.config.tableName);
  let summary: Summary = emptySummary();
  const verify = await verifyTable(
    {
      reader,
      trailOf: projectorTrailOf,
      onMessage: (m) => {
        if (m.state !== null) summary = addMessage(summary, m.state, m.attempts);
      },
    },
    { segments: 1, concurrency: 8, itemBudgetBytes: DEFAULT_ITEM_BUDGET, messageIds: r.ids, allowLag: false },
  )();
  if (E.isLeft(verify)) throw new Error(verify.left.message);
  const elapsed = r.finishedAt - r.started;
  const pick = summary.interesting?.messageId;
  const story = pick === undefined ? null : decodePartition(pick, await reader.readPartition(pick));
  const trail = story === null ? null : projectorTrailOf(story.messageId, story.auditItems);
  const view =
    story?.state == null
      ? null
      : {
          state: story.state,
          attempts: story.attempts,
          redrives: story.redrives,
          auditTrail: trail !== null && E.isRight(trail) ? (trail.right?.entries ?? []) : [],
        };
  if (o.json) {
    io.stdout.write(
      toJson({
        summary: demoSummaryJson(summary, elapsed),
        interesting: view === null ? null : historyJson(view),
        verify: verifyReportJson(verify.right),
      }),
    );
  } else {
    io.stdout.write(`\n${renderDemoSummary(summary, elapsed)}\n`);
    if (view !== null) {
      io.stdout.write(`The story of ${view.state.messageId} (dh history ${view.state.messageId}):\n\n${renderHistory(view, io.now())}\n`);
    }
    io.stdout.write(`Invariants over this run: ${renderVerifyReport(verify.right).split('\n')[0]} ${verify.right.ok ? 'All hold.' : 'SOME FAIL:'}\n`);
    if (!verify.right.ok) io.stdout.write(renderVerifyReport(verify.right));
    if (r.config.configured) {
      io.stdout.write(`\nExplore: pnpm dh failed --since -1h, pnpm dh history ${pick ?? '<id>'}, pnpm dh verify\n`);
    } else {
      io.stdout.write('\nThe embedded DynamoDB Local stops with the demo. To explore afterwards, run "pnpm dh local" in one shell\nand the demo with the variables it prints in another; then try pnpm dh failed --since -1h.\n');
    }
  }
  return verify.right.ok ? EXIT.ok : EXIT.checkFailed;
};
