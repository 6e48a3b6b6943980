import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { TABLE, type TableDefinition } from './tableDefinition.js';

/** CreateTable input for DynamoDB (Local) from the shared definition. */
export const createTableInput = (tableName: string, def: TableDefinition = TABLE): CreateTableCommandInput => {
  const keyAttrs = [
    def.partitionKey,
    def.sortKey,
    ...def.globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  const unique = [...new Map(keyAttrs.map((a) => [a.name, a])).values()];
  return {
    TableName: tableName,
    BillingMode: def.billingMode,
    AttributeDefinitions: unique.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
    KeySchema: [
      { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: def.sortKey.name, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: def.globalSecondaryIndexes.map((i) => ({
      IndexName: i.indexName,
      KeySchema: [
        { AttributeName: i.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: i.sortKey.name, KeyType: 'RANGE' },
      ],
      Projection:
        i.nonKeyAttributes.length === 0
          ? { ProjectionType: 'KEYS_ONLY' }
          : { ProjectionType: 'INCLUDE', NonKeyAttributes: [...i.nonKeyAttributes] },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: def.streamViewType },
  };
};
