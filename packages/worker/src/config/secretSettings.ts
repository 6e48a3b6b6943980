import { DecodeError, makeSecretPolicy, type SecretPolicy, secretSettingsFromEnv } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';

// ---------------------------------------------------------------------------
// The secret policy's four settings (comma-separated lists, unset = built-ins only):
//   DELIVERY_REDACT_HEADERS         more credential header names (`*` wildcards)
//   DELIVERY_REDACT_PARAMS          more query / matrix parameter names (`*` wildcards)
//   DELIVERY_REDACT_PATHS           path templates, e.g. `hooks.example.com/in/*/{secret}`
//   DELIVERY_KEEP_RESPONSE_HEADERS  more response headers to store (credential ones never are)
// Parsed by core (the CLI reads the same variables for `dh verify`).
// ---------------------------------------------------------------------------

/** The policy the environment asks for; a bad entry is a DecodeError naming the variable. */
export const readSecretPolicy = (
  env: Readonly<Record<string, string | undefined>>,
): E.Either<DecodeError, SecretPolicy> =>
  pipe(
    secretSettingsFromEnv(env),
    E.chain(makeSecretPolicy),
    E.mapLeft((reason) => DecodeError(`invalid worker environment: ${reason}`, [])),
  );
