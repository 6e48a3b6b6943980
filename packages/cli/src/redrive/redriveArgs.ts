import * as t from 'io-ts';
import { DurationArg, HostArg, IntArg, MessageIdArg, NonEmptyArg, timeArg } from '../kit/args/codecs.js';
import { PROGRESS } from '../kit/args/common.js';
import { flag, list, option, required } from '../kit/args/option.js';
import { declare } from '../kit/args/declaration.js';

/** `dh replay redrive`: its flags, synopsis and help. */
export const redriveArgs = declare({
  name: 'replay redrive',
  positionals: [],
  options: {
    message: list(MessageIdArg, { value: 'ID', help: 'these messages (repeat the flag)' }),
    // the contract's spelling of the filter: accepted, and changes nothing (the filter is FAILED)
    status: option(t.literal('FAILED'), {
      value: 'FAILED',
      help: 'accepted: the filter is FAILED already',
      inSynopsis: false,
    }),
    exhausted: flag({ help: 'only final failures (no retry left)' }),
    since: option(timeArg, { value: 'TIME', help: 'last update at or after TIME (with --stalled: waiting since)' }),
    until: option(timeArg, { value: 'TIME', help: 'last update before TIME', defaultText: 'now' }),
    endpoint: option(HostArg, { value: 'HOST', help: 'one host; a bare host matches every port' }),
    stalled: flag({ help: 'every stalled message (not final, no worker came back to it)' }),
    reason: required(NonEmptyArg, { value: 'TEXT', help: 'why (stored on the REDRIVE event)' }),
    by: option(NonEmptyArg, { value: 'WHO', help: 'who (default: $DH_OPERATOR, else $USER)', env: 'DH_OPERATOR' }),
    'extra-attempts': option(IntArg(1, 100), {
      value: 'N',
      help: 'attempts the re-drive grants (1..100)',
      defaultText: '$DELIVERY_MAX_ATTEMPTS',
    }),
    'stalled-after': option(DurationArg, {
      value: 'DURATION',
      help: 'stalled after this long without a worker',
      defaultText: '1h',
    }),
    'dry-run': flag({ help: 'list what would be re-driven, write nothing' }),
    limit: option(IntArg(1, 1_000_000), { value: 'N', help: 'at most N messages' }),
    'wait-seconds': option(IntArg(0, 3600), {
      value: 'N',
      help: 'local delivery: wait up to N s for the outcomes (0: do not wait)',
      default: 120,
    }),
    'grace-seconds': option(IntArg(0, 600), {
      value: 'N',
      help: 'Ctrl-C: let requests in flight finish for N s',
      default: 10,
    }),
    ...PROGRESS,
  },
  synopsis: `(--message ID... | --since TIME [--until TIME] [--exhausted] [--endpoint HOST]
                   | --stalled [--since TIME] [--until TIME] [--endpoint HOST])
                --reason TEXT [--by WHO] [--extra-attempts N] [--stalled-after DURATION] [--dry-run] [--limit N]
                [--wait-seconds N] [--grace-seconds N] [--progress MODE] [--json]`,
  about: `  Reopen final FAILED messages for delivery: a REDRIVE event (who, why, when) is stored,
  history is never edited, and each message is enqueued (SQS at $DELIVERY_QUEUE_URL, or
  delivered right away by the worker's local driver when no queue is configured).
  A stalled message (not final, no worker came back to it for --stalled-after, default 1h:
  its SQS record is in the DLQ or gone) is enqueued again as it is, without an event.
  A filter selects FAILED messages (--exhausted: final ones only; --status FAILED, the
  contract's spelling, is accepted and changes nothing); --stalled selects every
  stalled message (waiting since --since..--until, when given). Interrupted (Ctrl-C) during
  local delivery: stops claiming, records the requests in flight, prints the command that
  finishes the rest, exits 130.`,
  examples: [
    'dh replay redrive --message order-1085 --reason "receiver fixed" --dry-run',
    'dh replay redrive --since 10:00 --endpoint hooks.example.com --exhausted --reason "INC-42 fixed"',
  ],
});
