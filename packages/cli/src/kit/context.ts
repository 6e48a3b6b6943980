import type { AuditEntry, Clock } from '@delivery-history/core';
import {
  createStore,
  decodeAuditTrail,
  makeClients,
  probeTable,
  type Store,
  type TableProbe,
} from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import type { Config } from './config/readConfig.js';
import { type CliFailure, type CommandResult, Infrastructure, Unexpected } from './failure.js';
import type { Io } from './io.js';
import { tableReader, type TableReader } from './table/tableReader.js';
import type { TrailReader } from '../verify/verifyMessage.js';

// What a command talks to, built once from the configuration and closed at the end. The
// table clients only: a Streams client (dh tail) is the command's own, so the Streams SDK
// is not loaded, nor its client built, by every other command's start-up.

type ClientOptions = NonNullable<Parameters<typeof makeClients>[0]>;
type Clients = ReturnType<typeof makeClients>;

export type Context = {
  readonly config: Config;
  readonly clients: Clients;
  readonly store: Store;
  readonly reader: TableReader;
  readonly trailOf: TrailReader;
  /** What time it is (the command's `io.now`): runs take it from here, so they need no `Io`. */
  readonly now: Clock;
};

/**
 * The audit trail from raw AUDIT# items, through the store's one decoder (the projector's
 * `auditTrailOf` wraps the same; importing the projector would load its Lambda's SDKs into
 * every command's start-up).
 */
export const projectorTrailOf: TrailReader = (messageId, items) => {
  const trail = decodeAuditTrail(messageId, items);
  if (E.isLeft(trail)) return E.left(trail.left.message);
  return E.right(trail.right.summary === null ? null : { entries: trail.right.entries as ReadonlyArray<AuditEntry> });
};

/** The SDK client settings of a configuration (the table's and, for dh tail, the stream's). */
export const clientOptionsOf = (config: Config): ClientOptions => ({
  ...(config.endpoint !== null ? { endpoint: config.endpoint } : {}),
  ...(config.streamsEndpoint !== null ? { streamsEndpoint: config.streamsEndpoint } : {}),
  ...(config.region !== null ? { region: config.region } : {}),
  // Long scans on AWS meet throttling: let the SDK retry too (the store adds its own).
  maxAttempts: 5,
});

export const openContext = (config: Config, io: Io): Context => {
  const clients = makeClients(clientOptionsOf(config));
  const store = createStore({
    doc: clients.doc,
    tableName: config.tableName,
    clock: io.now,
    retentionDays: config.retentionDays,
    retryPolicy: config.policies.retry,
    secrets: config.policies.secrets,
  });
  return {
    config,
    clients,
    store,
    reader: tableReader(clients.doc, config.tableName),
    trailOf: projectorTrailOf,
    now: io.now,
  };
};

// ---------------------------------------------------------------------------
// diagnosis: when a command did not get its answer, is it the place it points at?
// ---------------------------------------------------------------------------

const where = (config: Config): string =>
  config.endpoint !== null
    ? `the DynamoDB endpoint ${config.endpoint}`
    : `DynamoDB (AWS${config.region !== null ? `, region ${config.region}` : ''})`;

/** The one line an unusable target gets; null when the table answers (the failure stands). */
export const diagnosisOf = (config: Config, probe: TableProbe): string | null => {
  switch (probe._tag) {
    case 'Ok':
    case 'Failed':
      return null;
    case 'Unreachable':
      return `cannot reach ${where(config)} (${probe.detail}); start a local one with "dh local", or set AWS_ENDPOINT_URL_DYNAMODB (or --endpoint-url) to a running DynamoDB`;
    case 'NoTable':
      return `table "${config.tableName}" does not exist at ${where(config)}; set DELIVERY_TABLE_NAME (or --table) to an existing table, or run "dh local" for a local one`;
    case 'NotDynamoDB':
      return `${config.endpoint ?? 'the endpoint'} answered, but not as DynamoDB (${probe.detail}); point AWS_ENDPOINT_URL_DYNAMODB (or --endpoint-url) at DynamoDB, e.g. the URL "dh local" prints`;
  }
};

/**
 * Failures that may hide a wrong target: an empty answer (a server that is not DynamoDB
 * answers "nothing"), a store or table error, an exception, a failed check.
 */
const mayBeTarget = (f: CliFailure): boolean =>
  f._tag === 'NotFound' ||
  f._tag === 'TableError' ||
  f._tag === 'Unexpected' ||
  f._tag === 'CheckFailed' ||
  (f._tag === 'StoreFailure' && f.error._tag !== 'Invalid');

/** The failure, or an `Infrastructure` failure when one probe shows the target is the cause. */
export const diagnose = async (ctx: Context, f: CliFailure): Promise<CliFailure> => {
  if (!mayBeTarget(f)) return f;
  const line = diagnosisOf(ctx.config, await probeTable(ctx.clients.client, ctx.config.tableName));
  return line === null ? f : Infrastructure(line);
};

/**
 * Before printing an answer made of failed rows: the `Infrastructure` failure when the target
 * is what failed them (unreachable, no table, not DynamoDB), so the command says that one line
 * and prints no report; null when the rows stand (or there is no failure).
 */
export const unreachable = async (ctx: Context, f: CliFailure | null): Promise<CliFailure | null> => {
  if (f === null) return null;
  const d = await diagnose(ctx, f);
  return d._tag === 'Infrastructure' ? d : null;
};

/**
 * Runs `body` with a context and closes its clients however it ends. A failure (or an
 * exception: `Unexpected`, exit 3) is checked against the target with one cheap probe, so
 * an unreachable endpoint, a missing table or a server that is not DynamoDB is said as such
 * (exit 3) instead of "not found". The happy path pays nothing.
 */
export const withContext = async (
  config: Config,
  io: Io,
  body: (ctx: Context) => Promise<CommandResult>,
): Promise<CommandResult> => {
  const ctx = openContext(config, io);
  try {
    let result: CommandResult;
    try {
      result = await body(ctx);
    } catch (e) {
      result = E.left(Unexpected(e));
    }
    return E.isRight(result) ? result : E.left(await diagnose(ctx, result.left));
  } finally {
    ctx.clients.destroy();
  }
};
