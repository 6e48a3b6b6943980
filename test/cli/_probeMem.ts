import { seedSynthetic, replayProjections, tableReader, projectorTrailOf, trailWriter, storeRepair, createProgress } from '@delivery-history/cli';
import { createStore, ensureTable, makeClients, startDynamoLocal } from '@delivery-history/store';
const dynamo = await startDynamoLocal();
const c = makeClients({ endpoint: dynamo.endpoint });
await ensureTable(c.client, 'probe');
const t0 = Date.now();
await seedSynthetic({ doc: c.doc, tableName: 'probe', count: 3000, idPrefix: 'm', attemptsOf: () => 1 });
console.log('seeded 3000 in', Date.now() - t0);
const store = createStore({ doc: c.doc, tableName: 'probe' });
const deps = { reader: tableReader(c.doc, 'probe'), trailOf: projectorTrailOf, repairProjection: storeRepair((a, b, d) => store.repairProjection(a, b, d)), repairTrail: trailWriter({ doc: c.doc, tableName: 'probe' }) };
const mb = (n: number) => Math.round(n / 1048576);
for (let round = 0; round < 4; round++) {
  let peak = 0;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().heapUsed); }, 20);
  const t1 = Date.now();
  const r = await replayProjections(deps, { dryRun: true, segments: 4 })();
  clearInterval(timer);
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  console.log(`round ${round}: ${Date.now() - t1} ms scanned ${r._tag === 'Right' ? r.right.scanned : r.left.message} heapAfterGc ${mb(m.heapUsed)} MB rss ${mb(m.rss)} MB heapPeak ${mb(peak)} MB`);
}
c.destroy(); await dynamo.stop();
