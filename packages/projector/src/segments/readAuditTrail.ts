import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { callDynamo } from '../apply/awsErrors.js';
import type { ProjectorDeps } from '../apply/deps.js';
import type { ProjectorError } from '../errors.js';
import { AUDIT_PREFIX, messagePk } from '../keys.js';
import { type AuditTrail, auditTrailOf } from './auditTrail.js';

/** Reads a message's AUDIT# items (strongly consistent) and decodes them with `auditTrailOf`. */
export const readAuditTrail =
  (
    deps: Pick<ProjectorDeps, 'doc' | 'tableName' | 'retry' | 'random' | 'sleep'>,
    messageId: string,
  ): TE.TaskEither<ProjectorError, AuditTrail> =>
  async () => {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await callDynamo(deps, 'readAuditTrail', messageId, () =>
        deps.doc.send(
          new QueryCommand({
            TableName: deps.tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': messagePk(messageId), ':prefix': AUDIT_PREFIX },
            ConsistentRead: true,
            ...(start !== undefined ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      )();
      if (E.isLeft(page)) return page;
      items.push(...((page.right.Items ?? []) as Record<string, unknown>[]));
      start = page.right.LastEvaluatedKey;
    } while (start !== undefined);
    return auditTrailOf(messageId, items);
  };
