import { HostArg, timeArg } from '../kit/args/codecs.js';
import { flag, option } from '../kit/args/option.js';
import { CREATED, LIST } from '../listing/listArgs.js';
import { declare } from '../kit/args/declaration.js';

/** `dh failed`: its flags, synopsis and help. */
export const failedArgs = declare({
  name: 'failed',
  positionals: [],
  options: {
    // required unless --cursor (which carries the window)
    since: option(timeArg, { value: 'TIME', help: 'last update at or after TIME (required unless --cursor)' }),
    until: option(timeArg, { value: 'TIME', help: 'last update before TIME', defaultText: 'now' }),
    exhausted: flag({ help: 'only final failures (no retry left)' }),
    held: flag({ help: "instead, messages held by their endpoint's breaker (left out otherwise)" }),
    endpoint: option(HostArg, { value: 'HOST', help: 'one host; a bare host matches every port' }),
    host: option(HostArg, { value: 'HOST', help: 'the same as --endpoint', inSynopsis: false }),
    ...CREATED,
    ...LIST,
  },
  synopsis:
    '(--since TIME | --cursor C) [--until TIME] [--exhausted | --held] [--endpoint HOST] [--created-since TIME] [--created-until TIME] [--order oldest|newest] [--limit N] [--cursor C] [--all] [--count] [--output table|json|tsv]',
  about: `  FAILED messages whose last update is in [since, until) (until defaults to now), with
  their error text and response time. --exhausted: only final failures (no retry left).
  --held: instead, messages held by their endpoint's breaker (HELD, by the time they were
  held; left out otherwise). --endpoint (or --host): one host, a bare host matches every port. The JSON echoes the
  resolved since/until.`,
  examples: [
    'dh failed --since -1h',
    'dh failed --since 10:00 --endpoint hooks.example.com --exhausted --order newest',
    'dh failed --since yesterday --until today --all --output tsv > failed.tsv',
    'dh failed --since -1d --created-since -2h',
  ],
});
