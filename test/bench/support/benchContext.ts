import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { type StreamClients, ensureTable, isLocalEndpoint, makeStreamClients } from '@delivery-history/store';
import { createTableInput, dropTable } from '@delivery-history/store/testing';

// What every bench section gets: the bench's own DynamoDB Local, fresh tables (from the
// shared definition, like the tests) and a progress line on stderr.

export type BenchTable = StreamClients & {
  readonly tableName: string;
  readonly endpoint: string;
  /** '' for a table made with `stream: false`. */
  readonly streamArn: string;
  drop(): Promise<void>;
};

export type TableOptions = {
  /**
   * false: the shared definition without its stream (same keys and indexes). Only for data
   * nothing will project (the scale section): DynamoDB Local's stream bookkeeping adds a
   * quarter to every bulk write there.
   */
  readonly stream?: boolean;
};

export type BenchContext = {
  /** CPU seconds DynamoDB Local (the JVM) has used so far; NaN when unknown. */
  dynamoCpuSeconds(): Promise<number>;
  table(label: string, options?: TableOptions): Promise<BenchTable>;
  progress(line: string): void;
};

const cpuSecondsOf = (pid: number): number => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
};

export const makeBenchContext = (
  endpointOf: () => Promise<string>,
  log: (line: string) => void,
  pidOf: () => Promise<number> = async () => -1,
): BenchContext => {
  return {
    progress: log,
    dynamoCpuSeconds: async () => cpuSecondsOf(await pidOf()),
    table: async (label, options = {}) => {
      const endpoint = await endpointOf();
      if (!isLocalEndpoint(endpoint)) throw new Error(`the bench runs against DynamoDB Local only, not ${endpoint}`);
      const clients = makeStreamClients({ endpoint });
      const tableName = `bench-${label}-${randomBytes(3).toString('hex')}`;
      if (options.stream === false) {
        const { StreamSpecification: _, ...input } = createTableInput(tableName);
        await clients.client.send(new CreateTableCommand(input));
      }
      const { streamArn: arn } = await ensureTable(clients.client, tableName);
      const streamArn = options.stream === false ? '' : arn;
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
