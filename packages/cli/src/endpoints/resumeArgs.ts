import { HostArg, IntArg } from '../kit/args/codecs.js';
import { option, positional } from '../kit/args/option.js';
import { BREAKER_CHANGE } from './pauseArgs.js';
import { declare } from '../kit/args/declaration.js';

/** `dh endpoints resume`: its flags, synopsis and help. */
export const resumeArgs = declare({
  name: 'endpoints resume',
  positionals: [positional('host', HostArg)],
  options: {
    ...BREAKER_CHANGE,
    // the drain's pace (drainHeld's DEFAULT_DRAIN_RATE when absent)
    rate: option(IntArg(1, 1000), { value: 'N', help: 'held messages released a second (1..1000)', defaultText: '10' }),
  },
  synopsis: '<host[:port]> [--rate N] [--reason TEXT] [--by WHO] [--json]',
  about: `  Closes an endpoint's breaker (paused, disabled or open) and drains its held messages
  oldest created first, at most N a second (default 10): to SQS with DELIVERY_QUEUE_URL, else
  delivered here by the worker's local driver. Exit 1 when a held message could not be
  released (it stays held; run it again).`,
  examples: ['dh endpoints resume hooks.example.com --rate 20'],
});
