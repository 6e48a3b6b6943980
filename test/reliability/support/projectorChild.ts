// The local projector as its own process, for the kill test: polls the table's stream with
// checkpoints IN THE TABLE (so a restart resumes), every write slowed a little so a SIGKILL
// lands inside a batch, and one line per write on stdout (`W <n>`) so the parent can aim.
// DH_CHILD_MODE=catch-up: exit 0 once every write made before the start is projected.
import { setTimeout as sleep } from 'node:timers/promises';
import { startPoller } from '@delivery-history/devkit';
import { makeStreamClients } from '@delivery-history/store';
import { localStreamsPort } from '../../bench/support/localStreams.js';

const endpoint = process.env.DH_CHILD_ENDPOINT ?? '';
const tableName = process.env.DH_CHILD_TABLE ?? '';
const streamArn = process.env.DH_CHILD_STREAM ?? '';
const mode = process.env.DH_CHILD_MODE ?? 'run';
const writeDelayMs = Number(process.env.DH_CHILD_WRITE_DELAY_MS ?? '25');

const clients = makeStreamClients({ endpoint });
let writes = 0;
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem']);
type Add = (typeof clients.client)['middlewareStack']['add'];
const slowWrites: Parameters<Add>[0] = (next, context) => async (args) => {
  const command = String((context as { commandName?: unknown }).commandName ?? '').replace(/Command$/, '');
  if (WRITES.has(command)) {
    writes += 1;
    process.stdout.write(`W ${writes} ${command}\n`);
    await sleep(writeDelayMs);
  }
  return next(args);
};
clients.client.middlewareStack.add(slowWrites, { step: 'deserialize', priority: 'low', name: 'dhSlowWrites' });

const poller = startPoller({
  clients: { doc: clients.doc, streams: localStreamsPort(clients.streams) },
  tableName,
  streamArn,
  batchLimit: 50,
  idleBackoffMs: 50,
  maxIdleBackoffMs: 300,
  refreshMs: 1_000,
});

if (mode === 'catch-up') {
  poller.caughtUp().then(
    async () => {
      process.stdout.write(`CAUGHT_UP ${JSON.stringify(poller.stats)}\n`);
      await poller.stop();
      clients.destroy();
      process.exit(0);
    },
    (e: unknown) => {
      process.stderr.write(`catch-up failed: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
// bounded even if nobody kills it
setTimeout(() => process.exit(2), 300_000).unref();
