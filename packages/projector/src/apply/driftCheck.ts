import {
  describeTransitionError,
  diffProjection,
  fold,
  projectionFields,
  type RedriveItem,
  type StateItem,
  seedOf,
} from '@delivery-history/core';
import { describeStoreError, type Store, type StoreError } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import type { ProjectorDeps } from './deps.js';

/** What the check found: `skipped` with why, or the drifting fields ([] = STATE equals fold). */
export type DriftResult =
  | { readonly _tag: 'Skipped'; readonly reason: string }
  | { readonly _tag: 'Checked'; readonly drift: readonly string[] };

const skipped = (reason: string): DriftResult => ({ _tag: 'Skipped', reason });

/**
 * Whether this apply runs the drift check: a sample at `driftCheckRate` (0 = never, 1 = every
 * apply) of the applies that appended something, up to `driftCheckMaxAttempts`. Detection
 * stays with `dh verify` and replay; the sample is an early warning, off the common path.
 */
export const sampleDriftCheck = (deps: ProjectorDeps, appended: number, through: number): boolean =>
  appended > 0 &&
  through <= deps.driftCheckMaxAttempts &&
  deps.driftCheckRate > 0 &&
  (deps.driftCheckRate >= 1 || deps.random() < deps.driftCheckRate);

/** Every redrive STATE counts, from what the apply has read, or from the table when it lacks some. */
const redrivesOf = async (
  store: Store,
  messageId: string,
  s: StateItem,
  read: readonly RedriveItem[],
): Promise<E.Either<StoreError, readonly RedriveItem[]>> => {
  const known = read.filter((r) => r.redriveNumber <= s.redrives);
  return known.length >= s.redrives ? E.right(known) : store.listRedrives(messageId)();
};

/**
 * Compares STATE (as the apply read it, with the head) with `fold(attempts, redrives)` and
 * logs/counts a mismatch. Detection only: repairing STATE is replay's job
 * (`store.repairProjection`). Never fails the apply. Costs one Query of the attempts (and one
 * of the redrives when the apply did not read them).
 */
export const checkDrift = async (
  deps: ProjectorDeps,
  store: Store,
  messageId: string,
  state: E.Either<StoreError, StateItem | null>,
  read: readonly RedriveItem[],
): Promise<DriftResult> => {
  const { logger } = deps.telemetry;
  if (E.isLeft(state)) {
    logger.warn('drift check could not read STATE', { messageId, error: describeStoreError(state.left) });
    return skipped('state unreadable');
  }
  if (state.right === null) return skipped('no STATE');
  const s = state.right;
  // a live lease means the worker is between claim and append: STATE is legitimately ahead
  if (s.status === 'PROCESSING') return skipped('in flight');
  if (s.attempts > deps.driftCheckMaxAttempts) return skipped('too many attempts');
  // its HOLD events are not read here (one more Query); dh verify and replay fold them
  if ((s.holds ?? 0) > 0) return skipped('held');
  const known = await redrivesOf(store, messageId, s, read);
  if (E.isLeft(known)) return skipped(describeStoreError(known.left));
  const redrives = known.right.filter((r) => r.redriveNumber <= s.redrives);
  if (redrives.length < s.redrives) return skipped('redrive newer than the apply');
  const attempts = s.attempts === 0 ? E.right([]) : await store.listAttempts(messageId, 1, s.attempts)();
  if (E.isLeft(attempts)) return skipped(describeStoreError(attempts.left));
  deps.telemetry.count('DriftChecks');
  const folded = fold(seedOf(s), attempts.right, redrives);
  const drift = E.isLeft(folded)
    ? [`fold: ${describeTransitionError(folded.left)}`]
    : attempts.right.length !== s.attempts
      ? ['attempts']
      : diffProjection(projectionFields(folded.right), projectionFields(s));
  if (drift.length > 0) {
    deps.telemetry.count('ProjectionDrift');
    logger.warn('projection drift: STATE differs from fold(attempts)', {
      messageId,
      fields: drift,
      attempts: s.attempts,
    });
  }
  return { _tag: 'Checked', drift };
};
