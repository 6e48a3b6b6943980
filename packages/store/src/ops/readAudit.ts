import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import { AuditHeadItem } from '../audit/auditItems.js';
import { type AuditTrail, decodeAuditTrail } from '../audit/auditTrail.js';
import type { Env } from '../env.js';
import type { ErrorContext, StoreError } from '../errors/storeError.js';
import { AUDIT_PREFIX, auditKey, auditSk, messagePk } from '../keys.js';
import { decodeItem } from '../support/decode.js';
import { send } from '../support/send.js';
import { queryAll } from './listAttempts.js';

// Reads of the audit trail; strongly consistent, so a read after a stream record sees
// that record's write.

/** The head segment (summary and high-water mark), or null when the message has no trail yet. */
export const getAuditHead = (env: Env, messageId: string): TE.TaskEither<StoreError, AuditHeadItem | null> => {
  const ctx: ErrorContext = { op: 'getAuditHead', messageId, item: auditSk(0) };
  return pipe(
    send(env, ctx, [auditSk(0)], () =>
      env.doc.send(new GetCommand({ TableName: env.tableName, Key: auditKey(messageId, 0), ConsistentRead: true })),
    ),
    TE.chainEitherK(
      (out): E.Either<StoreError, AuditHeadItem | null> =>
        out.Item === undefined ? E.right(null) : decodeItem(AuditHeadItem, out.Item, ctx),
    ),
  );
};

/** A message's AUDIT# items (paged Query), decoded into its trail. */
export const readAuditTrail = (env: Env, messageId: string): TE.TaskEither<StoreError, AuditTrail> =>
  pipe(
    queryAll(
      env,
      { op: 'readAuditTrail', messageId },
      {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': messagePk(messageId), ':prefix': AUDIT_PREFIX },
        ConsistentRead: true,
      },
    ),
    TE.chainEitherKW((items) => decodeAuditTrail(messageId, items)),
  );
