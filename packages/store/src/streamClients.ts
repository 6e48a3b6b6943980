import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { baseClientConfig, type ClientOptions, type Clients, makeClients } from './clients.js';

/** The table clients plus a DynamoDB Streams client (the local poller, `dh demo`, tests). */
export type StreamClients = Clients & { readonly streams: DynamoDBStreamsClient };

/** `makeClients` and a Streams client on `streamsEndpoint` (default: `endpoint`). */
export const makeStreamClients = (options: ClientOptions = {}): StreamClients => {
  const table = makeClients(options);
  const streamsEndpoint = options.streamsEndpoint ?? options.endpoint;
  const streams = new DynamoDBStreamsClient({
    ...baseClientConfig(options),
    ...(streamsEndpoint !== undefined ? { endpoint: streamsEndpoint } : {}),
  });
  return {
    ...table,
    streams,
    destroy: () => {
      table.destroy();
      streams.destroy();
    },
  };
};
