import {
  describeTransitionError,
  diffProjection,
  fold,
  projectionFields,
  type RedriveItem,
  seedOf,
} from '@delivery-history/core';
import { describeStoreError, type Env, findState, listAttempts } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import type { ProjectorDeps } from './deps.js';

/** What the check found: `skipped` with why, or the drifting fields ([] = STATE equals fold). */
export type DriftResult =
  | { readonly _tag: 'Skipped'; readonly reason: string }
  | { readonly _tag: 'Checked'; readonly drift: readonly string[] };

const skipped = (reason: string): DriftResult => ({ _tag: 'Skipped', reason });

/**
 * Compares STATE with `fold(attempts, redrives)` and logs/counts a mismatch. Detection only:
 * repairing STATE is replay's job (`store.repairProjection`). Never fails the apply.
 * `redrives`: every redrive of the message, as read by the apply.
 */
export const checkDrift = async (
  deps: ProjectorDeps,
  env: Env,
  messageId: string,
  redrives: readonly RedriveItem[],
): Promise<DriftResult> => {
  const { logger } = deps.telemetry;
  const state = await findState(env, messageId, 'readState')();
  if (E.isLeft(state)) {
    logger.warn('drift check could not read STATE', { messageId, error: describeStoreError(state.left) });
    return skipped('state unreadable');
  }
  if (state.right === null) return skipped('no STATE');
  const s = state.right;
  // a live lease means the worker is between claim and append: STATE is legitimately ahead
  if (s.status === 'PROCESSING') return skipped('in flight');
  if (s.attempts > deps.driftCheckMaxAttempts) return skipped('too many attempts');
  const known = redrives.filter((r) => r.redriveNumber <= s.redrives);
  if (known.length < s.redrives) return skipped('redrive newer than the apply');
  const attempts = s.attempts === 0 ? E.right([]) : await listAttempts(env, messageId, 1, s.attempts)();
  if (E.isLeft(attempts)) return skipped(describeStoreError(attempts.left));
  deps.telemetry.count('DriftChecks');
  const folded = fold(seedOf(s), attempts.right, known);
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
