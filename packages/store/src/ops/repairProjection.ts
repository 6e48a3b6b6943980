import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { StateItem } from '@delivery-history/core';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Env } from '../env.js';
import { Conflict, type ErrorContext, Invalid, Leased, type StoreError } from '../errors/storeError.js';
import { isConditionFailure } from '../errors/toStoreError.js';
import { failedIndexKeys, inFailedIndex, indexSk, STATE_SK, stateKey } from '../keys.js';
import { decodeItem } from '../support/decode.js';
import { send } from '../support/send.js';

/**
 * Writes the folded projection over STATE, but only if STATE is still exactly what the
 * caller read (status, attempts, redrives, lastUpdatedAt, lease): a live append, claim or
 * redrive that happened since wins, and the repair reports Conflict instead of clobbering it.
 */
export const repairProjection = (
  env: Env,
  messageId: string,
  expected: StateItem,
  observed: StateItem,
): TE.TaskEither<StoreError, StateItem> => {
  const ctx: ErrorContext = {
    op: 'repairProjection',
    messageId,
    correlationId: observed.correlationId,
    item: STATE_SK,
  };
  if (expected.messageId !== messageId || observed.messageId !== messageId) {
    return TE.left(Invalid(ctx, 'expected/observed state is for another message'));
  }
  const now = env.clock().toISOString();
  if (observed.lease !== null && observed.lease.expiresAt > now) {
    return TE.left(Leased({ ...ctx, expiresAt: observed.lease.expiresAt }));
  }
  const failed = inFailedIndex(expected.status);
  const gsi1 = failed ? failedIndexKeys(messageId, expected.lastUpdatedAt) : undefined;
  return pipe(
    send(env, ctx, [STATE_SK], () =>
      env.doc.send(
        new UpdateCommand({
          TableName: env.tableName,
          Key: stateKey(messageId),
          UpdateExpression:
            'SET #status = :status, attempts = :attempts, deliveryResult = :result, lastDeliveryAttempt = :lda, ' +
            'lastUpdatedAt = :lu, retryEligible = :re, nextAttemptAt = :na, maxAttempts = :max, redrives = :redrives, ' +
            `lease = :lease, gsi2sk = :gsi2sk${gsi1 ? ', gsi1pk = :gsi1pk, gsi1sk = :gsi1sk' : ' REMOVE gsi1pk, gsi1sk'}`,
          ConditionExpression:
            '#status = :oStatus AND attempts = :oAttempts AND redrives = :oRedrives AND lastUpdatedAt = :oLu AND ' +
            (observed.lease === null ? 'attribute_type(lease, :nullType)' : 'lease.leaseId = :oLease'),
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': expected.status,
            ':attempts': expected.attempts,
            ':result': expected.deliveryResult,
            ':lda': expected.lastDeliveryAttempt,
            ':lu': expected.lastUpdatedAt,
            ':re': expected.retryEligible,
            ':na': expected.nextAttemptAt,
            ':max': expected.maxAttempts,
            ':redrives': expected.redrives,
            ':lease': expected.lease,
            // byEndpoint is keyed at creation (a row older writers keyed by lastUpdatedAt moves once)
            ':gsi2sk': indexSk(expected.createdAt, messageId),
            ...(gsi1 ? { ':gsi1pk': gsi1.gsi1pk, ':gsi1sk': gsi1.gsi1sk } : {}),
            ':oStatus': observed.status,
            ':oAttempts': observed.attempts,
            ':oRedrives': observed.redrives,
            ':oLu': observed.lastUpdatedAt,
            ...(observed.lease === null ? { ':nullType': 'NULL' } : { ':oLease': observed.lease.leaseId }),
          },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    ),
    TE.chainEitherK((out) => decodeItem(StateItem, out.Attributes, ctx)),
    TE.mapLeft((e) =>
      isConditionFailure(e) ? Conflict(ctx, 'STATE changed since it was read; re-read and retry') : e,
    ),
  );
};
