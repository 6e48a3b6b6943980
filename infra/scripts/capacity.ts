// `pnpm capacity [--rate N] [--endpoints N] [--failure P] [--max-attempts N] [--table]`:
// the capacity model (capacityModel.ts) at one load, on item sizes measured here on items
// the real code shapes (the bench's fixtures: core's createStateItem, buildAttemptItem and
// fold, the projector's audit rebuild, the store's key builders); `--table` prints the
// README table (100, 1,000, 10,000 deliveries/s at 10 % and 90 % failure).
import { parseArgs } from 'node:util';
import { defaultRetryPolicy, size } from '@delivery-history/core';
import { ENDPOINT_INDEX_SHARDS, FAILED_INDEX_SHARDS, TABLE, tableKeys } from '@delivery-history/store';
import { shapeMessage } from '../../test/bench/support/benchFixtures.js';
import {
  costPerMillion,
  firstBottleneck,
  healthConflict,
  type ItemSizes,
  type Load,
  partitionLoads,
  type Shards,
  wcuPerDelivery,
} from './capacityModel.js';

const indexItem = (record: Record<string, unknown>, indexName: string): Record<string, unknown> => {
  const index = TABLE.globalSecondaryIndexes.find((i) => i.indexName === indexName);
  if (index === undefined) throw new Error(`no index ${indexName}`);
  const keep = [TABLE.partitionKey.name, TABLE.sortKey.name, index.partitionKey.name, index.sortKey.name];
  return Object.fromEntries(
    Object.entries(record).filter(([k]) => keep.includes(k) || index.nonKeyAttributes.includes(k)),
  );
};

/** Sizes of what one typical webhook (the bench's ~300-byte JSON body) writes. */
export const measuredSizes = (): ItemSizes => {
  const at = new Date(Date.UTC(2026, 11, 1));
  // a message that failed once (FAILED, in the failed index) and one that succeeded
  const failed = shapeMessage('01JCAPACITYMODEL00000000001', at, [500]);
  const ok = shapeMessage('01JCAPACITYMODEL00000000002', at, [200]);
  const [failedState, failedAttempt, failedAudit] = failed.items;
  const [okState] = ok.items;
  if (failedState === undefined || failedAttempt === undefined || failedAudit === undefined || okState === undefined)
    throw new Error('unexpected fixture shape');
  const bucket = {
    ...tableKeys.healthKey('receiver.example.com', 0, '2026-12-01T00'),
    type: 'HEALTH',
    endpoint: 'receiver.example.com',
    hour: '2026-12-01T00',
    shard: 0,
    // the counters a bucket carries (outcome categories, latency sums), as numbers
    ...Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`counter${i}`, 123456])),
    lastOk: at.toISOString(),
    lastFail: at.toISOString(),
  };
  return {
    state: size.item(failedState),
    attempt: size.item(failedAttempt),
    audit: size.item(failedAudit),
    healthBucket: size.item(bucket),
    failedIndex: size.item(indexItem(failedState, 'byFailedTime')),
    endpointIndex: size.item(indexItem(okState, 'byEndpoint')),
    correlationIndex: size.item(indexItem(okState, 'byCorrelation')),
  };
};

export const DESIGN_SHARDS: Shards = {
  failedIndex: FAILED_INDEX_SHARDS,
  endpointIndex: ENDPOINT_INDEX_SHARDS,
  health: tableKeys.DEFAULT_HEALTH_SHARDS,
};

const fmt = (n: number, digits = 1): string =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits }) : 'never';

const report = (sizes: ItemSizes, load: Load): string[] => {
  const loads = partitionLoads(sizes, load, DESIGN_SHARDS);
  const first = firstBottleneck(loads);
  const conflict = healthConflict(sizes, load, DESIGN_SHARDS);
  const cost = costPerMillion(sizes, load);
  return [
    `load: ${fmt(load.rate)} messages/s over ${load.endpoints} endpoint(s), ${fmt(load.failure * 100)} % of attempts fail, max ${load.maxAttempts} attempts`,
    `item sizes (bytes): ${Object.entries(sizes)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    `WCU per message: ${fmt(wcuPerDelivery(sizes, load), 2)}`,
    'busiest partition of each kind (WCU/s; limit 1,000):',
    ...loads.map(
      (p) =>
        `  ${p.key.padEnd(24)} ${fmt(p.wcuPerSecond).padStart(10)}  crosses at ${fmt(p.limitRate, 0)} msg/s; shards needed now: ${p.shardsNeeded}`,
    ),
    `first over the limit: ${first.key} at ${fmt(first.limitRate, 0)} messages/s`,
    `health bucket transactions: ${fmt(conflict.transactionsPerSecondPerBucket)}/s per item, ${fmt(conflict.inFlight)} in flight, conflict chance ${fmt(conflict.conflictProbability * 100, 2)} % per transaction`,
    `cost per million messages: DynamoDB writes $${fmt(cost.dynamo, 2)} + SQS $${fmt(cost.sqs, 2)} = $${fmt(cost.total, 2)} (Lambda time excluded: it is the receivers' latency)`,
  ];
};

const readmeTable = (sizes: ItemSizes, endpoints: number): string[] => {
  const rows = [
    '| messages/s | failing attempts | WCU/message | busiest partition (WCU/s) | first over 1,000 WCU, at | shards needed (EP / FAILED / HEALTH) | health conflicts | $ per million (DynamoDB + SQS) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const failure of [0.1, 0.9])
    for (const rate of [100, 1_000, 10_000]) {
      const load: Load = { rate, endpoints, failure, maxAttempts: defaultRetryPolicy.maxAttempts };
      const loads = partitionLoads(sizes, load, DESIGN_SHARDS);
      const busiest = [...loads].sort((a, b) => b.wcuPerSecond - a.wcuPerSecond)[0];
      const first = firstBottleneck(loads);
      const need = (k: string) => loads.find((p) => p.kind === k)?.shardsNeeded ?? 0;
      const c = costPerMillion(sizes, load);
      rows.push(
        `| ${fmt(rate)} | ${failure * 100} % | ${fmt(wcuPerDelivery(sizes, load), 1)} | ${busiest?.key} ${fmt(busiest?.wcuPerSecond ?? 0, 0)} | ${first.key} at ${fmt(first.limitRate, 0)}/s | ${need('endpointIndex')} / ${need('failedIndex')} / ${need('health')} | ${fmt(healthConflict(sizes, load, DESIGN_SHARDS).conflictProbability * 100, 1)} % | ${fmt(c.total, 2)} |`,
      );
    }
  return rows;
};

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '1000' },
    endpoints: { type: 'string', default: '1' },
    failure: { type: 'string', default: '0.1' },
    'max-attempts': { type: 'string', default: String(defaultRetryPolicy.maxAttempts) },
    table: { type: 'boolean', default: false },
  },
});
const num = (name: string, v: string, ok: (n: number) => boolean): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || !ok(n)) {
    console.error(`capacity: --${name} ${JSON.stringify(v)} is not valid`);
    process.exit(2);
  }
  return n;
};
const sizes = measuredSizes();
const endpoints = num('endpoints', values.endpoints, (n) => Number.isInteger(n) && n >= 1);
const lines = values.table
  ? readmeTable(sizes, endpoints)
  : report(sizes, {
      rate: num('rate', values.rate, (n) => n > 0),
      endpoints,
      failure: num('failure', values.failure, (n) => n >= 0 && n < 1),
      maxAttempts: num('max-attempts', values['max-attempts'], (n) => Number.isInteger(n) && n >= 1 && n <= 100),
    });
console.log(lines.join('\n'));
