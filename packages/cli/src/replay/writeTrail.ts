import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { auditTrailOf, rebuildAuditSegments, type SegmentBudget } from '@delivery-history/projector';
import { auditKey } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import type { DecodedMessage } from './decodePartition.js';
import { Repaired, RepairConflict, RepairFailed, type RepairOutcome } from './repairOutcome.js';

// Rewrites a message's audit trail from its attempts and redrives, packed exactly as the
// projector packs it (its rebuildAuditSegments), in ONE transaction conditioned on the head
// as it was read: if the projector (or another replay) wrote meanwhile, nothing is written
// and the caller reads again. Segments past the new end are deleted in the same transaction.

const MAX_ACTIONS = 100;
const MAX_TRANSACTION_BYTES = 3_500_000;

export type TrailWriterDeps = {
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly budget?: SegmentBudget;
  readonly clock?: () => Date;
};

const isConflict = (e: unknown): boolean => {
  const name = (e as { name?: string }).name;
  if (name === 'ConditionalCheckFailedException' || name === 'TransactionConflictException') return true;
  if (name !== 'TransactionCanceledException') return false;
  const reasons = (e as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? [];
  return reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict');
};

export const trailWriter =
  (deps: TrailWriterDeps) =>
  async (m: DecodedMessage): Promise<RepairOutcome> => {
    const stored = auditTrailOf(m.messageId, m.auditItems);
    if (E.isLeft(stored)) return RepairFailed(`audit trail does not decode (${stored.left.message}); fix by hand`);
    const now = (deps.clock ?? (() => new Date()))().toISOString();
    const rebuilt = rebuildAuditSegments(m.messageId, m.attempts, m.redrives, deps.budget, { now });
    if (E.isLeft(rebuilt)) return RepairFailed(`audit entry too large: ${JSON.stringify(rebuilt.left)}`);
    const segments = rebuilt.right;
    const summary = stored.right.summary;
    const storedNumbers = m.auditItems.map((i) => Number(i.segment)).filter((n) => Number.isInteger(n));
    const stale = storedNumbers.filter((n) => n >= segments.length);
    const [head, ...rest] = segments;
    const headCondition =
      summary === null
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            // attribute names: some of these words are DynamoDB reserved words
            ConditionExpression: '#through = :through AND #redrives = :redrives AND #updatedAt = :updatedAt',
            ExpressionAttributeNames: { '#through': 'through', '#redrives': 'redrives', '#updatedAt': 'updatedAt' },
            ExpressionAttributeValues: {
              ':through': summary.through,
              ':redrives': summary.redrives,
              ':updatedAt': summary.updatedAt,
            },
          };
    const actions = [
      ...(head === undefined ? [] : [{ Put: { TableName: deps.tableName, Item: head, ...headCondition } }]),
      ...rest.map((Item) => ({ Put: { TableName: deps.tableName, Item } })),
      ...stale.map((n) => ({
        Delete: { TableName: deps.tableName, Key: auditKey(m.messageId, n) },
      })),
    ];
    if (actions.length === 0) return Repaired;
    const bytes = Buffer.byteLength(JSON.stringify(segments));
    if (actions.length > MAX_ACTIONS || bytes > MAX_TRANSACTION_BYTES) {
      return RepairFailed(`trail of ${segments.length} segments is too large to rewrite in one transaction`);
    }
    try {
      await deps.doc.send(new TransactWriteCommand({ TransactItems: actions }));
      return Repaired;
    } catch (e) {
      if (isConflict(e)) return RepairConflict;
      return RepairFailed(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    }
  };
