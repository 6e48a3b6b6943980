import {
  HEADS_PER_BATCH,
  Invalid,
  type Store,
  type StoreError,
  type StoreResult,
  type StoreInput,
} from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { BatchGate } from './batchGate.js';

type AuditStep = StoreInput<'writeAuditStep', 1>;
type AuditWrite = StoreResult<'writeAuditStep'>;
type HeadAndState = StoreResult<'getHeadAndState'>;
type HealthWrite = NonNullable<StoreInput<'writeAuditStep', 2>>;
type StepWrite = StoreInput<'writeAuditSteps'>[number];

// The two store calls of an apply (read head + STATE, write a step), one message at a time
// (`soloIo`) or gathered across the batch's applies (`gatheredIo`: one BatchGetItem for the
// heads of the messages read together, one transaction for the steps written together, with
// their bucket ADDs summed: store's getHeadsAndStates and writeAuditSteps).

export type ApplyIo = {
  readonly readHeadAndState: (messageId: string) => TE.TaskEither<StoreError, HeadAndState>;
  readonly writeStep: (
    messageId: string,
    step: AuditStep,
    health: HealthWrite | null,
  ) => TE.TaskEither<StoreError, AuditWrite>;
};

export const soloIo = (store: Store): ApplyIo => ({
  readHeadAndState: (messageId) => store.getHeadAndState(messageId),
  writeStep: (messageId, step, health) => store.writeAuditStep(messageId, step, health),
});

/** Steps per call of the write lane (writeAuditSteps splits them into transactions that fit). */
const STEPS_PER_CALL = 100;

const failedAs =
  (op: string) =>
  (messageId: string, e: unknown): E.Either<StoreError, never> =>
    E.left(Invalid({ op, messageId }, `not done: ${e instanceof Error ? e.message : String(e)}`));

export const gatheredIo = (store: Store, gate: BatchGate): ApplyIo => {
  const read = gate.lane(
    (ids: readonly string[]) => store.getHeadsAndStates(ids)(),
    HEADS_PER_BATCH,
    failedAs('getHeadsAndStates'),
  );
  const write = gate.lane(
    (writes: readonly StepWrite[]) => store.writeAuditSteps(writes)(),
    STEPS_PER_CALL,
    (w: StepWrite, e) => failedAs('writeAuditSteps')(w.messageId, e),
  );
  return {
    readHeadAndState: (messageId) => () => read(messageId),
    // a step without counts is one single-item write: nothing to share (a transaction bills twice)
    writeStep: (messageId, step, health) =>
      health === null || health.deltas.length === 0
        ? store.writeAuditStep(messageId, step, health)
        : () => write({ messageId, step, health }),
  };
};
