import { DEFAULT_TABLE_NAME, ensureTable, makeClients, startDynamoLocal } from '@delivery-history/store';

export type LocalOptions = { readonly port?: number; readonly path?: string; readonly tableName?: string };

/** `dh local`: DynamoDB Local with the table, until Ctrl-C. */
export const runLocal = async (opts: LocalOptions): Promise<number> => {
  const dynamo = await startDynamoLocal({
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.path !== undefined ? { path: opts.path } : {}),
  });
  const tableName = opts.tableName ?? process.env.DELIVERY_TABLE_NAME ?? DEFAULT_TABLE_NAME;
  const clients = makeClients({ endpoint: dynamo.endpoint });
  const { created } = await ensureTable(clients.client, tableName);
  clients.destroy();
  const where = opts.path !== undefined ? `on disk in ${opts.path}` : 'in memory';
  process.stdout.write(
    [
      `DynamoDB Local is running at ${dynamo.endpoint} (${where}, shared database).`,
      `Table "${tableName}" ${created ? 'created' : 'already present'}.`,
      '',
      'Use it from another shell with:',
      `  export AWS_ENDPOINT_URL_DYNAMODB=${dynamo.endpoint}`,
      `  export AWS_ENDPOINT_URL_DYNAMODB_STREAMS=${dynamo.endpoint}`,
      `  export DELIVERY_TABLE_NAME=${tableName}`,
      '  export AWS_REGION=local AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local',
      '',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await dynamo.stop();
  process.stdout.write('DynamoDB Local stopped.\n');
  return 0;
};
