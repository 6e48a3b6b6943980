#!/usr/bin/env node
// `dh`: the command line of delivery history. Exit codes: 0 ok/found, 1 not found or check
// failed, 2 usage or configuration error.
import { parseArgs } from 'node:util';
import { runLocal } from './commands/local.js';

// The SDK warns on every start that its 2027 releases need Node 22; the pinned ones run here.
const quietSdkWarning = (): void => {
  const listeners = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    if (w.message.includes('NodeVersionSupportWarning')) return;
    for (const l of listeners) l(w);
  });
};

const usage = `usage: dh <command> [options]

  local [--port N] [--path DIR]     run DynamoDB Local with the table until Ctrl-C
`;

const main = async (argv: string[]): Promise<number> => {
  quietSdkWarning();
  const [command, ...rest] = argv;
  switch (command) {
    case 'local': {
      const { values } = parseArgs({
        args: rest,
        options: { port: { type: 'string' }, path: { type: 'string' }, table: { type: 'string' } },
      });
      const port = values.port === undefined ? undefined : Number(values.port);
      if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
        process.stderr.write(`dh local: --port must be an integer 1..65535, got "${values.port}"\n`);
        return 2;
      }
      return runLocal({
        ...(port !== undefined ? { port } : {}),
        ...(values.path !== undefined ? { path: values.path } : {}),
        ...(values.table !== undefined ? { tableName: values.table } : {}),
      });
    }
    default:
      process.stderr.write(usage);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
};

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`dh: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  },
);
