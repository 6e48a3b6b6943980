// The capacity model on one small case computed by hand (figures in the comments), and the
// `pnpm capacity` script on the real item sizes.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  costPerMillion,
  firstBottleneck,
  healthConflict,
  type ItemSizes,
  type Load,
  mixOf,
  partitionLoads,
  wcuPerDelivery,
} from '../scripts/capacityModel.js';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;

// 1500 B -> 2 WCU; everything else fits one KiB -> 1 WCU
const SIZES: ItemSizes = {
  state: 1500,
  attempt: 700,
  audit: 900,
  healthBucket: 200,
  failedIndex: 500,
  endpointIndex: 500,
  correlationIndex: 500,
};
// half of all attempts fail, at most 2: attempts 1 + 0.5 = 1.5, final FAILED 0.25, failed attempts 0.75
const LOAD: Load = { rate: 100, endpoints: 1, failure: 0.5, maxAttempts: 2 };
const SHARDS = { failedIndex: 8, endpointIndex: 4, health: 4 };
const close = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) < 1e-6, `${actual} != ${expected}`);

const Capacity = suite('capacity model');

Capacity('the mix: attempts, failed attempts, final failures', () => {
  const m = mixOf(LOAD);
  close(m.attempts, 1.5);
  close(m.finalFailed, 0.25);
  close(m.failedAttempts, 0.75);
});

Capacity(
  'WCU per message: 12 per attempt x 1.5, plus 2 index rows at creation and 1.25 failed-index writes = 21.25',
  () => {
    // per attempt: claim 2 + append 2 x (1 + 2) + projector 2 x (1 + 1) = 12
    // once per message: byEndpoint 1 + byCorrelation 1 (KEYS_ONLY, keyed at creation) = 2
    // byFailedTime per message: a put per failed attempt (0.75) + a delete per non-final one (0.5) = 1.25
    close(wcuPerDelivery(SIZES, LOAD), 21.25);
  },
);

Capacity('busiest partitions, the rate each crosses 1,000 WCU at, and shards needed', () => {
  const byKind = Object.fromEntries(partitionLoads(SIZES, LOAD, SHARDS).map((p) => [p.kind, p]));
  // byEndpoint: 100/s x 1 (its row, once) = 100 WCU/s over 4 shards = 25; crosses at 4,000 / 1 = 4,000/s
  close(byKind.endpointIndex?.wcuPerSecond ?? 0, 25);
  close(byKind.endpointIndex?.limitRate ?? 0, 4000);
  assert.is(byKind.endpointIndex?.shardsNeeded, 1);
  // byFailedTime: 100 x 1.25 = 125 over 8 = 15.625; crosses at 8,000 / 1.25 = 6,400/s
  close(byKind.failedIndex?.wcuPerSecond ?? 0, 15.625);
  close(byKind.failedIndex?.limitRate ?? 0, 6400);
  // health: 100 x 1.5 x 2 (transactional) = 300 over 4 = 75; crosses at 4,000 / 3 = 1,333.3/s
  close(byKind.health?.wcuPerSecond ?? 0, 75);
  close(byKind.health?.limitRate ?? 0, 4000 / 3);
  // a message's own partition: 2 + 6 + 4 = 12, whatever the rate
  close(byKind.message?.wcuPerSecond ?? 0, 12);
  assert.is(byKind.message?.limitRate, Number.POSITIVE_INFINITY);
  // the health buckets now cross first (1,333/s), before byEndpoint (4,000/s)
  assert.is(firstBottleneck(partitionLoads(SIZES, LOAD, SHARDS)).kind, 'health');
});

Capacity('health-bucket conflicts: 3.75 transactions in flight over 4 buckets', () => {
  // 150 transactions/s x 25 ms = 3.75 in flight (under 3 stream shards x 2 = 6);
  // 1 - (3/4)^2.75 = 0.5467
  const c = healthConflict(SIZES, LOAD, SHARDS);
  close(c.inFlight, 3.75);
  assert.ok(Math.abs(c.conflictProbability - (1 - 0.75 ** 2.75)) < 1e-9);
  close(c.transactionsPerSecondPerBucket, 37.5);
});

Capacity('cost per million: 21.25 x $0.625 + (1 + 1.5 x 1.1) x $0.40', () => {
  const c = costPerMillion(SIZES, LOAD);
  close(c.dynamo, 13.28125);
  close(c.sqs, 1.06);
});

Capacity('`pnpm capacity` prints the model on sizes measured on real items', async () => {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', '--conditions=source', 'infra/scripts/capacity.ts', '--rate', '100', '--failure', '0.1'],
    { cwd: root, timeout: 120_000 },
  );
  assert.match(stdout, /item sizes \(bytes\): state \d+, attempt \d+/);
  assert.match(stdout, /first over the limit: HEALTH#<host>#<shard> at [\d,]+ messages\/s/);
  // KEYS_ONLY rows: keys only, far under 1 KB
  const sizes = /endpointIndex (\d+), correlationIndex (\d+)/.exec(stdout);
  assert.ok(sizes !== null && Number(sizes[1]) < 200 && Number(sizes[2]) < 200, stdout);
});

Capacity.run();
