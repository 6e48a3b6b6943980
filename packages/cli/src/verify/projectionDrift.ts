import {
  type AttemptItem,
  type HoldItem,
  describeTransitionError,
  diffProjection,
  fold,
  type ProjectionField,
  type RedriveItem,
  seedOf,
  type StateItem,
} from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';

// Invariant 6, projection half: STATE's projection fields == fold(attempts, redrives, holds).

export type FieldDrift = { readonly field: ProjectionField; readonly stored: unknown; readonly expected: unknown };

export type ProjectionCheck = {
  /** What STATE should be (the fold); the repair writes its projection fields. */
  readonly expected: StateItem;
  readonly fields: ReadonlyArray<FieldDrift>;
};

/**
 * A claim moves STATE to PROCESSING with a lease and records no event, so fold cannot see
 * it: a leased PROCESSING state matches a fold that is due (PENDING, or FAILED and
 * retry-eligible) as long as every other field agrees.
 */
const claimExplains = (stored: StateItem, folded: StateItem): boolean =>
  stored.status === 'PROCESSING' &&
  stored.lease !== null &&
  (folded.status === 'PENDING' || (folded.status === 'FAILED' && folded.retryEligible));

export const checkProjection = (
  state: StateItem,
  attempts: ReadonlyArray<AttemptItem>,
  redrives: ReadonlyArray<RedriveItem>,
  holds: ReadonlyArray<HoldItem> = [],
): E.Either<string, ProjectionCheck> => {
  const folded = fold(seedOf(state), attempts, redrives, holds);
  if (E.isLeft(folded)) return E.left(`attempts do not fold: ${describeTransitionError(folded.left)}`);
  const expected = folded.right;
  const fields = diffProjection(state, expected)
    .filter((f) => !(f === 'status' && claimExplains(state, expected)))
    .map((field) => ({ field, stored: state[field], expected: expected[field] }));
  return E.right({ expected, fields });
};

/** Attempt numbers must be exactly 1..n and STATE.attempts must be n (invariant 1). */
export const checkDenseAttempts = (state: StateItem, attempts: ReadonlyArray<AttemptItem>): string[] => {
  const numbers = attempts.map((a) => a.attemptNumber).sort((a, b) => a - b);
  const problems: string[] = [];
  const wrong = numbers.findIndex((n, i) => n !== i + 1);
  if (wrong >= 0)
    problems.push(
      `attempt numbers are not 1..${numbers.length}: ${numbers.slice(Math.max(0, wrong - 1), wrong + 3).join(', ')}`,
    );
  if (state.attempts !== numbers.length)
    problems.push(`STATE.attempts is ${state.attempts} but ${numbers.length} attempts are stored`);
  return problems;
};
