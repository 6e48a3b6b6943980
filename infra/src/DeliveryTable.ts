// The single table, built from store's shared definition (keys, indexes, billing, stream):
// this file adds only what a deployed table needs besides its shape.
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { TABLE, type KeyAttribute } from '@delivery-history/store';
import { Construct } from 'constructs';

export type DeliveryTableProps = {
  /** Undefined: CloudFormation names it. */
  readonly tableName: string | undefined;
  /** RETAIN also turns deletion protection on; DESTROY (a dev stage) turns it off. */
  readonly removalPolicy: RemovalPolicy;
  /** Customer-managed key; without one the table uses the AWS-owned key. */
  readonly encryptionKey: kms.IKey | null;
};

const ATTRIBUTE_TYPE = { S: dynamodb.AttributeType.STRING, N: dynamodb.AttributeType.NUMBER } as const;
const attribute = (k: KeyAttribute): dynamodb.Attribute => ({ name: k.name, type: ATTRIBUTE_TYPE[k.type] });

const BILLING = { PAY_PER_REQUEST: dynamodb.BillingMode.PAY_PER_REQUEST } as const;
const STREAM = { NEW_IMAGE: dynamodb.StreamViewType.NEW_IMAGE } as const;

export class DeliveryTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: DeliveryTableProps) {
    super(scope, id);
    // always store's definition: the code that writes the table decides its keys and indexes
    const def = TABLE;
    this.table = new dynamodb.Table(this, 'Table', {
      ...(props.tableName === undefined ? {} : { tableName: props.tableName }),
      partitionKey: attribute(def.partitionKey),
      sortKey: attribute(def.sortKey),
      billingMode: BILLING[def.billingMode],
      stream: STREAM[def.streamViewType],
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // The attempts are the system of record: where they are kept, neither a stack delete nor a
      // console click drops them; a dev stage is torn down whole.
      deletionProtection: props.removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy: props.removalPolicy,
      // Without a key DynamoDB still encrypts at rest, with its AWS-owned key (no SSESpecification).
      ...(props.encryptionKey === null
        ? {}
        : { encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: props.encryptionKey }),
      // Retention: DynamoDB deletes items past this attribute (set only on final messages, and
      // only when retention is configured); readers hide an expired partition before that.
      timeToLiveAttribute: def.timeToLiveAttribute,
    });
    for (const index of def.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        // the store's definition decides (KEYS_ONLY where no listing needs a projected copy)
        ...(index.nonKeyAttributes.length === 0
          ? { projectionType: dynamodb.ProjectionType.KEYS_ONLY }
          : { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [...index.nonKeyAttributes] }),
      });
    }
  }
}
