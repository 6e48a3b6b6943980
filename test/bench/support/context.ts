import { randomBytes } from 'node:crypto';
import { type Clients, dropTable, ensureTable, isLocalEndpoint, makeClients } from '@delivery-history/store';

// What every bench section gets: the bench's own DynamoDB Local, fresh tables (from the
// shared definition, like the tests) and a progress line on stderr.

export type BenchTable = Clients & {
  readonly tableName: string;
  readonly endpoint: string;
  readonly streamArn: string;
  drop(): Promise<void>;
};

export type BenchContext = {
  table(label: string): Promise<BenchTable>;
  progress(line: string): void;
};

export const makeBenchContext = (endpointOf: () => Promise<string>, log: (line: string) => void): BenchContext => {
  return {
    progress: log,
    table: async (label) => {
      const endpoint = await endpointOf();
      if (!isLocalEndpoint(endpoint)) throw new Error(`the bench runs against DynamoDB Local only, not ${endpoint}`);
      const clients = makeClients({ endpoint });
      const tableName = `bench-${label}-${randomBytes(3).toString('hex')}`;
      const { streamArn } = await ensureTable(clients.client, tableName);
      if (streamArn === undefined) throw new Error(`table ${tableName} has no stream`);
      return {
        ...clients,
        tableName,
        endpoint,
        streamArn,
        drop: async () => {
          try {
            await dropTable(clients.client, tableName);
          } finally {
            clients.destroy();
          }
        },
      };
    },
  };
};
