import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Env } from '../env.js';
import type { StoreError } from '../errors/storeError.js';

/** Structured attributes of an error: messageId, attempt, correlationId, codes, item. */
export const logAttributes = (e: StoreError): Record<string, unknown> => ({
  op: e.op,
  messageId: e.messageId,
  attempt: e.attemptNumber,
  correlationId: e.correlationId,
  errorCode: e.code,
  dynamoErrorCode: e.awsCode,
  item: e.item,
  error: e.message,
});

// refusals are the protocol working as designed; infrastructure failures are errors
const LEVEL: Record<StoreError['_tag'], 'info' | 'warn' | 'error'> = {
  NotFound: 'info',
  AlreadyFinal: 'info',
  Leased: 'info',
  NotDue: 'info',
  NotRedrivable: 'info',
  Conflict: 'warn',
  Throttled: 'error',
  Transient: 'error',
  TooLarge: 'error',
  Invalid: 'error',
  Corrupt: 'error',
  Unexpected: 'error',
};

/** Logs an operation's final failure exactly once, at a level matching its kind. */
export const observe =
  (env: Env) =>
  <A>(te: TE.TaskEither<StoreError, A>): TE.TaskEither<StoreError, A> =>
    pipe(
      te,
      TE.mapLeft((e) => {
        env.logger[LEVEL[e._tag]](`store ${e.op} failed: ${e.code}`, logAttributes(e));
        return e;
      }),
    );
