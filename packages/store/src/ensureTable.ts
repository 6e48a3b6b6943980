import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { sleep } from '@delivery-history/core';
import { createTableInput } from './createTableInput.js';

const describe = async (client: DynamoDBClient, tableName: string) => {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (e) {
    if ((e as { name?: string }).name === 'ResourceNotFoundException') return undefined;
    throw e;
  }
};

/** Creates the table from the shared definition unless it exists; waits until ACTIVE. */
export const ensureTable = async (
  client: DynamoDBClient,
  tableName: string,
): Promise<{ created: boolean; streamArn: string | undefined }> => {
  let table = await describe(client, tableName);
  const created = table === undefined;
  if (created) {
    try {
      await client.send(new CreateTableCommand(createTableInput(tableName)));
    } catch (e) {
      if ((e as { name?: string }).name !== 'ResourceInUseException') throw e;
    }
  }
  for (let i = 0; i < 300; i++) {
    table = await describe(client, tableName);
    if (table?.TableStatus === 'ACTIVE') break;
    await sleep(100);
  }
  return { created, streamArn: table?.LatestStreamArn };
};

export const dropTable = async (client: DynamoDBClient, tableName: string): Promise<void> => {
  try {
    await client.send(new DeleteTableCommand({ TableName: tableName }));
  } catch (e) {
    if ((e as { name?: string }).name !== 'ResourceNotFoundException') throw e;
  }
};

/** The table's current stream ARN (undefined when the table has no stream). */
export const latestStreamArn = async (client: DynamoDBClient, tableName: string): Promise<string | undefined> =>
  (await describe(client, tableName))?.LatestStreamArn;
