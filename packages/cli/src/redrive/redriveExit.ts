import type { RedriveReport } from './redrive.js';
import { CheckFailed, type CliFailure, Interrupted, NotFound } from '../kit/failure.js';

/**
 * How a re-drive ends, the one rule for its exit code and for the code its summary line
 * states: interrupted (130) first, then a failed action or a delivery that ended FAILED (1),
 * then nothing found (1); null is success.
 */
export const redriveFailure = (r: RedriveReport): CliFailure | null => {
  if (r.interrupted) return Interrupted;
  if (r.actions.failed > 0 || (r.outcomes?.failed ?? 0) > 0) return CheckFailed;
  return r.considered === 0 || r.actions['not-found'] > 0 ? NotFound(null) : null;
};
