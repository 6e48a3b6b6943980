import {
  createLocalWorker,
  type DynamoLocal,
  type InterruptReport,
  type LocalWorker,
  type MemoryEventSink,
  memoryEventSink,
  type Receivers,
  startDynamoLocal,
  startReceivers,
  type Poller,
  startPoller,
} from '@delivery-history/devkit';
import type { Clock } from '@delivery-history/core';
import { ensureTable, isLocalEndpoint, makeStreamClients, type StreamClients } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import type { ProgressMode } from '../kit/args/codecs.js';
import type { Config } from '../kit/config/readConfig.js';
import { projectorTrailOf } from '../kit/context.js';
import { EXIT } from '../kit/exitCodes.js';
import { demoSummaryJson, renderDemoSummary } from './demoSummary.js';
import { historyJson } from '../history/historyJson.js';
import { type HistoryView, renderHistory } from '../history/historyView.js';
import { toJson } from '../kit/format/json.js';
import type { Progress } from '../kit/format/progress.js';
import { type CliFailure, storeFailure } from '../kit/failure.js';
import { formatDuration } from '../kit/format/time.js';
import { viewLayout } from '../kit/format/terminal.js';
import { renderVerifyReport, verifyReportJson } from '../verify/verifyReport.js';
import { ctrlCCounter } from '../kit/interrupt.js';
import type { Io } from '../kit/io.js';
import { decodePartition } from '../kit/table/decodePartition.js';
import { type TableReader, tableReader } from '../kit/table/tableReader.js';
import { DEFAULT_ITEM_BUDGET, type VerifyReport, verifyTable } from '../verify/verifyTable.js';
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
  /** The zone the summary's times are shown in (--tz). */
  readonly zone: string;
  /** Bound on the delivery phase. */
  readonly timeoutMs: number;
  /** Ctrl-C: how long requests in flight may finish before they are ended and recorded. */
  readonly graceMs?: number;
  /** Where SIGINT/SIGTERM come from (default: this process). */
  readonly signals?: Pick<NodeJS.Process, 'on' | 'off'>;
};

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
/** Longer than a demo request may take (DELIVERY_TIMEOUT_MS below). */
const DEFAULT_GRACE_MS = 3_000;

/** Short retries, so the demo finishes in well under two minutes. */
const demoWorkerEnv = (maxAttempts: number): Record<string, string> => ({
  DELIVERY_ALLOW_TARGETS: '127.0.0.1',
  DELIVERY_MAX_ATTEMPTS: String(maxAttempts),
  // generous for a loaded laptop: the receivers share this process with worker and projector
  DELIVERY_TIMEOUT_MS: '2000',
  DELIVERY_CONNECT_TIMEOUT_MS: '1000',
  DELIVERY_BACKOFF_BASE_MS: '100',
  DELIVERY_BACKOFF_MAX_MS: '800',
});

type Running = {
  dynamo?: DynamoLocal;
  clients?: StreamClients;
  receivers: Receivers[];
  worker?: LocalWorker;
  poller?: Poller;
  /** Operator events of the local projector (EventBridge's stand-in). */
  events?: MemoryEventSink;
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

type Note = (s: string) => void;

/** The table: embedded DynamoDB Local when nothing is configured, else the configured one. */
const openTable = async (config: Config, local: boolean, running: Running, note: Note) => {
  let endpoint = config.endpoint;
  if (!config.configured) {
    note('Starting DynamoDB Local (embedded, in memory)...');
    running.dynamo = await startDynamoLocal();
    endpoint = running.dynamo.endpoint;
  }
  const clients = makeStreamClients({
    ...(endpoint !== null ? { endpoint, streamsEndpoint: endpoint } : {}),
    ...(config.region !== null ? { region: config.region } : {}),
  });
  running.clients = clients;
  // on AWS the table (and its projector) belong to the stack; locally we make sure it exists
  const table = local ? await ensureTable(clients.client, config.tableName) : { created: false, streamArn: undefined };
  note(`Table "${config.tableName}" at ${endpoint ?? 'AWS'}${table.created ? ' (created)' : ''}.`);
  return { clients, streamArn: table.streamArn };
};

/** One receiver server per behaviour (so each is its own endpoint), plus a refused port. */
const openReceivers = async (running: Running, note: Note): Promise<Record<ReceiverKind | 'refused', string>> => {
  const kinds = [...RECEIVER_KINDS];
  running.receivers = await Promise.all(kinds.map(() => startReceivers()));
  const baseUrls = Object.fromEntries(kinds.map((k, i) => [k, running.receivers[i]?.baseUrl ?? ''])) as Record<
    ReceiverKind,
    string
  >;
  const refused = (await running.receivers[0]?.refusedUrl())?.replace(/\/refused$/, '') ?? 'http://127.0.0.1:9';
  note(`Receivers: ${kinds.map((k) => `${k} ${baseUrls[k]}`).join(', ')}, refused ${refused}`);
  return { ...baseUrls, refused };
};

/** Worker (local driver) and, locally, the projector's stream poller. */
const startPipeline = (
  o: DemoOptions,
  config: Config,
  clients: StreamClients,
  streamArn: string | undefined,
  running: Running,
): LocalWorker => {
  const worker = createLocalWorker({
    // the store as the Lambda builds it, so the demo's retry settings are the store's too
    doc: clients.doc,
    env: { ...demoWorkerEnv(o.maxAttempts), DELIVERY_TABLE_NAME: config.tableName },
    // longer than any batch takes: a record seen again while still in flight would meet
    // its own lease and wait for it to expire (a minute)
    visibilityTimeoutMs: 15_000,
  });
  running.worker = worker;
  if (streamArn !== undefined) {
    running.events = memoryEventSink();
    running.poller = startPoller({
      deps: { events: running.events },
      clients: { doc: clients.doc, streams: clients.streams },
      tableName: config.tableName,
      streamArn,
      idleBackoffMs: 50,
      maxIdleBackoffMs: 250,
    });
  }
  return worker;
};

/** Resolves on the first SIGINT/SIGTERM while listening; a second one exits at once. */
const listenForInterrupt = (signals: Pick<NodeJS.Process, 'on' | 'off'>) => {
  const presses = ctrlCCounter();
  let resolve: () => void = () => {};
  const signalled = new Promise<'signal'>((ok) => {
    resolve = () => ok('signal');
  });
  const onSignal = () => {
    const press = presses.press();
    // a second Ctrl-C: the operator does not want to wait; the same one again: nothing new
    if (press === 'second') process.exit(EXIT.interrupted);
    if (press === 'first') resolve();
  };
  for (const s of SIGNALS) signals.on(s, onSignal);
  const off = () => {
    for (const s of SIGNALS) signals.off(s, onSignal);
  };
  return { signalled, off };
};

/** Delivers until the queue drains; on Ctrl-C stops claiming and returns the interrupt's report. */
const deliverAll = async (
  o: DemoOptions,
  progress: Progress,
  worker: LocalWorker,
  deliveries: ReadonlyArray<DemoDelivery>,
): Promise<InterruptReport | null> => {
  progress.start(deliveries.length);
  for (const d of deliveries) worker.driver.send(d);
  worker.driver.start({ concurrency: o.concurrency, batchSize: 5 });
  const stopTracking = trackDeliveries(worker, deliveries.length, progress);
  const interrupt = listenForInterrupt(o.signals ?? process);
  try {
    const drained = worker.driver.drain({ timeoutMs: o.timeoutMs, untilIdle: true }).then(() => 'drained' as const);
    if ((await Promise.race([drained, interrupt.signalled])) === 'drained') return null;
    // the drain's deadline no longer matters: the interrupt bounds what is left
    drained.catch(() => undefined);
    return await worker.interrupt(o.graceMs ?? DEFAULT_GRACE_MS);
  } finally {
    interrupt.off();
    stopTracking();
    progress.stop();
  }
};

/** The one line Ctrl-C prints: what was done, what was cut short, what is left. */
export const interruptedLine = (r: InterruptReport, graceMs: number, runId: string, config: Config): string =>
  `dh demo: interrupted; stopped claiming: ${r.handled} records handled` +
  (r.aborted > 0
    ? `, ${r.aborted} requests still in flight after ${formatDuration(graceMs)} ended and recorded as interrupted`
    : '') +
  (r.unfinishedBatches > 0
    ? `, ${r.unfinishedBatches} batches unfinished (PROCESSING until their lease expires)`
    : '') +
  `, ${r.notDelivered} not delivered (run ${runId}, table "${config.tableName}"` +
  `${config.configured ? '' : ', embedded: gone with the demo'})\n`;

/** How a demo ended: refused (a configured table that is not local, without --yes), interrupted, or done. */
export type DemoOutcome =
  | { readonly _tag: 'Refused' }
  | { readonly _tag: 'Interrupted'; readonly report: InterruptReport; readonly runId: string; readonly graceMs: number }
  | { readonly _tag: 'Done'; readonly report: DemoReport };

/** What the demo found: its summary, the story of its most interesting message, and verify over its messages. */
export type DemoReport = {
  readonly summary: Summary;
  readonly elapsedMs: number;
  readonly story: HistoryView | null;
  readonly verify: VerifyReport;
};

/** What the run tells as it goes (the terminal prints each note; --json sends them to stderr). */
export type DemoEvent = { readonly _tag: 'Note'; readonly line: string };

/**
 * `dh demo`'s run: starts what it needs, delivers, waits for the projector, verifies; every
 * part it started is stopped however it ends. Deliveries' progress goes to `progress`.
 */
export const demoRun = async (
  o: DemoOptions,
  config: Config,
  ports: { readonly now: Clock; readonly progress: Progress; readonly onEvent: (e: DemoEvent) => void },
): Promise<E.Either<CliFailure, DemoOutcome>> => {
  const note: Note = (line) => ports.onEvent({ _tag: 'Note', line });
  const local = config.endpoint === null ? !config.configured : isLocalEndpoint(config.endpoint);
  if (!local && !o.yes) return E.right({ _tag: 'Refused' });
  const started = ports.now().getTime();
  const running: Running = { receivers: [] };
  try {
    const { clients, streamArn } = await openTable(config, local, running, note);
    const baseUrls = await openReceivers(running, note);
    const worker = startPipeline(o, config, clients, local ? streamArn : undefined, running);
    const id = runId(ports.now());
    const deliveries = buildScenario({ count: o.messages, maxAttempts: o.maxAttempts, baseUrls, runId: id });
    note(
      `Delivering ${deliveries.length} messages (run ${id}) over ${ROUTES.length} behaviours, up to ${o.maxAttempts} attempts each...`,
    );
    const stopped = await deliverAll(o, ports.progress, worker, deliveries);
    if (stopped !== null)
      return E.right({ _tag: 'Interrupted', report: stopped, runId: id, graceMs: o.graceMs ?? DEFAULT_GRACE_MS });
    const finishedAt = ports.now().getTime();
    if (running.poller !== undefined) {
      note('Waiting for the projector to catch up...');
      await withDeadline(running.poller.caughtUp(), 30_000, 'the projector');
    }
    if (running.events !== undefined) note(operatorEventsLine(running.events));
    const report = await reportOf({ clients, config, ids: deliveries.map((d) => d.messageId), started, finishedAt });
    return E.map((r: DemoReport): DemoOutcome => ({ _tag: 'Done', report: r }))(report);
  } finally {
    await stopAll(running);
  }
};

/** The local sink's count, deduped by event id as a consumer would. */
const operatorEventsLine = (sink: MemoryEventSink): string => {
  const c = sink.counts();
  const n = (t: string) => c[t] ?? 0;
  return `Operator events (local sink, one per event id): ${sink.unique().length} (delivery.failed ${n('delivery.failed')}, delivery.lost ${n('delivery.lost')}, delivery.redriven ${n('delivery.redriven')})`;
};

type ReportInput = {
  readonly clients: StreamClients;
  readonly config: Config;
  readonly ids: ReadonlyArray<string>;
  readonly started: number;
  readonly finishedAt: number;
};

/** The run's messages, verified; the summary is built from the same reads. */
const verifyRun = async (r: ReportInput) => {
  const reader = tableReader(r.clients.doc, r.config.tableName);
  let summary: Summary = emptySummary();
  const verify = await verifyTable(
    {
      reader,
      trailOf: projectorTrailOf,
      secrets: r.config.policies.secrets,
      onMessage: (m) => {
        if (m.state !== null) summary = addMessage(summary, m.state, m.attempts);
      },
    },
    { segments: 1, concurrency: 8, itemBudgetBytes: DEFAULT_ITEM_BUDGET, messageIds: r.ids, allowLag: false },
  )();
  return E.map((v: VerifyReport) => ({ reader, summary: () => summary, verify: v }))(verify);
};

/** The history view of the message with the richest story. */
const storyOf = async (
  reader: TableReader,
  messageId: string | undefined,
): Promise<E.Either<CliFailure, HistoryView | null>> => {
  if (messageId === undefined) return E.right(null);
  const read = await reader.readPartition(messageId)();
  if (E.isLeft(read)) return E.left(storeFailure(read.left, `message "${messageId}"`));
  const m = decodePartition(messageId, read.right);
  if (m.state === null) return E.right(null);
  const trail = projectorTrailOf(messageId, m.auditItems);
  return E.right({
    state: m.state,
    attempts: m.attempts,
    redrives: m.redrives,
    auditTrail: E.isRight(trail) ? (trail.right?.entries ?? []) : [],
  });
};

const reportOf = async (r: ReportInput): Promise<E.Either<CliFailure, DemoReport>> => {
  const verified = await verifyRun(r);
  if (E.isLeft(verified)) return verified;
  const { reader, verify } = verified.right;
  const summary = verified.right.summary();
  const story = await storyOf(reader, summary.interesting?.messageId);
  if (E.isLeft(story)) return story;
  return E.right({ summary, elapsedMs: r.finishedAt - r.started, story: story.right, verify });
};

// one instruction per line, none wrapped by hand mid-sentence (each fits 80 columns)
const EXPLORE_EMBEDDED = [
  '',
  'The embedded DynamoDB Local stopped with the demo. To explore its data afterwards:',
  '  1. pnpm dh local                (one shell; it prints the exports for another)',
  '  2. the exports, then pnpm demo  (another shell)',
  '  3. pnpm dh failed --since -1h',
  '  4. pnpm dh console              (prints a URL: the same data in a browser)',
  '',
].join('\n');

/** The shares the receivers fail on purpose: the demo's FAILED messages are these, not a fault. */
const DELIBERATE = ROUTES.filter((r) => r.fails === true).map((r) => ({ path: r.path, expect: r.expect }));

const deliberateText = (): string =>
  [
    'Deliberate failures: these receivers are built to fail, so FAILED is expected here:',
    ...DELIBERATE.map((d) => `  ${d.path.padEnd(14)} ${d.expect}`),
    '',
  ].join('\n');

/** The demo's report on stdout: the JSON document, or the summary, the story and the verdict. */
export const renderDemoReport = (
  o: Pick<DemoOptions, 'json' | 'zone'>,
  io: Io,
  config: Config,
  r: DemoReport,
): void => {
  const { summary, verify } = r;
  const view = r.story;
  if (o.json) {
    const doc = {
      summary: demoSummaryJson(summary, r.elapsedMs),
      deliberateFailures: DELIBERATE,
      interesting: view === null ? null : historyJson(view),
      verify: verifyReportJson(verify),
    };
    io.stdout.write(toJson(doc));
    return;
  }
  const layout = viewLayout(io, { wide: undefined, tz: o.zone });
  io.stdout.write(`\n${renderDemoSummary(summary, r.elapsedMs, layout)}\n${deliberateText()}\n`);
  if (view !== null) {
    io.stdout.write(
      `The story of ${view.state.messageId} (dh history ${view.state.messageId}):\n\n${renderHistory(view, io.now(), layout)}\n`,
    );
  }
  const verdict = renderVerifyReport(verify).split('\n')[0];
  io.stdout.write(`Invariants over this run: ${verdict} ${verify.ok ? 'All hold.' : 'SOME FAIL:'}\n`);
  if (!verify.ok) io.stdout.write(renderVerifyReport(verify, layout));
  io.stdout.write(
    config.configured
      ? `\nExplore: pnpm dh failed --since -1h; pnpm dh history ${view?.state.messageId ?? '<id>'}; pnpm dh verify\n` +
          `Look: pnpm dh console (table "${config.tableName}" at ${config.endpoint ?? 'AWS'}, as this run;\n` +
          '  it prints the URL to open: overview, failed messages, endpoints)\n'
      : EXPLORE_EMBEDDED,
  );
};
