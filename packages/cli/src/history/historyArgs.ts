import { IntArg, MessageIdArg } from '../kit/args/codecs.js';
import { flag, option, positional } from '../kit/args/option.js';
import { declare } from '../kit/args/declaration.js';

/** `dh history`: its flags, synopsis and help. */
export const historyArgs = declare({
  name: 'history',
  positionals: [positional('messageId', MessageIdArg)],
  options: {
    attempt: option(IntArg(1, 1_000_000), {
      value: 'N',
      help: "that attempt's request as sent, response status, kept headers and body snippet",
    }),
    // with --attempt: leave the request body out (it is the customer's payload)
    'no-body': flag({ help: 'with --attempt: leave the request body out' }),
  },
  synopsis: '<messageId> [--attempt N [--no-body]] [--wide] [--json]',
  about: `  The message's current state, every attempt (started, completed, how late against its
  schedule, result, error) and its audit trail. --attempt N: that attempt's request,
  response status, kept response headers and body snippet.`,
  examples: ['dh history order-1085', 'dh history order-1085 --attempt 2', 'dh history order-1085 --json | jq .state'],
});
