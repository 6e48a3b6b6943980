import { createStore, ensureTable, makeClients, startDynamoLocal } from '@delivery-history/store';
import { createLocalWorker, startReceivers } from '@delivery-history/worker';

const dynamo = await startDynamoLocal();
const clients = makeClients({ endpoint: dynamo.endpoint });
await ensureTable(clients.client, 'probe');
const store = createStore({ doc: clients.doc, tableName: 'probe' });
const rec = await startReceivers();
let t0 = Date.now();
for (let i = 0; i < 20; i++) {
  await store.createMessage({ messageId: `s-${i}`, url: rec.url('/ok'), method: 'POST', headers: {}, body: '', correlationId: `s-${i}`, maxAttempts: null })();
}
console.log('20 creates', Date.now() - t0);
const w = createLocalWorker({ store, env: { DELIVERY_ALLOW_TARGETS: '127.0.0.1' } });
t0 = Date.now();
const x = await w.http.deliver({ messageId: 'x', url: rec.url('/ok'), method: 'POST', headers: {}, body: '' });
console.log('1 http', Date.now() - t0, x.observation.kind);
t0 = Date.now();
for (let i = 0; i < 20; i++) w.driver.send({ messageId: `p-${i}`, url: rec.url('/ok') });
w.driver.start({ concurrency: 4 });
await w.driver.drain({ timeoutMs: 30000 });
console.log('20 via driver', Date.now() - t0, JSON.stringify(w.driver.stats()));
await w.close(); await rec.close(); clients.destroy(); await dynamo.stop();
