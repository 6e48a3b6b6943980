// Key shapes of the items the projector reads and writes: the store's (one layout for all).
import { tableKeys } from '@delivery-history/store';

export const { ATTEMPT_PREFIX, attemptSk, HOLD_PREFIX, holdSk, MOVE_PREFIX, messagePk, moveKey, redriveSk } = tableKeys;
