// What each kind of user of a deployment may do, as named actions (no wildcards): producers
// send requests, support reads histories, operators replay, re-drive and expunge. Checked
// against the CLI's and store's calls (packages/store/src/ops, query; packages/cli/src/replay).

/** Producers: one SendMessage per request (with the queue URL, no GetQueueUrl). */
export const SEND_QUEUE_ACTIONS = ['sqs:SendMessage'] as const;

/** SQS under a customer key: a producer makes the data key and SQS reuses it (Decrypt). */
export const SEND_KEY_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'] as const;

/**
 * `dh` support queries: a message's partition (Get, Query), head + STATE and health buckets
 * (BatchGet), the index listings (Query on the indexes), `dh` probing where it points (DescribeTable).
 */
export const READ_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:DescribeTable',
] as const;

/** `dh tail`: new items from the table's stream (read-only, no checkpoint). */
export const READ_STREAM_ACTIONS = [
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
] as const;

/** Reading what the key encrypted (table, stream). */
export const READ_KEY_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'] as const;

/**
 * Replay, re-drive and expunge: whole-table scans (replay projections, endpoints, verify), the
 * repairs' and expunge's Put/Update/Delete (alone, batched or as transaction items).
 */
export const OPERATE_TABLE_ACTIONS = [
  'dynamodb:Scan',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
] as const;

/** `aws sqs start-message-move-task` from the DLQ back to the delivery queue. */
export const REDRIVE_DLQ_ACTIONS = [
  'sqs:StartMessageMoveTask',
  'sqs:ListMessageMoveTasks',
  'sqs:CancelMessageMoveTask',
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
] as const;

/** Writing with the key (re-drives to an encrypted queue, repairs of an encrypted table). */
export const OPERATE_KEY_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'] as const;
