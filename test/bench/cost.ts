import type { Row } from './support/report.js';
import { round } from './support/stats.js';

// AWS cost on paper, from units counted by the bench (requests, read/write units) and the
// functions' configured memory. Prices: us-east-1, on-demand, from AWS's public price pages
// as the author knew them (DynamoDB's on-demand prices after the November 2024 cut; Lambda
// arm64), not looked up on the day of the run: check before quoting.

export const PRICES = {
  asOf: '2025 (AWS public price pages, us-east-1, as known to the author; not re-checked on the run date)',
  /** DynamoDB on-demand, per million write request units. */
  writeRequestUnit: 0.625,
  /** DynamoDB on-demand, per million read request units. */
  readRequestUnit: 0.125,
  /** Lambda arm64, per GB-second. */
  lambdaGbSecond: 0.0000133334,
  /** Lambda, per million invocations. */
  lambdaRequest: 0.2,
} as const;

/** infra/src/stackConfig.ts defaults. */
export const FUNCTIONS = {
  worker: { memoryMb: 512, batchSize: 10 },
  projector: { memoryMb: 256, batchSize: 100 },
} as const;

export type UnitsPerDelivery = {
  readonly requests: number;
  readonly rcu: number;
  readonly wcu: number;
  /** Of those, units the support indexes took. */
  readonly indexUnits: number;
  /** Function time per delivery (ms), as measured here: an upper bound for AWS's faster calls. */
  readonly msPerDelivery: number;
};

export const costPerMillion = (fn: keyof typeof FUNCTIONS, u: UnitsPerDelivery) => {
  const f = FUNCTIONS[fn];
  const gbSeconds = (f.memoryMb / 1024) * (u.msPerDelivery / 1000);
  const dynamo = u.wcu * PRICES.writeRequestUnit + u.rcu * PRICES.readRequestUnit;
  const lambda = gbSeconds * 1e6 * PRICES.lambdaGbSecond + PRICES.lambdaRequest / f.batchSize;
  return { gbSeconds, dynamo, lambda, total: dynamo + lambda };
};

export const costRows = (section: string, fn: keyof typeof FUNCTIONS, label: string, u: UnitsPerDelivery): Row[] => {
  const c = costPerMillion(fn, u);
  return [
    {
      section,
      metric: `${label}: per delivery requests / RCU / WCU (of them, index units) / Lambda GB-s`,
      value: `${round(u.requests, 2)} / ${round(u.rcu, 1)} / ${round(u.wcu, 1)} (${round(u.indexUnits, 1)}) / ${round(c.gbSeconds, 5)}`,
      unit: '',
      note: `${FUNCTIONS[fn].memoryMb} MB, ${round(u.msPerDelivery, 1)} ms per delivery as measured here`,
    },
    {
      section,
      metric: `${label}: USD per million deliveries (DynamoDB + Lambda)`,
      value: `${round(c.dynamo, 2)} + ${round(c.lambda, 2)} = ${round(c.total, 2)}`,
      unit: 'USD',
      note: `on-demand prices ${PRICES.asOf}`,
    },
  ];
};
