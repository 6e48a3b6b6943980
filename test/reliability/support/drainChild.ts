// The drain as its own process, for the SIGKILL-during-drain test: devkit's startLocalDrain (the
// deployed drain function's handler on a timer) against the table. Its queue is the parent
// (SQS's memory, as in workerChild.ts): every re-enqueue is one stdout line `Q <request JSON>`,
// written synchronously (a pipe on Linux), so a send that returned is on record even if this
// process dies right after. Each send is then held for DH_CHILD_PAUSE_MS, and send number
// DH_CHILD_STOP_AT until the process is killed, so a SIGKILL aimed at that line lands after the
// enqueue and before the release (drainHeld's crash window), however fast the release is.
import { startLocalDrain } from '@delivery-history/devkit';
import { makeClients } from '@delivery-history/store';
import { loadConfig } from '@delivery-history/worker';

const endpoint = process.env.DH_CHILD_ENDPOINT ?? '';
const tableName = process.env.DH_CHILD_TABLE ?? '';
const pauseMs = Number(process.env.DH_CHILD_PAUSE_MS ?? '60');
/** The send (1-based) after which this process waits until it is killed (0: none): the aimed window. */
const stopAt = Number(process.env.DH_CHILD_STOP_AT ?? '0');

const clients = makeClients({ endpoint });
const config = loadConfig({
  DELIVERY_TABLE_NAME: tableName,
  AWS_ENDPOINT_URL_DYNAMODB: endpoint,
  AWS_REGION: 'us-east-1',
  DELIVERY_DRAIN_RATE: process.env.DH_CHILD_DRAIN_RATE ?? '20',
  DELIVERY_BREAKER_STALE_MS: '100',
});
// a synchronous pause: the driver's send is synchronous, and the kill must find it still here
const hold = new Int32Array(new SharedArrayBuffer(4));
let sent = 0;
const drain = startLocalDrain({
  doc: clients.doc,
  config,
  driver: {
    send: (request) => {
      sent += 1;
      process.stdout.write(`Q ${JSON.stringify(request)}\n`);
      // at the aimed send, wait for the SIGKILL (bounded) instead of racing it to the release
      Atomics.wait(hold, 0, 0, sent === stopAt ? 120_000 : pauseMs);
      return String(sent);
    },
  },
  intervalMs: 100,
  onSweep: (s) => process.stdout.write(`S ${JSON.stringify(s)}\n`),
});
process.on('SIGTERM', () => {
  void drain.stop().then(() => {
    clients.destroy();
    process.exit(0);
  });
});
process.stdout.write('READY\n');
// bounded even if nobody stops it
setTimeout(() => process.exit(2), 300_000).unref();
