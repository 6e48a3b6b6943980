import type { AuditEntry } from '@delivery-history/core';
import { auditTrailOf } from '@delivery-history/projector';
import { type Clients, createStore, makeClients, type Store } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import type { Config } from './config/readConfig.js';
import type { CommandResult } from './commands/failure.js';
import type { Io } from './io.js';
import { tableReader, type TableReader } from './replay/tableReader.js';
import type { TrailReader } from './replay/verifyMessage.js';

// What a command talks to, built once from the configuration and closed at the end.

export type Context = {
  readonly config: Config;
  readonly clients: Clients;
  readonly store: Store;
  readonly reader: TableReader;
  readonly trailOf: TrailReader;
};

/** The audit trail from raw AUDIT# items, through the projector's decoder. */
export const projectorTrailOf: TrailReader = (messageId, items) => {
  const trail = auditTrailOf(messageId, items);
  if (E.isLeft(trail)) return E.left(trail.left.message);
  return E.right(trail.right.summary === null ? null : { entries: trail.right.entries as ReadonlyArray<AuditEntry> });
};

export const openContext = (config: Config, io: Io): Context => {
  const clients = makeClients({
    ...(config.endpoint !== null ? { endpoint: config.endpoint } : {}),
    ...(config.streamsEndpoint !== null ? { streamsEndpoint: config.streamsEndpoint } : {}),
    ...(config.region !== null ? { region: config.region } : {}),
    // Long scans on AWS meet throttling: let the SDK retry too (the store adds its own).
    maxAttempts: 5,
  });
  const store = createStore({ doc: clients.doc, tableName: config.tableName, clock: io.now });
  return { config, clients, store, reader: tableReader(clients.doc, config.tableName), trailOf: projectorTrailOf };
};

/**
 * Runs `body` with a context and closes its clients however it ends (an exception is
 * main's `Unexpected`, exit 3).
 */
export const withContext = async (
  config: Config,
  io: Io,
  body: (ctx: Context) => Promise<CommandResult>,
): Promise<CommandResult> => {
  const ctx = openContext(config, io);
  try {
    return await body(ctx);
  } finally {
    ctx.clients.destroy();
  }
};
