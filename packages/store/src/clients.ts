import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export type Clients = {
  readonly client: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
  readonly streams: DynamoDBStreamsClient;
  destroy(): void;
};

export type ClientOptions = {
  /** DynamoDB endpoint (DynamoDB Local); AWS's when absent. */
  readonly endpoint?: string;
  /** Streams endpoint; defaults to `endpoint` (DynamoDB Local serves both). */
  readonly streamsEndpoint?: string;
  readonly region?: string;
  /** SDK-level retries; `store` does its own jittered retries, so 1 by default. */
  readonly maxAttempts?: number;
};

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

const isLocal = (endpoint: string | undefined): boolean =>
  endpoint !== undefined && /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\/?$/.test(endpoint);

/** Builds the clients once (cold start) so every caller shares connections. */
export const makeClients = (options: ClientOptions = {}): Clients => {
  const base: DynamoDBClientConfig = {
    maxAttempts: options.maxAttempts ?? 1,
    ...(options.region !== undefined ? { region: options.region } : {}),
    ...(isLocal(options.endpoint) ? { credentials: LOCAL_CREDENTIALS, region: options.region ?? 'local' } : {}),
  };
  const client = new DynamoDBClient({
    ...base,
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
  });
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  const streamsEndpoint = options.streamsEndpoint ?? options.endpoint;
  const streams = new DynamoDBStreamsClient({
    ...base,
    ...(streamsEndpoint !== undefined ? { endpoint: streamsEndpoint } : {}),
  });
  return {
    client,
    doc,
    streams,
    destroy: () => {
      doc.destroy();
      client.destroy();
      streams.destroy();
    },
  };
};

export const isLocalEndpoint = isLocal;
