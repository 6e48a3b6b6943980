// One DynamoDB Local per test run (started by scripts/runTests.ts and passed in
// DH_TEST_DYNAMODB_ENDPOINT), one fresh table per test file. A file run on its own starts
// its own DynamoDB Local. Refuses any endpoint that is not on this machine.
import { randomBytes } from 'node:crypto';
import { type DynamoLocal, startDynamoLocal } from '@delivery-history/devkit';
import { ensureTable, isLocalEndpoint, makeStreamClients, type StreamClients } from '@delivery-history/store';
import { dropTable } from '@delivery-history/store/testing';

export type TestTable = StreamClients & {
  readonly tableName: string;
  readonly endpoint: string;
  readonly streamArn: string | undefined;
  drop(): Promise<void>;
};

let own: Promise<DynamoLocal> | undefined;

/** The endpoint of the run's DynamoDB Local (started here when the runner did not). */
export const testEndpoint = async (): Promise<string> => {
  const fromRunner = process.env.DH_TEST_DYNAMODB_ENDPOINT;
  if (fromRunner !== undefined && fromRunner !== '') {
    if (!isLocalEndpoint(fromRunner)) {
      throw new Error(`refusing to run tests against a non-local endpoint: ${fromRunner}`);
    }
    return fromRunner;
  }
  own ??= startDynamoLocal();
  return (await own).endpoint;
};

/** Stops the DynamoDB Local this file started itself (no-op under the runner). */
export const stopOwnDynamo = async (): Promise<void> => {
  if (own !== undefined) await (await own).stop();
};

/**
 * Drops a test file's table. DynamoDB Local answers a DeleteTable that waited too long for its
 * table lock (a busy machine, a file that just ran 64 writers on one item) with a 500 "timed out
 * ... waiting for a lock"; the drop is tried again, and if the lock never frees the table is left
 * to the in-memory Local the run stops anyway: cleanup must not fail the tests it follows.
 */
const dropQuietly = async (client: Parameters<typeof dropTable>[0], tableName: string): Promise<void> => {
  for (let tries = 1; ; tries++) {
    try {
      return await dropTable(client, tableName);
    } catch (e) {
      const lock = /waiting for a lock/i.test(e instanceof Error ? e.message : String(e));
      if (!lock) throw e;
      if (tries >= 5) {
        process.stderr.write(`testTable: ${tableName} left in place (DynamoDB Local's table lock stayed busy)\n`);
        return;
      }
    }
  }
};

export const useTestTable = async (label: string): Promise<TestTable> => {
  const endpoint = await testEndpoint();
  const clients = makeStreamClients({ endpoint });
  const safe = label.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 180);
  const tableName = `${safe}-${randomBytes(4).toString('hex')}`;
  const { streamArn } = await ensureTable(clients.client, tableName);
  return {
    ...clients,
    tableName,
    endpoint,
    streamArn,
    drop: async () => {
      await dropQuietly(clients.client, tableName);
      clients.destroy();
      await stopOwnDynamo();
    },
  };
};
