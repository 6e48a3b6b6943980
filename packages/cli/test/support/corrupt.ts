// Hand-made drift for replay tests: raw writes that bypass the store on purpose.
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tableKeys } from '@delivery-history/store';
import { auditKey } from '@delivery-history/store/testing';

/** Sets one top-level STATE attribute, as a buggy writer or an operator's console would. */
export const setStateField = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
  messageId: string,
  field: string,
  value: unknown,
): Promise<void> => {
  await doc.send(
    new UpdateCommand({
      TableName: tableName,
      Key: tableKeys.stateKey(messageId),
      UpdateExpression: 'SET #f = :v',
      ExpressionAttributeNames: { '#f': field },
      ExpressionAttributeValues: { ':v': value },
    }),
  );
};

/** Changes the status code of the first entry of a message's audit head segment. */
export const corruptTrailEntry = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
  messageId: string,
): Promise<void> => {
  const head = await doc.send(new GetCommand({ TableName: tableName, Key: auditKey(messageId, 0) }));
  const item = head.Item as { entries: Array<Record<string, unknown>> } | undefined;
  if (item === undefined || item.entries.length === 0) throw new Error(`no audit head for ${messageId}`);
  const [first, ...rest] = item.entries;
  await doc.send(
    new PutCommand({ TableName: tableName, Item: { ...item, entries: [{ ...first, statusCode: 299 }, ...rest] } }),
  );
};
