import type { Row } from './support/report.js';
import { round } from './support/stats.js';

// AWS cost on paper, from units counted by the bench (requests, read/write units) and the
// functions' configured memory. Prices: us-east-1, on-demand (DynamoDB's after the November
// 2024 cut; Lambda arm64), looked up on 2026-12-01 in what the stored pages hold: the AWS
// News Blog's on-demand post (updated 2025-01-31 for the cut), AWS's Lambda pricing page and
// price summaries that agree with them. Check the price pages before quoting.

export const PRICES = {
  asOf: 'us-east-1 on-demand, looked up 2026-12-01 (AWS News Blog on the Nov 2024 cut, Lambda pricing page)',
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
