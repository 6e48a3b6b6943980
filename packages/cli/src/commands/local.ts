import { startDynamoLocal } from '@delivery-history/devkit';
import { DEFAULT_TABLE_NAME, ensureTable, makeClients } from '@delivery-history/store';
import * as t from 'io-ts';
import { IntArg, optional } from '../args/codecs.js';
import { CommonArgs } from '../args/common.js';
import type { CommandSpec } from '../args/parse.js';
import type { Io } from '../io.js';
import { type CommandResult, done } from './failure.js';
import { withArgs } from './withArgs.js';

export type LocalOptions = { readonly port?: number; readonly path?: string; readonly tableName?: string };

/** `dh local`: DynamoDB Local with the table, until Ctrl-C. */
export const runLocal = async (opts: LocalOptions, io: Io): Promise<CommandResult> => {
  const dynamo = await startDynamoLocal({
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.path !== undefined ? { path: opts.path } : {}),
  });
  const tableName = opts.tableName ?? DEFAULT_TABLE_NAME;
  const clients = makeClients({ endpoint: dynamo.endpoint });
  const { created } = await ensureTable(clients.client, tableName);
  clients.destroy();
  const where = opts.path !== undefined ? `on disk in ${opts.path}` : 'in memory';
  io.stdout.write(
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
  io.stdout.write('DynamoDB Local stopped.\n');
  return done;
};

const spec: CommandSpec = { options: { port: { type: 'string' }, path: { type: 'string' } }, positionals: [] };
const Args = t.intersection([CommonArgs, t.type({ port: optional(IntArg(1, 65535)), path: optional(t.string) })]);

export const runLocalCommand = (args: ReadonlyArray<string>, io: Io): Promise<CommandResult> =>
  withArgs(
    'local',
    args,
    io,
    spec,
    Args,
    (a) => ({ table: a.table }),
    (a, config) =>
      runLocal(
        {
          ...(a.port !== undefined ? { port: a.port } : {}),
          ...(a.path !== undefined ? { path: a.path } : {}),
          tableName: config.tableName,
        },
        io,
      ),
  );
