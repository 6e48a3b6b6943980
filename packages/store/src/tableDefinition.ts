// The one definition of the table: keys, indexes, stream and billing. The local table
// (DynamoDB Local) and the CDK stack are both built from this object, so they cannot drift.

export const DEFAULT_TABLE_NAME = 'delivery-history';

export type KeyAttribute = { readonly name: string; readonly type: 'S' | 'N' };

export type IndexDefinition = {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  /**
   * Attributes copied into the index besides the keys (none: KEYS_ONLY). Every projected
   * attribute a STATE write changes costs an index write, so only an index whose rows must be
   * listed without a read projects the summary (see SUMMARY_ATTRIBUTES).
   */
  readonly nonKeyAttributes: readonly string[];
};

export type TableDefinition = {
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  readonly billingMode: 'PAY_PER_REQUEST';
  readonly streamViewType: 'NEW_IMAGE';
  /**
   * The TTL attribute (epoch seconds), set on a final message's items when retention is on
   * (see docs/model.md, "Lifecycle"). DynamoDB deletes expired items days later; readers
   * treat a partition whose STATE is past it as gone at once.
   */
  readonly timeToLiveAttribute: string;
  readonly globalSecondaryIndexes: readonly IndexDefinition[];
};

/** The TTL attribute's name (TABLE.timeToLiveAttribute): written by the store only. */
export const TTL_ATTRIBUTE = 'expiresAt';

/**
 * What a listing row needs (query/stateSummary.ts decodes it). Only byFailedTime projects it:
 * its rows exist only while a message is FAILED, so a successful delivery never writes them.
 * byEndpoint and byCorrelation are KEYS_ONLY with keys fixed at creation, so after the one
 * index write that creates them no STATE change (claim, append, hold, re-drive) touches them;
 * their queries read the listed STATE items in one BatchGetItem per page (issue 29: 16 -> 10
 * WCU per successful first delivery, see the README's cost table).
 */
const SUMMARY_ATTRIBUTES = [
  'messageId',
  'status',
  'attempts',
  'maxAttempts',
  'createdAt',
  'lastUpdatedAt',
  'lastDeliveryAttempt',
  'endpoint',
  'correlationId',
  'retryEligible',
  'nextAttemptAt',
  'deliveryResult',
  // the queries hide an expired message before DynamoDB deletes it
  TTL_ATTRIBUTE,
] as const;

/**
 * Index key shapes (written on STATE items only, by `store`):
 * - byFailedTime: gsi1pk `FAILED#<yyyy-mm-dd>#<shard>`, gsi1sk `<lastUpdatedAt>#<messageId>`.
 *   Sparse (only FAILED messages); day buckets x shards keep every partition bounded and no
 *   partition takes every failure write.
 * - byEndpoint: gsi2pk `EP#<host>#<shard>`, gsi2sk `<createdAt>#<messageId>` (fixed at creation).
 * - byCorrelation: gsi3pk `CORR#<correlationId>`, gsi3sk `<createdAt>#<messageId>` (fixed at creation).
 */
export const INDEX = {
  byFailedTime: 'byFailedTime',
  byEndpoint: 'byEndpoint',
  byCorrelation: 'byCorrelation',
} as const;

export const FAILED_INDEX_SHARDS = 8;
export const ENDPOINT_INDEX_SHARDS = 4;

export const TABLE: TableDefinition = {
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  billingMode: 'PAY_PER_REQUEST',
  streamViewType: 'NEW_IMAGE',
  timeToLiveAttribute: TTL_ATTRIBUTE,
  globalSecondaryIndexes: [
    {
      indexName: INDEX.byFailedTime,
      partitionKey: { name: 'gsi1pk', type: 'S' },
      sortKey: { name: 'gsi1sk', type: 'S' },
      nonKeyAttributes: SUMMARY_ATTRIBUTES,
    },
    {
      indexName: INDEX.byEndpoint,
      partitionKey: { name: 'gsi2pk', type: 'S' },
      sortKey: { name: 'gsi2sk', type: 'S' },
      nonKeyAttributes: [],
    },
    {
      indexName: INDEX.byCorrelation,
      partitionKey: { name: 'gsi3pk', type: 'S' },
      sortKey: { name: 'gsi3sk', type: 'S' },
      nonKeyAttributes: [],
    },
  ],
};
