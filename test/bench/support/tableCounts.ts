import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';

// What a table holds, by item type and STATE status: a parallel scan projecting only the
// few attributes needed. Used by the bench's checks and the reliability suite.

export type TableCounts = {
  states: number;
  attempts: number;
  supersededAttempts: number;
  redrives: number;
  auditItems: number;
  other: number;
  /** STATE items by status. */
  byStatus: Record<string, number>;
  /** Sum of STATE.attempts (must equal `attempts`). */
  stateAttemptSum: number;
};

export const countItems = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
  segments = 4,
): Promise<TableCounts> => {
  const counts: TableCounts = {
    states: 0,
    attempts: 0,
    supersededAttempts: 0,
    redrives: 0,
    auditItems: 0,
    other: 0,
    byStatus: {},
    stateAttemptSum: 0,
  };
  const scan = async (segment: number) => {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new ScanCommand({
          TableName: tableName,
          Segment: segment,
          TotalSegments: segments,
          ProjectionExpression: 'sk, #status, attempts, superseded',
          ExpressionAttributeNames: { '#status': 'status' },
          ...(start !== undefined ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const sk = String(item.sk ?? '');
        if (sk === 'STATE') {
          counts.states++;
          const status = String(item.status);
          counts.byStatus[status] = (counts.byStatus[status] ?? 0) + 1;
          counts.stateAttemptSum += Number(item.attempts ?? 0);
        } else if (sk.startsWith('ATTEMPT#')) {
          counts.attempts++;
          if (item.superseded === true) counts.supersededAttempts++;
        } else if (sk.startsWith('REDRIVE#')) counts.redrives++;
        else if (sk.startsWith('AUDIT#')) counts.auditItems++;
        else counts.other++;
      }
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
  };
  await Promise.all(Array.from({ length: segments }, (_, s) => scan(s)));
  return counts;
};
