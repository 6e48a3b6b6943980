// What a function needs on the customer-managed key (when there is one) to read and write
// the table and its stream, receive from and send to the encrypted queues. Named actions
// only (no `kms:GenerateDataKey*`-style wildcards), scoped to the one key.
export const KMS_DATA_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'] as const;
