import type { StateItem } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Env } from '../env.js';
import { Corrupt, type ErrorContext, NotFound, type StoreError } from '../errors/storeError.js';
import { classifyPartition, type Partition } from '../query/partition.js';
import { readPartition } from './readPartition.js';

/** A message's items by kind (the partition as classified), with its STATE. */
export type History = Omit<Partition, 'messageId' | 'state' | 'expired' | 'corrupt' | 'unknown'> & {
  readonly state: StateItem;
};

// history is for a person: the first item that does not decode is the answer (verify lists them all)
const historyOf = (p: Partition, ctx: ErrorContext): E.Either<StoreError, History> => {
  const [bad] = p.corrupt;
  if (bad !== undefined) return E.left(Corrupt({ ...ctx, item: bad.sk, cause: bad.cause }, bad.message));
  // an expired partition is gone as a whole (retention), even before DynamoDB deletes it
  if (p.state === null) return E.left(NotFound(ctx));
  return E.right({
    state: p.state,
    attempts: p.attempts,
    redrives: p.redrives,
    holds: p.holds,
    resolutions: p.resolutions,
    audit: p.audit,
    expunges: p.expunges,
    requeues: p.requeues,
  });
};

/** A message's whole history: one (paginated, consistent) Query on its partition. */
export const getHistory = (env: Env, messageId: string): TE.TaskEither<StoreError, History> => {
  const ctx: ErrorContext = { op: 'getHistory', messageId };
  return pipe(
    readPartition(env, messageId, ctx.op),
    TE.chainEitherK((items) => historyOf(classifyPartition(messageId, items, env.clock()), ctx)),
  );
};
