import { IntArg, timeArg } from '../kit/args/codecs.js';
import { flag, option } from '../kit/args/option.js';
import { declare } from '../kit/args/declaration.js';

/** `dh replay endpoints`: its flags, synopsis and help. */
export const replayEndpointsArgs = declare({
  name: 'replay endpoints',
  positionals: [],
  options: {
    since: option(timeArg, { value: 'TIME', help: 'window start (whole hours)', defaultText: '24 h before --until' }),
    until: option(timeArg, { value: 'TIME', help: 'window end (whole hours)', defaultText: 'the current hour' }),
    // the store's DEFAULT_HEALTH_SHARDS when absent (not imported here: help loads no store)
    shards: option(IntArg(1, 64), {
      value: 'N',
      help: "the projector's DELIVERY_HEALTH_SHARDS (1..64)",
      defaultText: '4',
    }),
    segments: option(IntArg(1, 64), { value: 'N', help: 'parallel Scan segments (1..64)', default: 16 }),
    'dry-run': flag({ help: 'report differing buckets, write nothing' }),
  },
  synopsis: '[--since TIME] [--until TIME] [--shards N] [--segments N] [--dry-run] [--json]',
  about: `  Recompute the endpoint-health buckets of a window (whole hours; default the 24 h before the
  current hour) from the attempts, scanning the table, and overwrite the stored ones (counts
  are set, not added). Counts only attempts the projector has applied (at or below each
  message's audit high-water mark), so a running projector adds the rest itself; rebuild
  closed hours (the default) or stop the projector. --shards: the projector's
  DELIVERY_HEALTH_SHARDS. --dry-run reports differing buckets (exit 1 when any).`,
  examples: ['dh replay endpoints --dry-run', 'dh replay endpoints --since 2026-11-30 --until 2026-12-01'],
});
