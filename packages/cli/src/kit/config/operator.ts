import { AnyString, type DecodeError, type EnvSource, optionalVar, readEnv } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';

// Who an audited change (re-drive, expunge) is recorded as: --by, else the environment's
// operator name, else the login name. One rule for every command that writes an event. A
// command's --by already carries DH_OPERATOR (its declared variable, read by the parser); it
// is read here too for callers without a --by flag (the console).

const readOperatorEnv = readEnv('configuration', {
  DH_OPERATOR: optionalVar(AnyString),
  USER: optionalVar(AnyString),
  LOGNAME: optionalVar(AnyString),
});

/** Who is recorded when nothing says (the event still records why and when). */
const UNKNOWN_OPERATOR = 'unknown';

/**
 * `--by`, else DH_OPERATOR, USER or LOGNAME; UNKNOWN_OPERATOR when none says, and then
 * `warn` is told (an audited change is never recorded as "unknown" silently).
 */
export const operatorOf = (
  by: string | undefined,
  env: EnvSource,
  warn: (line: string) => void,
): E.Either<DecodeError, string> =>
  E.map((e: { DH_OPERATOR?: string | undefined; USER?: string | undefined; LOGNAME?: string | undefined }) => {
    const who = by ?? e.DH_OPERATOR ?? e.USER ?? e.LOGNAME;
    if (who !== undefined) return who;
    warn(`dh: warning: no operator name (--by, DH_OPERATOR, USER or LOGNAME): recorded as "${UNKNOWN_OPERATOR}"\n`);
    return UNKNOWN_OPERATOR;
  })(readOperatorEnv(env));
