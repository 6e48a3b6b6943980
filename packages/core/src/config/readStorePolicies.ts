import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { DecodeError } from '../codecs/decodeWith.js';
import { defaultRetryPolicy, makeRetryPolicy, type RetryPolicy } from '../outcome/retryPolicy.js';
import { makeSecretPolicy, type SecretPolicy, secretSettingsFromEnv } from '../redaction/policy.js';
import { withDefault } from '../codecs/primitives.js';
import { type EnvSource, readEnv } from './readEnv.js';
import { sharedVars } from './sharedVars.js';

// The two policies the store owns (it classifies outcomes and redacts requests by them), read
// once from the environment by whoever builds a store: the worker, the CLI, the local stack.
// The same variables and defaults as the worker's reader, so every store agrees with it.

export type StorePolicies = { readonly retry: RetryPolicy; readonly secrets: SecretPolicy };

const readRetryEnv = readEnv('configuration', {
  DELIVERY_MAX_ATTEMPTS: withDefault(sharedVars.DELIVERY_MAX_ATTEMPTS, defaultRetryPolicy.maxAttempts),
  DELIVERY_BACKOFF_BASE_MS: withDefault(sharedVars.DELIVERY_BACKOFF_BASE_MS, defaultRetryPolicy.baseMs),
  DELIVERY_BACKOFF_MAX_MS: withDefault(sharedVars.DELIVERY_BACKOFF_MAX_MS, defaultRetryPolicy.maxMs),
});

/** DELIVERY_MAX_ATTEMPTS, DELIVERY_BACKOFF_*, DELIVERY_REDACT_* and DELIVERY_KEEP_RESPONSE_HEADERS. */
export const readStorePolicies = (env: EnvSource): E.Either<DecodeError, StorePolicies> =>
  pipe(
    readRetryEnv(env),
    E.map((e) =>
      makeRetryPolicy({
        maxAttempts: e.DELIVERY_MAX_ATTEMPTS,
        baseMs: e.DELIVERY_BACKOFF_BASE_MS,
        maxMs: e.DELIVERY_BACKOFF_MAX_MS,
      }),
    ),
    E.chain((retry) =>
      pipe(
        secretSettingsFromEnv(env),
        E.chain(makeSecretPolicy),
        E.bimap(
          (reason) => DecodeError(`invalid configuration: ${reason}`, []),
          (secrets) => ({ retry, secrets }),
        ),
      ),
    ),
  );
