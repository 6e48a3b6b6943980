import {
  type DecodeError,
  type EnvSource,
  envValue,
  optionalVar,
  readEnv,
  readStorePolicies,
  type StorePolicies,
  sharedVars,
} from '@delivery-history/core';
import { DEFAULT_TABLE_NAME } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';

// Where the CLI reads and writes: environment first (the same variables, and rules, as the
// Lambdas: core's reader), flags override. Read once per command.

export type Config = {
  readonly tableName: string;
  /** DynamoDB endpoint; null = AWS's regional endpoint. */
  readonly endpoint: string | null;
  readonly streamsEndpoint: string | null;
  readonly region: string | null;
  /** SQS queue for re-drives; null = deliver with the worker's local driver. */
  readonly queueUrl: string | null;
  readonly sqsEndpoint: string | null;
  /** DELIVERY_RETENTION_DAYS, as the Lambdas have it: what replay's rewrites (health buckets) carry as TTL. */
  readonly retentionDays: number | null;
  /** True when anything pointed the CLI somewhere (env or flags): the demo then asks for --yes. */
  readonly configured: boolean;
  /** The store's retry and secret policies, as the worker reads them (core's reader): verify, expunge, local delivery. */
  readonly policies: StorePolicies;
};

export type ConfigFlags = {
  readonly table?: string | undefined;
  readonly endpointUrl?: string | undefined;
  readonly region?: string | undefined;
};

/** The CLI's variables: all optional; the table default is applied after (see `configured`). */
export const CLI_ENV = {
  DELIVERY_TABLE_NAME: optionalVar(sharedVars.DELIVERY_TABLE_NAME),
  AWS_ENDPOINT_URL_DYNAMODB: optionalVar(sharedVars.AWS_ENDPOINT_URL_DYNAMODB),
  AWS_ENDPOINT_URL_DYNAMODB_STREAMS: optionalVar(sharedVars.AWS_ENDPOINT_URL_DYNAMODB_STREAMS),
  AWS_REGION: optionalVar(sharedVars.AWS_REGION),
  DELIVERY_QUEUE_URL: optionalVar(sharedVars.DELIVERY_QUEUE_URL),
  AWS_ENDPOINT_URL_SQS: optionalVar(sharedVars.AWS_ENDPOINT_URL_SQS),
  DELIVERY_RETENTION_DAYS: optionalVar(sharedVars.DELIVERY_RETENTION_DAYS),
};

const readCliEnv = readEnv('configuration', CLI_ENV);

/** A flag wins over its variable unless it is blank (the same blank rule as the variable's). */
const flagOver = (flag: string | undefined, variable: string | undefined): string | undefined =>
  envValue(flag) ?? variable;

export const readConfig = (env: EnvSource, flags: ConfigFlags = {}): E.Either<DecodeError, Config> =>
  pipe(
    readCliEnv({
      ...env,
      DELIVERY_TABLE_NAME: flagOver(flags.table, env.DELIVERY_TABLE_NAME),
      AWS_ENDPOINT_URL_DYNAMODB: flagOver(flags.endpointUrl, env.AWS_ENDPOINT_URL_DYNAMODB),
      AWS_REGION: flagOver(flags.region, env.AWS_REGION),
    }),
    E.chain((s) => E.map((policies: StorePolicies) => ({ s, policies }))(readStorePolicies(env))),
    E.map(({ s, policies }) => {
      const endpoint = s.AWS_ENDPOINT_URL_DYNAMODB ?? null;
      return {
        policies,
        tableName: s.DELIVERY_TABLE_NAME ?? DEFAULT_TABLE_NAME,
        endpoint,
        // Flag --endpoint-url moves both: DynamoDB Local serves streams on the same port.
        streamsEndpoint: flags.endpointUrl !== undefined ? endpoint : (s.AWS_ENDPOINT_URL_DYNAMODB_STREAMS ?? endpoint),
        region: s.AWS_REGION ?? null,
        queueUrl: s.DELIVERY_QUEUE_URL ?? null,
        sqsEndpoint: s.AWS_ENDPOINT_URL_SQS ?? null,
        retentionDays: s.DELIVERY_RETENTION_DAYS ?? null,
        // AWS_REGION alone does not count: many shells set it for everything.
        configured: endpoint !== null || s.DELIVERY_TABLE_NAME !== undefined,
      };
    }),
  );
