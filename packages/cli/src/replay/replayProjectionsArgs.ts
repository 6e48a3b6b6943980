import { IntArg, MessageIdArg } from '../kit/args/codecs.js';
import { PROGRESS } from '../kit/args/common.js';
import { flag, list, option } from '../kit/args/option.js';
import { declare } from '../kit/args/declaration.js';

/** `dh replay projections`: its flags, synopsis and help. */
export const replayProjectionsArgs = declare({
  name: 'replay projections',
  positionals: [],
  options: {
    message: list(MessageIdArg, { value: 'ID', help: 'these messages (repeat the flag)' }),
    all: flag({ help: 'every message in the table' }),
    'dry-run': flag({ help: 'report drift, write nothing' }),
    segments: option(IntArg(1, 64), { value: 'N', help: 'parallel Scan segments (1..64)', default: 16 }),
    concurrency: option(IntArg(1, 64), { value: 'N', help: 'messages repaired at once (1..64)', default: 4 }),
    'max-report': option(IntArg(0, 100_000), {
      value: 'N',
      help: 'drifting messages listed in full',
      defaultText: '1000',
    }),
    ...PROGRESS,
  },
  synopsis:
    '(--message ID... | --all) [--dry-run] [--segments N] [--concurrency N] [--max-report N] [--progress MODE] [--json]',
  about: `  Recompute projections (fold) and audit trails (rebuild) from the attempts. --dry-run
  reports drift (message, field, stored vs expected) without writing; otherwise repairs
  with conditional writes that never overwrite a concurrent live update.
  Exit 1 when drift was found (dry run) or left unrepaired.`,
  examples: ['dh replay projections --all --dry-run', 'dh replay projections --message order-1085'],
});
