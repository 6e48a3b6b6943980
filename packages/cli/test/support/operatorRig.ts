// What the breaker's `dh` tests share (issue 27): a test table, receivers on 127.0.0.1, a store
// with a fast retry policy, `dh`'s environment (loopback targets, an operator name), `dh`
// in-process, and the real worker handler with the endpoint gate on.
import { main, memoryIo } from '@delivery-history/cli/testing';
import { systemClock } from '@delivery-history/core';
import { createStore, type Store } from '@delivery-history/store';
import { endpointGateOf, loadConfig } from '@delivery-history/worker';
import { type Receivers, startReceivers } from '@delivery-history/devkit';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { harness } from '../../../worker/test/support/workerRig.js';
import { dhEnv } from './runDh.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type OperatorRig = {
  readonly t: TestTable;
  readonly rx: Receivers;
  readonly store: Store;
  readonly env: NodeJS.ProcessEnv;
  close(): Promise<void>;
};

export const OPERATOR = 'ops@example.com';

export const startOperatorRig = async (name: string): Promise<OperatorRig> => {
  const t = await useTestTable(name);
  const rx = await startReceivers();
  return {
    t,
    rx,
    store: createStore({ doc: t.doc, tableName: t.tableName, retry: { baseMs: 5, maxMs: 50 } }),
    env: dhEnv({
      endpoint: t.endpoint,
      tableName: t.tableName,
      extra: { DELIVERY_ALLOW_TARGETS: '127.0.0.1', DELIVERY_TIMEOUT_MS: '2000', DH_OPERATOR: OPERATOR },
    }),
    close: async () => {
      await rx.close();
      await t.drop();
    },
  };
};

/** `dh <args>` in-process: exit code, stdout and stderr. */
export const dhIn = async (env: NodeJS.ProcessEnv, args: readonly string[]) => {
  const io = memoryIo(env);
  const code = await main([...args], io);
  return { code, out: io.out(), err: io.err() };
};

/** The worker's handler with the endpoint gate on (breaker state read fresh each time). */
export const gatedWorker = (store: Store, receiverControl = false) => {
  const gate = endpointGateOf({ ...loadConfig({}), breaker: true, breakerStaleMs: 0 }, store, systemClock);
  if (gate === undefined) throw new Error('the breaker is on');
  return harness(store, { gate, receiverControl });
};

/** A receiver that answers every request 410 with `webhook-delivery: disable`. */
export const disablingReceiver = async (): Promise<{ url: string; close(): Promise<void> }> => {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(410, { 'webhook-delivery': 'disable' }).end('gone'));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/in`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
};
