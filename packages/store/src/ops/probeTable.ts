import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { toStoreError } from '../errors/toStoreError.js';

// ---------------------------------------------------------------------------
// model: what one DescribeTable says about where a caller points
// ---------------------------------------------------------------------------

/**
 * `Ok` the table answers; `Unreachable` nothing answers at the endpoint (refused, DNS,
 * timeout); `NoTable` DynamoDB answers and the table does not exist; `NotDynamoDB`
 * something answers HTTP but not as DynamoDB (no table description, not an AWS error);
 * `Failed` DynamoDB said no for another reason (credentials, permissions), kept as said.
 */
export type TableProbe =
  | { readonly _tag: 'Ok'; readonly status: string }
  | { readonly _tag: 'Unreachable'; readonly detail: string }
  | { readonly _tag: 'NoTable' }
  | { readonly _tag: 'NotDynamoDB'; readonly detail: string }
  | { readonly _tag: 'Failed'; readonly detail: string };

const NETWORK = /^(E[A-Z]+|UND_ERR_[A-Z_]+|TimeoutError|AbortError|RequestTimeout)$/;
/** Names the SDK gives a response it could not read as an AWS JSON answer. */
const NOT_AWS = /^(UnknownError|Unknown|SyntaxError|SerializationException|Error|TypeError)$/;

const DETAILS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  ETIMEDOUT: 'timed out',
  TimeoutError: 'timed out',
  AbortError: 'timed out',
  ECONNRESET: 'connection reset',
};

// ---------------------------------------------------------------------------
// operation
// ---------------------------------------------------------------------------

/** One cheap DescribeTable (no retries, bounded in time): is `tableName` there, and is it DynamoDB? */
export const probeTable = async (client: DynamoDBClient, tableName: string, timeoutMs = 3000): Promise<TableProbe> => {
  try {
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }), {
      abortSignal: AbortSignal.timeout(timeoutMs),
    });
    const status = out.Table?.TableStatus;
    return typeof status === 'string'
      ? { _tag: 'Ok', status }
      : { _tag: 'NotDynamoDB', detail: 'no table description in the answer' };
  } catch (thrown) {
    const e = toStoreError({ op: 'probeTable' })(thrown);
    const aws = e.awsCode ?? '';
    if (aws === 'ResourceNotFoundException') return { _tag: 'NoTable' };
    if (NETWORK.test(aws)) return { _tag: 'Unreachable', detail: DETAILS[aws] ?? aws };
    const status = (thrown as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode;
    const requestId = (thrown as { $metadata?: { requestId?: unknown } }).$metadata?.requestId;
    if (NOT_AWS.test(aws) || (typeof status === 'number' && requestId === undefined && status !== 400)) {
      return { _tag: 'NotDynamoDB', detail: typeof status === 'number' ? `HTTP ${status}` : e.message };
    }
    return { _tag: 'Failed', detail: e.message };
  }
};
