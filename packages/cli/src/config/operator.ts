import { AnyString, type DecodeError, type EnvSource, optionalVar, readEnv } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';

// Who an audited change (re-drive, expunge) is recorded as: --by, else the environment's
// operator name, else the login name. One rule for every command that writes an event.

const readOperatorEnv = readEnv('configuration', {
  DH_OPERATOR: optionalVar(AnyString),
  USER: optionalVar(AnyString),
  LOGNAME: optionalVar(AnyString),
});

/** `--by`, else DH_OPERATOR, USER or LOGNAME; `unknown` when none says (the event still records why and when). */
export const operatorOf = (by: string | undefined, env: EnvSource): E.Either<DecodeError, string> =>
  E.map(
    (e: { DH_OPERATOR?: string | undefined; USER?: string | undefined; LOGNAME?: string | undefined }) =>
      by ?? e.DH_OPERATOR ?? e.USER ?? e.LOGNAME ?? 'unknown',
  )(readOperatorEnv(env));
