import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { UsageError } from '../args/usageError.js';

// Where the CLI reads and writes: environment first (the same variables the Lambdas use),
// flags override. Read once per command through this one typed reader.

export const DEFAULT_TABLE = 'delivery-history';

export type Config = {
  readonly tableName: string;
  /** DynamoDB endpoint; null = AWS's regional endpoint. */
  readonly endpoint: string | null;
  readonly streamsEndpoint: string | null;
  readonly region: string | null;
  /** SQS queue for re-drives; null = deliver with the worker's local driver. */
  readonly queueUrl: string | null;
  readonly sqsEndpoint: string | null;
  /** True when anything pointed the CLI somewhere (env or flags): the demo then asks for --yes. */
  readonly configured: boolean;
};

export type ConfigFlags = {
  readonly table?: string | undefined;
  readonly endpointUrl?: string | undefined;
  readonly region?: string | undefined;
};

const Url = new t.Type<string, string, unknown>(
  'http(s) URL',
  (u): u is string => typeof u === 'string',
  (u, c) =>
    typeof u === 'string' && URL.canParse(u) && /^https?:$/.test(new URL(u).protocol) ? t.success(u) : t.failure(u, c),
  t.identity,
);
const TableName = new t.Type<string, string, unknown>(
  'table name (3..255 chars of [A-Za-z0-9_.-])',
  (u): u is string => typeof u === 'string',
  (u, c) => (typeof u === 'string' && /^[A-Za-z0-9_.-]{3,255}$/.test(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);
const opt = <C extends t.Mixed>(c: C) => t.union([c, t.undefined], c.name);

const Settings = t.type({
  DELIVERY_TABLE_NAME: opt(TableName),
  AWS_ENDPOINT_URL_DYNAMODB: opt(Url),
  AWS_ENDPOINT_URL_DYNAMODB_STREAMS: opt(Url),
  AWS_REGION: opt(t.string),
  DELIVERY_QUEUE_URL: opt(Url),
  AWS_ENDPOINT_URL_SQS: opt(Url),
});

const blankToUndefined = (v: string | undefined): string | undefined =>
  v === undefined || v.trim() === '' ? undefined : v.trim();

export const readConfig = (
  env: Readonly<Record<string, string | undefined>>,
  flags: ConfigFlags = {},
): E.Either<UsageError, Config> => {
  const merged = {
    DELIVERY_TABLE_NAME: blankToUndefined(flags.table) ?? blankToUndefined(env.DELIVERY_TABLE_NAME),
    AWS_ENDPOINT_URL_DYNAMODB: blankToUndefined(flags.endpointUrl) ?? blankToUndefined(env.AWS_ENDPOINT_URL_DYNAMODB),
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: blankToUndefined(env.AWS_ENDPOINT_URL_DYNAMODB_STREAMS),
    AWS_REGION: blankToUndefined(flags.region) ?? blankToUndefined(env.AWS_REGION),
    DELIVERY_QUEUE_URL: blankToUndefined(env.DELIVERY_QUEUE_URL),
    AWS_ENDPOINT_URL_SQS: blankToUndefined(env.AWS_ENDPOINT_URL_SQS),
  };
  const decoded = Settings.decode(merged);
  if (E.isLeft(decoded)) {
    const bad = decoded.left
      .map(
        (e) =>
          `${e.context[1]?.key ?? '?'}: expected ${e.context[1]?.type.name ?? 'a value'}, got "${String(e.value)}"`,
      )
      .filter((s, i, all) => all.indexOf(s) === i);
    return E.left(UsageError(`configuration: ${bad.join('; ')}`));
  }
  const s = decoded.right;
  const endpoint = s.AWS_ENDPOINT_URL_DYNAMODB ?? null;
  return E.right({
    tableName: s.DELIVERY_TABLE_NAME ?? DEFAULT_TABLE,
    endpoint,
    // Flag --endpoint-url moves both: DynamoDB Local serves streams on the same port.
    streamsEndpoint: flags.endpointUrl !== undefined ? endpoint : (s.AWS_ENDPOINT_URL_DYNAMODB_STREAMS ?? endpoint),
    region: s.AWS_REGION ?? null,
    queueUrl: s.DELIVERY_QUEUE_URL ?? null,
    sqsEndpoint: s.AWS_ENDPOINT_URL_SQS ?? null,
    // AWS_REGION alone does not count: many shells set it for everything.
    configured: endpoint !== null || s.DELIVERY_TABLE_NAME !== undefined,
  });
};
