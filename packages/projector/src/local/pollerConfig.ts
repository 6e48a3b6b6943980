import { decodeWith } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import { type ConfigError, intVar, type ProjectorConfig, readConfig } from '../config.js';

/** The projector's configuration plus the poller's own knobs. */
export type PollerConfig = ProjectorConfig & {
  /** When absent, the table's `LatestStreamArn`. */
  readonly streamArn: string | undefined;
  readonly batchLimit: number;
  readonly idleBackoffMs: number;
  readonly maxIdleBackoffMs: number;
};

const PollerEnv = t.type(
  {
    DH_PROJECTOR_STREAM_ARN: t.union([t.string, t.undefined]),
    DH_PROJECTOR_BATCH_LIMIT: intVar(1, 1000),
    DH_PROJECTOR_IDLE_BACKOFF_MS: intVar(1, 60_000),
    DH_PROJECTOR_MAX_IDLE_BACKOFF_MS: intVar(1, 600_000),
  },
  'poller environment',
);

export const readPollerConfig = (
  env: Readonly<Record<string, string | undefined>>,
): E.Either<ConfigError, PollerConfig> =>
  pipe(
    readConfig(env),
    E.chain((base) =>
      pipe(
        decodeWith(PollerEnv, env),
        E.mapLeft((e): ConfigError => ({ _tag: 'ConfigError', message: e.message })),
        E.map((v) => ({
          ...base,
          streamArn: v.DH_PROJECTOR_STREAM_ARN === '' ? undefined : v.DH_PROJECTOR_STREAM_ARN,
          batchLimit: v.DH_PROJECTOR_BATCH_LIMIT ?? 1000,
          idleBackoffMs: v.DH_PROJECTOR_IDLE_BACKOFF_MS ?? 100,
          maxIdleBackoffMs: v.DH_PROJECTOR_MAX_IDLE_BACKOFF_MS ?? 2000,
        })),
      ),
    ),
  );
