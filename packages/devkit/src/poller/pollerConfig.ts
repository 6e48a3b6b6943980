import { AnyString, type EnvSource, intString, optionalVar, readEnv, withDefault } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import {
  type ConfigError,
  PROJECTOR_ENV,
  type ProjectorConfig,
  projectorConfigOf,
  toConfigError,
} from '@delivery-history/projector';

/** The projector's configuration plus the poller's own knobs. */
export type PollerConfig = ProjectorConfig & {
  /** When absent, the table's `LatestStreamArn`. */
  readonly streamArn: string | undefined;
  readonly batchLimit: number;
  readonly idleBackoffMs: number;
  readonly maxIdleBackoffMs: number;
};

// One record with the projector's variables, so one message names every bad one.
const readPollerEnv = readEnv('poller environment', {
  ...PROJECTOR_ENV,
  DH_PROJECTOR_STREAM_ARN: optionalVar(AnyString),
  DH_PROJECTOR_BATCH_LIMIT: withDefault(intString(1, 1000), 1000),
  DH_PROJECTOR_IDLE_BACKOFF_MS: withDefault(intString(1, 60_000, 'ms'), 100),
  DH_PROJECTOR_MAX_IDLE_BACKOFF_MS: withDefault(intString(1, 600_000, 'ms'), 2000),
});

export const readPollerConfig = (env: EnvSource): E.Either<ConfigError, PollerConfig> =>
  pipe(
    readPollerEnv(env),
    E.bimap(toConfigError, (v) => ({
      ...projectorConfigOf(v),
      streamArn: v.DH_PROJECTOR_STREAM_ARN,
      batchLimit: v.DH_PROJECTOR_BATCH_LIMIT,
      idleBackoffMs: v.DH_PROJECTOR_IDLE_BACKOFF_MS,
      maxIdleBackoffMs: v.DH_PROJECTOR_MAX_IDLE_BACKOFF_MS,
    })),
  );
