import type {
  AttemptItem,
  ExpungeItem,
  HoldItem,
  RedriveItem,
  RequeueItem,
  ResolutionItem,
  StateItem,
} from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Env } from '../env.js';
import { Corrupt, type ErrorContext, NotFound, type StoreError } from '../errors/storeError.js';
import { type AuditItem, classifyPartition, type Partition } from '../query/partition.js';
import { readPartition } from './readPartition.js';

export type History = {
  readonly state: StateItem;
  /** By attemptNumber. */
  readonly attempts: AttemptItem[];
  /** By redriveNumber. */
  readonly redrives: RedriveItem[];
  /** Hold events (held with its reason, released, expired), by holdNumber. */
  readonly holds: HoldItem[];
  /** Real outcomes of lost attempts that arrived after the takeover, by attempt number. */
  readonly resolutions: ResolutionItem[];
  /** By segment; decode with `decodeAuditTrail`. */
  readonly audit: AuditItem[];
  /** EXPUNGE#k events (who, why, when), by number. */
  readonly expunges: ExpungeItem[];
  /** REQUEUE# events (stalled messages pushed again: who, why, when), by time. */
  readonly requeues: RequeueItem[];
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
