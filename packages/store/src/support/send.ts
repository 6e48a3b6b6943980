import { backoffDelayMs } from '@delivery-history/core';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import * as E from 'fp-ts/lib/Either.js';
import type { Env } from '../env.js';
import type { ErrorContext, StoreError } from '../errors/storeError.js';
import { toStoreError } from '../errors/toStoreError.js';
import { logAttributes } from './observe.js';

const retryable = (e: StoreError): boolean => e._tag === 'Throttled' || e._tag === 'Transient';

/**
 * The one bridge from SDK promises: runs `run` (which must send the SAME request each time:
 * same input, same ClientRequestToken, so a timeout after commit cannot apply twice),
 * retrying Throttled/Transient errors with core's infrastructure backoff (capped exponential,
 * full jitter).
 * Each retried failure is logged once (warn); the final failure is returned, and logged
 * once by the operation (see observe.ts).
 */
export const send =
  <A>(
    // only the retry settings and ports: the stream tail sends through here without a table Env
    env: Pick<Env, 'retry' | 'random' | 'sleep' | 'logger'>,
    ctx: ErrorContext,
    labels: ReadonlyArray<string>,
    run: () => Promise<A>,
  ): TE.TaskEither<StoreError, A> =>
  async () => {
    const mapError = toStoreError(ctx, labels);
    for (let retry = 0; ; retry++) {
      try {
        return E.right(await run());
      } catch (thrown) {
        const error = mapError(thrown);
        if (!retryable(error) || retry >= env.retry.maxRetries) return E.left(error);
        const delayMs = backoffDelayMs(retry + 1, env.retry, env.random);
        env.logger.warn('dynamodb call failed, retrying', { ...logAttributes(error), retry: retry + 1, delayMs });
        await env.sleep(delayMs);
      }
    }
  };
