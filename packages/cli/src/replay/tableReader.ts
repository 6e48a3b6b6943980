import { QueryCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { messagePk, STATE_SK, TABLE } from '@delivery-history/store';
import type { Page } from './forEachParallel.js';

// Raw reads for verify and replay: items exactly as stored (keys and index attributes
// included), so sizes are measured on the real item and an item that does not decode is
// reported instead of failing the whole page.

export type RawItem = Readonly<Record<string, unknown>>;

export type TableReader = {
  /** STATE items of one scan segment (`Limit` = items read per page, before the filter). */
  scanStates(segment: number, totalSegments: number, cursor: string | null, limit?: number): Promise<Page<RawItem>>;
  /** Every item of one message (one partition), in sort-key order, strongly consistent. */
  readPartition(messageId: string): Promise<RawItem[]>;
  /** How many messages (STATE items) the table holds: a COUNT scan, for progress ETA. */
  countMessages(totalSegments: number): Promise<number>;
};

const PK = TABLE.partitionKey.name;
const SK = TABLE.sortKey.name;

export const encodeCursor = (key: Record<string, unknown> | undefined): string | null =>
  key === undefined ? null : Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');

export const decodeCursor = (cursor: string | null): Record<string, unknown> | undefined => {
  if (cursor === null) return undefined;
  const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null) throw new Error('bad cursor');
  return parsed as Record<string, unknown>;
};

export const tableReader = (doc: DynamoDBDocumentClient, tableName: string): TableReader => {
  const stateFilter = {
    FilterExpression: '#sk = :state',
    ExpressionAttributeNames: { '#sk': SK },
    ExpressionAttributeValues: { ':state': STATE_SK },
  };
  return {
    async scanStates(segment, totalSegments, cursor, limit = 200) {
      const start = decodeCursor(cursor);
      const out = await doc.send(
        new ScanCommand({
          TableName: tableName,
          Segment: segment,
          TotalSegments: totalSegments,
          Limit: limit,
          ...stateFilter,
          ...(start !== undefined ? { ExclusiveStartKey: start } : {}),
        }),
      );
      return { items: out.Items ?? [], cursor: encodeCursor(out.LastEvaluatedKey) };
    },
    async readPartition(messageId) {
      const items: RawItem[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await doc.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': PK },
            ExpressionAttributeValues: { ':pk': messagePk(messageId) },
            ConsistentRead: true,
            ...(start !== undefined ? { ExclusiveStartKey: start } : {}),
          }),
        );
        items.push(...(out.Items ?? []));
        start = out.LastEvaluatedKey;
      } while (start !== undefined);
      return items;
    },
    async countMessages(totalSegments) {
      const counts = await Promise.all(
        Array.from({ length: totalSegments }, async (_, segment) => {
          let n = 0;
          let start: Record<string, unknown> | undefined;
          do {
            const out = await doc.send(
              new ScanCommand({
                TableName: tableName,
                Segment: segment,
                TotalSegments: totalSegments,
                Select: 'COUNT',
                ...stateFilter,
                ...(start !== undefined ? { ExclusiveStartKey: start } : {}),
              }),
            );
            n += out.Count ?? 0;
            start = out.LastEvaluatedKey;
          } while (start !== undefined);
          return n;
        }),
      );
      return counts.reduce((a, b) => a + b, 0);
    },
  };
};
