import { startPoller } from '@delivery-history/devkit';
import { memoryCheckpoint } from '@delivery-history/devkit/testing';
import type { StreamClients } from '@delivery-history/store';
import { localStreamsPort } from '../../bench/support/localStreams.js';

// Runs the local projector over a table's stream until every write made so far is
// projected, then stops it (for tests that write without a projector running).

export const projectAll = async (
  table: StreamClients & { readonly tableName: string; readonly streamArn: string | undefined },
  timeoutMs = 120_000,
): Promise<void> => {
  if (table.streamArn === undefined) throw new Error(`table ${table.tableName} has no stream`);
  const poller = startPoller({
    clients: { doc: table.doc, streams: localStreamsPort(table.streams) },
    tableName: table.tableName,
    streamArn: table.streamArn,
    checkpoint: memoryCheckpoint(),
    idleBackoffMs: 50,
    maxIdleBackoffMs: 300,
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      poller.caughtUp(),
      new Promise((_, fail) => {
        timer = setTimeout(() => fail(new Error(`projector did not catch up within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    await poller.stop();
  }
};
