import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { messagePk } from '@delivery-history/store';

// Tests read what is really stored, straight from the table (not through the store under test).

/** Every item of a message's partition (consistent). */
export const partition = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
  messageId: string,
): Promise<Record<string, unknown>[]> => {
  const out: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': messagePk(messageId) },
        ConsistentRead: true,
        ...(start !== undefined ? { ExclusiveStartKey: start } : {}),
      }),
    );
    out.push(...((r.Items ?? []) as Record<string, unknown>[]));
    start = r.LastEvaluatedKey;
  } while (start !== undefined);
  return out;
};
