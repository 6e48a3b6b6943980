import * as t from 'io-ts';
import { IntArg } from '../kit/args/codecs.js';
import { option } from '../kit/args/option.js';
import { declare } from '../kit/args/declaration.js';

/** `dh local`: its flags, synopsis and help. */
export const localArgs = declare({
  name: 'local',
  positionals: [],
  options: {
    port: option(IntArg(1, 65535), { value: 'N', help: "DynamoDB Local's port (busy: exit 3)", defaultText: '8000' }),
    path: option(t.string, { value: 'DIR', help: 'keep the data on disk in DIR (default: in memory)' }),
  },
  synopsis: '[--port N] [--path DIR] [--table NAME]',
  about: `  The whole system on this machine until Ctrl-C: DynamoDB Local (shared database) with
  the table, the projector's stream poller (audit trails) and the worker's local driver
  (local re-drives deliver). Prints the exports another shell needs, including
  DELIVERY_ALLOW_TARGETS for receivers on loopback. --path DIR keeps the data on disk.
  A busy --port is an error (exit 3).`,
  examples: ['dh local', 'dh local --port 8000 --path ./.dynamodb'],
});
