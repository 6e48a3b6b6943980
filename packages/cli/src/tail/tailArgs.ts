import * as t from 'io-ts';
import { HostArg, MessageIdArg, timeArg } from '../kit/args/codecs.js';
import { list, option } from '../kit/args/option.js';
import { declare } from '../kit/args/declaration.js';

/** `dh tail`: its flags, synopsis and help. */
export const tailArgs = declare({
  name: 'tail',
  positionals: [],
  options: {
    since: option(timeArg, {
      value: 'TIME',
      help: 'first the attempts completed since TIME (found through the indexes, newest last)',
    }),
    endpoint: option(HostArg, { value: 'HOST', help: 'one host; a bare host matches every port' }),
    host: option(HostArg, { value: 'HOST', help: 'the same as --endpoint', inSynopsis: false }),
    status: option(t.keyof({ SUCCESS: null, FAILED: null }, 'SUCCESS|FAILED'), {
      value: 'STATUS',
      help: 'one outcome: SUCCESS or FAILED',
    }),
    message: list(MessageIdArg, { value: 'ID', help: 'only these messages (repeat the flag)' }),
  },
  synopsis: '[--since TIME] [--endpoint HOST] [--status STATUS] [--message ID...] [--wide] [--json]',
  about: `  Follow new attempts live from the table's stream (DynamoDB Local and AWS), one row (or
  one JSON line with --json) per attempt, until Ctrl-C. --status SUCCESS|FAILED keeps one
  outcome; --endpoint (or --host) a host; --message some messages. --since TIME first prints
  the attempts completed since then (read through the indexes, newest last), then follows;
  an attempt is shown once. The backfill finds the messages created since TIME minus the
  retry schedule's span (DELIVERY_MAX_ATTEMPTS - 1 gaps of DELIVERY_BACKOFF_MAX_MS or the
  Retry-After cap: 105 min by default) and every message FAILED or HELD now that changed
  since TIME; an older message re-driven or released since TIME and delivered (or in flight)
  by now is not in it: \`dh history ID\` has it.`,
  examples: [
    'dh tail',
    'dh tail --since 10m --endpoint hooks.example.com',
    'dh tail --endpoint hooks.example.com --status FAILED',
    'dh tail --json | jq .messageId',
  ],
});
