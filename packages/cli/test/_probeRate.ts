import { createStore, ensureTable, makeClients, startDynamoLocal } from '@delivery-history/store';
const dynamo = await startDynamoLocal();
const clients = makeClients({ endpoint: dynamo.endpoint });
await ensureTable(clients.client, 'probe');
const store = createStore({ doc: clients.doc, tableName: 'probe' });
for (let round = 0; round < 5; round++) {
  const t0 = Date.now();
  await Promise.all(Array.from({ length: 4 }, async (_, lane) => {
    for (let i = 0; i < 25; i++) {
      await store.createMessage({ messageId: `s-${round}-${lane}-${i}`, url: 'http://127.0.0.1:9/ok', method: 'POST', headers: {}, body: '', correlationId: 'c', maxAttempts: null })();
    }
  }));
  console.log(`round ${round}: 100 creates in`, Date.now() - t0, 'ms');
}
clients.destroy(); await dynamo.stop();
