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
  /** How long one call may wait for its answer (default: REQUEST_TIMEOUT_MS). */
  readonly requestTimeoutMs?: number;
};

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

const isLocal = (endpoint: string | undefined): boolean =>
  endpoint !== undefined && /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\/?$/.test(endpoint);

/**
 * How long one call may wait for its answer. The SDK's default is to wait forever, so a socket
 * the far end never answers hung the caller (seen against DynamoDB Local at load 30: a test idle
 * for 15 minutes). Past it the call fails as Transient and `send` retries the same request (same
 * ClientRequestToken). DynamoDB answers in milliseconds; DynamoDB Local on a busy machine can
 * queue a transaction for seconds, hence its longer bound. The SDK's handler only warns on a
 * timeout unless told to throw (`throwOnRequestTimeout`).
 */
const REQUEST_TIMEOUT_MS = { aws: 10_000, local: 60_000 } as const;

/** The SDK settings both the table and the Streams client use. */
export const baseClientConfig = (options: ClientOptions): DynamoDBClientConfig => ({
  maxAttempts: options.maxAttempts ?? 1,
  requestHandler: {
    connectionTimeout: 3_000,
    throwOnRequestTimeout: true,
    requestTimeout:
      options.requestTimeoutMs ?? (isLocal(options.endpoint) ? REQUEST_TIMEOUT_MS.local : REQUEST_TIMEOUT_MS.aws),
  },
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
