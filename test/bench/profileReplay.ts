// Dev aid (not part of `pnpm bench`): loads N bulk messages into a fresh DynamoDB Local and
// runs the replay in this process, so `node --cpu-prof` shows where replay CPU goes.
// `node --import tsx --conditions=source --cpu-prof --cpu-prof-dir=.prof test/bench/profileReplay.ts 5000`
import { performance } from 'node:perf_hooks';
import { measureReplay, projectorTrailOf, storeRepair, tableReader, trailWriter } from '@delivery-history/cli/testing';
import { startDynamoLocal } from '@delivery-history/devkit';
import { createStore } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import { makeBenchContext } from './support/benchContext.js';
import { makeFastShaper, type Reply } from './support/benchFixtures.js';
import { bulkLoadRaw } from './support/loader.js';

const n = Number(process.argv[2] ?? '5000');
const dynamo = await startDynamoLocal();
const ctx = makeBenchContext(
  async () => dynamo.endpoint,
  (l) => console.error(l),
);
const t = await ctx.table('prof', { stream: false });
const replies: ReadonlyArray<ReadonlyArray<Reply>> = [[200], [500], [404], [500, 200]];
const shape = makeFastShaper(replies, 'bulk-000000'.length);
const t0 = performance.now();
await bulkLoadRaw(
  t.client,
  t.tableName,
  { from: 0, to: n },
  (i) => shape(`bulk-${String(i).padStart(6, '0')}`, new Date(Date.UTC(2026, 0, 5) + i * 1000), i % replies.length),
  12,
);
console.error(`loaded ${n} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const store = createStore({ doc: t.doc, tableName: t.tableName });
for (const segments of (process.argv[3] ?? '8').split(',').map(Number)) {
  const cpu0 = process.cpuUsage();
  const r = await measureReplay(
    {
      reader: tableReader(t.doc, t.tableName),
      trailOf: projectorTrailOf,
      repairProjection: storeRepair((id, expected, observed) => store.repairProjection(id, expected, observed)),
      repairTrail: trailWriter({ doc: t.doc, tableName: t.tableName }),
    },
    { dryRun: false, segments, concurrency: 8 },
  );
  const cpu = process.cpuUsage(cpu0);
  if (E.isLeft(r)) throw new Error(r.left);
  console.error(
    `segments ${segments}: replay ${r.right.report.scanned} msgs, ${r.right.messagesPerSecond.toFixed(0)}/s, cpu ${((cpu.user + cpu.system) / 1000 / n).toFixed(2)} ms/msg`,
  );
}
await t.drop();
await dynamo.stop();
