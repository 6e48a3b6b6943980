// SQS records as the Lambda event source delivers them to the worker's handler (the shape of
// aws-lambda's SQSRecord, written out so the kit needs no AWS package).

let seq = 0;
/** `<label>-<pid>-<time>-<n>`: unique across the processes of one run. */
export const uniqueId = (label: string): string => `${label}-${process.pid}-${Date.now().toString(36)}-${++seq}`;

export type SqsRecord = {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: {
    ApproximateReceiveCount: string;
    SentTimestamp: string;
    SenderId: string;
    ApproximateFirstReceiveTimestamp: string;
  };
  messageAttributes: Record<string, never>;
  md5OfBody: string;
  eventSource: string;
  eventSourceARN: string;
  awsRegion: string;
};

/** A record carrying `body` (a string as it is, anything else as JSON); received `receiveCount` times. */
export const sqsRecord = (
  body: unknown,
  over: Partial<Pick<SqsRecord, 'messageId' | 'receiptHandle'>> & { receiveCount?: number } = {},
): SqsRecord => {
  const messageId = over.messageId ?? uniqueId('sqs');
  return {
    messageId,
    receiptHandle: over.receiptHandle ?? `${messageId}#rh-${++seq}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: String(over.receiveCount ?? 1),
      SentTimestamp: String(Date.now()),
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:local:000000000000:worker-test',
    awsRegion: 'local',
  };
};

export const sqsEvent = (records: SqsRecord[]): { Records: SqsRecord[] } => ({ Records: records });
