import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

// The table clients every caller needs. The Streams client is separate
// (`streamClients.ts`): only the local poller and its callers read a stream, and a module
// that never calls `makeStreamClients` keeps the Streams SDK out of its bundle (the Lambdas).

export type Clients = {
  readonly client: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
  destroy(): void;
};

export type ClientOptions = {
  /** DynamoDB endpoint (DynamoDB Local); AWS's when absent. */
  readonly endpoint?: string;
  /** Streams endpoint; defaults to `endpoint` (DynamoDB Local serves both). Used by `makeStreamClients`. */
  readonly streamsEndpoint?: string;
  readonly region?: string;
  /** SDK-level retries; `store` does its own jittered retries, so 1 by default. */
  readonly maxAttempts?: number;
};

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

const isLocal = (endpoint: string | undefined): boolean =>
  endpoint !== undefined && /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\/?$/.test(endpoint);

/** The SDK settings both the table and the Streams client use. */
export const baseClientConfig = (options: ClientOptions): DynamoDBClientConfig => ({
  maxAttempts: options.maxAttempts ?? 1,
  ...(options.region !== undefined ? { region: options.region } : {}),
  ...(isLocal(options.endpoint) ? { credentials: LOCAL_CREDENTIALS, region: options.region ?? 'local' } : {}),
});

/** Builds the table clients once (cold start) so every caller shares connections. */
export const makeClients = (options: ClientOptions = {}): Clients => {
  const client = new DynamoDBClient({
    ...baseClientConfig(options),
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
  });
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return {
    client,
    doc,
    destroy: () => {
      doc.destroy();
      client.destroy();
    },
  };
};

export const isLocalEndpoint = isLocal;
