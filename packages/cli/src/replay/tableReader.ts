import { QueryCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { messagePk, STATE_SK, TABLE } from '@delivery-history/store';
import { listSource, type Page, type PagedSource } from './forEachParallel.js';

// Raw reads for verify and replay: items exactly as stored (keys and index attributes
// included), so sizes are measured on the real item and an item that does not decode is
// reported instead of failing the whole page.

export type RawItem = Readonly<Record<string, unknown>>;

/**
 * A message found by a whole-table scan: its items as scanned (eventually consistent; one
 * page's worth), or `null` when the message straddles a page boundary and must be read whole.
 */
export type ScannedMessage = { readonly messageId: string; readonly items: ReadonlyArray<RawItem> | null };

export type TableReader = {
  /**
   * The messages (partitions with a STATE) of one scan segment, each with its items: one
   * Scan call per page instead of a Query per message. A partition's items are contiguous
   * in a scan segment; one cut by the page boundary comes back once, as `items: null`.
   */
  scanMessages(
    segment: number,
    totalSegments: number,
    cursor: string | null,
    limit?: number,
  ): Promise<Page<ScannedMessage>>;
  /** Every item of one message (one partition), in sort-key order, strongly consistent. */
  readPartition(messageId: string): Promise<RawItem[]>;
  /** How many messages (STATE items) the table holds: a COUNT scan, for progress ETA. */
  countMessages(totalSegments: number): Promise<number>;
};

/** The messages to look at: these ids (each read whole), or the whole table by scan segments. */
export const messageSource = (
  reader: TableReader,
  messageIds: ReadonlyArray<string> | undefined,
): PagedSource<ScannedMessage> =>
  messageIds !== undefined
    ? listSource(messageIds.map((messageId) => ({ messageId, items: null })))
    : (segment, total, cursor) => reader.scanMessages(segment, total, cursor);

const PK = TABLE.partitionKey.name;
const SK = TABLE.sortKey.name;
const MSG_PREFIX = messagePk('');

/** Contiguous runs of items with the same partition key. */
const groupByPk = (items: ReadonlyArray<RawItem>): Array<{ pk: string; items: RawItem[] }> => {
  const groups: Array<{ pk: string; items: RawItem[] }> = [];
  for (const item of items) {
    const pk = String(item[PK]);
    const last = groups[groups.length - 1];
    if (last !== undefined && last.pk === pk) last.items.push(item);
    else groups.push({ pk, items: [item] });
  }
  return groups;
};

/**
 * The scan cursor: DynamoDB's key plus the partition cut by the previous page boundary
 * (already handed out as `items: null`), so its remaining items are skipped, not repeated.
 */
type ScanCursor = { readonly key?: Record<string, unknown>; readonly cut?: string };

const encodeScanCursor = (c: ScanCursor): string => Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');

const decodeScanCursor = (cursor: string | null): ScanCursor => {
  if (cursor === null) return {};
  const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null) throw new Error('bad cursor');
  return parsed as ScanCursor;
};

export const tableReader = (doc: DynamoDBDocumentClient, tableName: string): TableReader => {
  const stateFilter = {
    FilterExpression: '#sk = :state',
    ExpressionAttributeNames: { '#sk': SK },
    ExpressionAttributeValues: { ':state': STATE_SK },
  };
  return {
    async scanMessages(segment, totalSegments, cursor, limit) {
      const from = decodeScanCursor(cursor);
      const out = await doc.send(
        new ScanCommand({
          TableName: tableName,
          Segment: segment,
          TotalSegments: totalSegments,
          ...(limit !== undefined ? { Limit: limit } : {}),
          ...(from.key !== undefined ? { ExclusiveStartKey: from.key } : {}),
        }),
      );
      const next = out.LastEvaluatedKey;
      const more = next !== undefined;
      const groups = groupByPk(out.Items ?? []);
      const found: ScannedMessage[] = [];
      let cut: string | undefined;
      groups.forEach((g, i) => {
        const last = i === groups.length - 1;
        if (i === 0 && g.pk === from.cut) {
          // the rest of a partition handed out whole on an earlier page
          if (last && more) cut = g.pk;
          return;
        }
        if (!g.pk.startsWith(MSG_PREFIX)) return; // projector checkpoints and the like
        const messageId = g.pk.slice(MSG_PREFIX.length);
        if (last && more) {
          // may continue on the next page: read whole by the caller
          found.push({ messageId, items: null });
          cut = g.pk;
        } else if (g.items.some((item) => item[SK] === STATE_SK)) {
          found.push({ messageId, items: g.items });
        }
      });
      return {
        items: found,
        cursor: more ? encodeScanCursor({ key: next, ...(cut !== undefined ? { cut } : {}) }) : null,
      };
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
