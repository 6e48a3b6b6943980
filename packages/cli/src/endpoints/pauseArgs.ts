import { HostArg, NonEmptyArg } from '../kit/args/codecs.js';
import { option, positional } from '../kit/args/option.js';
import { declare, flags } from '../kit/args/declaration.js';

/** Who and why of a breaker change (pause, resume). */
export const BREAKER_CHANGE = flags({
  reason: option(NonEmptyArg, { value: 'TEXT', help: 'why (stored on the breaker)' }),
  by: option(NonEmptyArg, { value: 'WHO', help: 'who (default: $DH_OPERATOR, else $USER)', env: 'DH_OPERATOR' }),
});

/** `dh endpoints pause`: its flags, synopsis and help. */
export const pauseArgs = declare({
  name: 'endpoints pause',
  positionals: [positional('host', HostArg)],
  options: { ...BREAKER_CHANGE },
  synopsis: '<host[:port]> --reason TEXT [--by WHO] [--json]',
  about: `  Pauses an endpoint's breaker (issue 27; needs DELIVERY_BREAKER=on in the worker): its
  deliveries are held (recorded, not sent, no attempt spent) until resumed. Audited: who
  (--by, DH_OPERATOR, USER), why and when are on the breaker and on every hold.`,
  examples: ['dh endpoints pause hooks.example.com --reason "INC-42: receiver maintenance"'],
});
