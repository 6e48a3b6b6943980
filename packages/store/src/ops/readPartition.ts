import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { Env } from '../env.js';
import type { StoreError } from '../errors/storeError.js';
import { messagePk } from '../keys.js';
import type { RawItem } from '../query/partition.js';
import { queryAll } from './listAttempts.js';

/**
 * Every item of one message (its whole partition), as stored, in sort-key order: one
 * Query on `pk`, paged, strongly consistent, retried through the funnel. Classify with
 * `classifyPartition`.
 */
export const readPartition = (
  env: Env,
  messageId: string,
  op = 'readPartition',
): TE.TaskEither<StoreError, RawItem[]> =>
  queryAll(
    env,
    { op, messageId },
    {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': messagePk(messageId) },
      ConsistentRead: true,
    },
  );
