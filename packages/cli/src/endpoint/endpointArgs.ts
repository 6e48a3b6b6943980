import * as t from 'io-ts';
import { HostArg, timeArg } from '../kit/args/codecs.js';
import { option, positional } from '../kit/args/option.js';
import { CREATED, LIST } from '../listing/listArgs.js';
import { declare } from '../kit/args/declaration.js';

/** `dh endpoint`: its flags, synopsis and help. */
export const endpointArgs = declare({
  name: 'endpoint',
  positionals: [positional('host', HostArg)],
  options: {
    since: option(timeArg, { value: 'TIME', help: 'last update at or after TIME' }),
    until: option(timeArg, { value: 'TIME', help: 'last update before TIME' }),
    status: option(
      t.keyof(
        { SUCCESS: null, FAILED: null, PENDING: null, PROCESSING: null, HELD: null },
        'SUCCESS|FAILED|PENDING|PROCESSING|HELD',
      ),
      { value: 'STATUS', help: 'one status: SUCCESS, FAILED, PENDING, PROCESSING or HELD' },
    ),
    ...CREATED,
    ...LIST,
  },
  synopsis:
    '<host[:port]> [--since TIME] [--until TIME] [--status STATUS] [--created-since TIME] [--created-until TIME] [--order oldest|newest] [--limit N] [--cursor C] [--all] [--count] [--output table|json|tsv]',
  about: `  Messages to one endpoint (host:port as stored), by creation time (--since/--until
  select it too), with their error text
  and response time. --status SUCCESS|FAILED|PENDING|PROCESSING|HELD keeps one status.
  (--created-until needs --created-since or --since: a lower bound keeps the read bounded)`,
  examples: [
    'dh endpoint hooks.example.com --since -1h --status FAILED',
    'dh endpoint hooks.example.com --order newest --limit 10',
    'dh endpoint 127.0.0.1:8443 --all --json',
  ],
});
