// `dh local` runs the drain (issue 27) with the deployed function's handler: with
// DELIVERY_BREAKER=on, messages held while their endpoint was paused are delivered, oldest
// created first, once its breaker is closed again, without anyone running a drain; the stop
// line counts them.
import { must as ok } from '@delivery-history/testkit/must';
import { type DeliveryRequest, breaker } from '@delivery-history/core';
import { type Receivers, startReceivers } from '@delivery-history/devkit';
import { freePort } from '@delivery-history/devkit/testing';
import { createStore, makeClients } from '@delivery-history/store';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { collectDh, dhEnv } from './support/runDh.js';

const TABLE = 'local-drain-test';
const HELD = 4;
const L = suite<{ receivers: Receivers }>('dh local: the drain of held messages');

L.before(async (ctx) => {
  ctx.receivers = await startReceivers();
});
L.after(async (ctx) => ctx.receivers.close());

/** Waits on progress, not a budget: gives up only when `dh local` has exited. */
const until = async (
  what: string,
  exited: () => boolean,
  probe: () => boolean | Promise<boolean>,
  output: () => string = () => '',
) => {
  while (!(await probe())) {
    if (exited()) throw new Error(`${what}: dh local exited first\n${output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

L('held while paused, delivered in creation order after the breaker closes; counted at the stop', async (ctx) => {
  const port = await freePort();
  const env = dhEnv({
    endpoint: 'http://127.0.0.1:9',
    tableName: TABLE,
    extra: { DELIVERY_BREAKER: 'on', DELIVERY_BREAKER_STALE_MS: '500' },
  });
  delete env.AWS_ENDPOINT_URL_DYNAMODB;
  const local = collectDh(['local', '--port', String(port)], env);
  let exited = false;
  const exit = new Promise<number | null>((r) => local.child.on('exit', (code) => r(code)));
  void exit.then(() => {
    exited = true;
  });
  try {
    await until(
      'started',
      () => exited,
      () => local.out().includes('Press Ctrl-C'),
      () => `${local.out()}\n${local.err()}`,
    );
    const clients = makeClients({ endpoint: `http://127.0.0.1:${port}` });
    const store = createStore({ doc: clients.doc, tableName: TABLE });
    const endpoint = new URL(ctx.receivers.baseUrl).host;
    const at = () => new Date().toISOString();
    // paused by an operator; its messages were held (as the worker's gate holds them)
    const paused = breaker.pause(breaker.initial(endpoint, at()), 'maintenance', 'ops', at()).state;
    await ok(store.writeBreaker(paused, 0));
    const ids = Array.from({ length: HELD }, (_, i) => `local-held-${i}`);
    for (const id of ids) {
      const request: DeliveryRequest = {
        messageId: id,
        url: ctx.receivers.url('/status/200'),
        method: 'POST',
        headers: {},
        body: '{}',
        correlationId: `c-${id}`,
        maxAttempts: 3,
      };
      await ok(store.createMessage(request));
      await ok(store.appendHold({ messageId: id, kind: 'held', mode: 'paused', reason: 'maintenance', by: 'ops' }));
    }
    // closed again (e.g. by a breaker whose probe succeeded): nobody runs a drain by hand
    await ok(store.writeBreaker(breaker.resume(paused, 'back', 'ops', at()).state, paused.version));
    await until(
      'held messages delivered',
      () => exited,
      () => ctx.receivers.count('/status/200') >= HELD,
    );
    assert.equal(
      ctx.receivers.requests.map((r) => r.webhookId),
      ids,
      'each once, oldest created first',
    );
    await until(
      'all SUCCESS',
      () => exited,
      async () => {
        for (const id of ids) if ((await ok(store.getState(id))).status !== 'SUCCESS') return false;
        return true;
      },
    );
    assert.is(await ok(store.countHeld(endpoint)), 0);
    clients.destroy();
  } finally {
    local.child.kill('SIGINT');
  }
  assert.is(await exit, 130, local.err());
  assert.match(local.out(), new RegExp(`${HELD} held messages released`), `${local.out()}\n${local.err()}`);
});

L.run();
