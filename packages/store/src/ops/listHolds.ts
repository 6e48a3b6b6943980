import { HoldItem } from '@delivery-history/core';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { Env } from '../env.js';
import type { StoreError } from '../errors/storeError.js';
import { HOLD_PREFIX } from '../keys.js';
import { listEventItems } from './listRedrives.js';

/** Every hold event of a message (held, released, expired), in order (= holdNumber). */
export const listHolds = (env: Env, messageId: string): TE.TaskEither<StoreError, HoldItem[]> =>
  listEventItems(env, { op: 'listHolds', messageId }, messageId, HOLD_PREFIX, HoldItem);
