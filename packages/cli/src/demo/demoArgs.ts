import { IntArg } from '../kit/args/codecs.js';
import { PROGRESS } from '../kit/args/common.js';
import { flag, option } from '../kit/args/option.js';
import { declare } from '../kit/args/declaration.js';

/** `dh demo`: its flags, synopsis and help. */
export const demoArgs = declare({
  name: 'demo',
  positionals: [],
  options: {
    messages: option(IntArg(1, 10_000), { value: 'N', help: 'messages to deliver (1..10000)', default: 300 }),
    'max-attempts': option(IntArg(1, 10), {
      value: 'N',
      help: "the worker's attempts per message (1..10)",
      default: 3,
    }),
    concurrency: option(IntArg(1, 64), { value: 'N', help: "the worker's deliveries at once (1..64)", default: 8 }),
    'timeout-seconds': option(IntArg(5, 3600), {
      value: 'N',
      help: 'give up when no delivery has finished for N s',
      default: 100,
    }),
    yes: flag({ help: 'run against a configured table that is not local' }),
    ...PROGRESS,
  },
  synopsis:
    '[--messages N] [--max-attempts N] [--concurrency N] [--timeout-seconds N] [--yes] [--progress auto|bar|lines|none] [--json]',
  about: `  Start DynamoDB Local and local webhook receivers (healthy, flaky, slow, rate-limited,
  broken), deliver N messages (default 300) through the worker's local driver, run the
  projector, then print a summary and the audit trail of one interesting message.
  --max-attempts, --concurrency: the worker's settings for the run; --timeout-seconds N
  (default 100): give up when no delivery has finished for N s (a slow machine is not stuck).
  With a table configured (env or flags) it uses that table; a non-local one needs --yes.`,
  examples: ['dh demo', 'dh demo --messages 50 --json | jq .summary'],
});
