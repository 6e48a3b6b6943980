// Key shapes of the items the projector reads and writes: the store's (one layout for all).
export {
  ATTEMPT_PREFIX,
  attemptSk,
  HOLD_PREFIX,
  holdSk,
  MOVE_PREFIX,
  messagePk,
  moveKey,
  redriveSk,
} from '@delivery-history/store';
