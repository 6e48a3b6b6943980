import { HoldItem, RequeueItem } from '@delivery-history/core';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { Env } from '../env.js';
import type { StoreError } from '../errors/storeError.js';
import { HOLD_PREFIX, REQUEUE_PREFIX } from '../keys.js';
import { listEventItems } from './listRedrives.js';

/** Every hold event of a message (held, released, expired), in order (= holdNumber). */
export const listHolds = (env: Env, messageId: string): TE.TaskEither<StoreError, HoldItem[]> =>
  listEventItems(env, { op: 'listHolds', messageId }, messageId, HOLD_PREFIX, HoldItem);

/** Every requeue of a message (by time; a requeue's number is its order among them). */
export const listRequeues = (env: Env, messageId: string): TE.TaskEither<StoreError, RequeueItem[]> =>
  listEventItems(env, { op: 'listRequeues', messageId }, messageId, REQUEUE_PREFIX, RequeueItem);
