// A table endpoint that accepts the connection and never answers: the call ends as a Transient
// error after the client's request timeout and the store's retries, instead of hanging its
// caller (the SDK's own default waits forever).
import { createServer, type Socket } from 'node:net';
import { createStore, makeClients } from '@delivery-history/store';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const Timeout = suite('store request timeout');

Timeout('a silent endpoint: Transient after the timeout and the retries, every try a new request', async () => {
  const sockets: Socket[] = [];
  let requests = 0;
  const silent = createServer((socket) => {
    sockets.push(socket);
    socket.on('data', (chunk) => {
      if (chunk.toString('latin1').startsWith('POST')) requests++;
    });
  });
  await new Promise<void>((ok) => silent.listen(0, '127.0.0.1', ok));
  const address = silent.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const clients = makeClients({ endpoint: `http://127.0.0.1:${port}`, requestTimeoutMs: 200 });
  try {
    const store = createStore({
      doc: clients.doc,
      tableName: 'silent',
      retry: { maxRetries: 2, baseMs: 1, maxMs: 5 },
    });
    const got = await store.getState('m-1')();
    assert.ok(got._tag === 'Left', 'no answer is an error, not a hang');
    if (got._tag === 'Left') assert.is(got.left._tag, 'Transient', JSON.stringify(got.left));
    assert.is(requests, 3, 'the first try and two retries');
  } finally {
    clients.destroy();
    for (const s of sockets) s.destroy();
    await new Promise<void>((ok) => silent.close(() => ok()));
  }
});

Timeout.run();
