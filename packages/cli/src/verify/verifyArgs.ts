import { DurationArg, IntArg, MessageIdArg } from '../kit/args/codecs.js';
import { PROGRESS } from '../kit/args/common.js';
import { flag, list, option } from '../kit/args/option.js';
import { declare } from '../kit/args/declaration.js';

/** `dh verify`: its flags, synopsis and help. */
export const verifyArgs = declare({
  name: 'verify',
  positionals: [],
  options: {
    message: list(MessageIdArg, { value: 'ID', help: 'only these messages (repeat the flag)' }),
    segments: option(IntArg(1, 64), { value: 'N', help: 'parallel Scan segments (1..64)', default: 16 }),
    concurrency: option(IntArg(1, 64), { value: 'N', help: 'messages checked at once (1..64)', default: 4 }),
    'allow-lag': flag({
      help: 'an audit trail behind its attempts is not a failure (the projector may be catching up)',
    }),
    // the store's item budget when absent (verifyTable's DEFAULT_ITEM_BUDGET)
    'item-budget': option(IntArg(1024, 409_600), { value: 'BYTES', help: 'largest item allowed (1024..409600)' }),
    'stalled-after': option(DurationArg, {
      value: 'DURATION',
      help: 'stalled after this long without a worker',
      defaultText: '1h',
    }),
    'max-violations': option(IntArg(0, 100_000), { value: 'N', help: 'violations listed in full' }),
    ...PROGRESS,
  },
  synopsis:
    '[--message ID...] [--segments N] [--concurrency N] [--allow-lag] [--item-budget BYTES] [--stalled-after DURATION] [--max-violations N] [--progress MODE] [--json]',
  about: `  Check every invariant over the table: dense attempt numbers, STATE == fold(attempts),
  audit trail == rebuild(attempts), item sizes under budget, no unredacted secrets, and no
  message stalled: not final, and no worker came back to it for --stalled-after (default 1h)
  past its lease, its retry or its creation (its SQS record is likely in the DLQ or gone).
  Exit 1 when any check fails.`,
  examples: ['dh verify', 'dh verify --message order-1085 --json'],
});
