import { HostArg, MessageIdArg, NonEmptyArg, timeArg } from '../kit/args/codecs.js';
import { flag, list, option, required } from '../kit/args/option.js';
import { declare } from '../kit/args/declaration.js';

/** `dh expunge`: its flags, synopsis and help. */
export const expungeArgs = declare({
  name: 'expunge',
  positionals: [],
  options: {
    message: list(MessageIdArg, { value: 'ID', help: 'these messages (repeat the flag)' }),
    endpoint: option(HostArg, { value: 'HOST', help: "one host's final messages (with --since)" }),
    since: option(timeArg, { value: 'TIME', help: 'last update at or after TIME' }),
    until: option(timeArg, { value: 'TIME', help: 'last update before TIME', defaultText: 'now' }),
    reason: required(NonEmptyArg, { value: 'TEXT', help: 'why (stored on the EXPUNGE event)' }),
    by: option(NonEmptyArg, { value: 'WHO', help: 'who (default: $DH_OPERATOR, else $USER)', env: 'DH_OPERATOR' }),
    'secrets-only': flag({ help: 're-apply the current secret policy instead of removing content' }),
    'dry-run': flag({ help: 'say what would change, write nothing' }),
  },
  synopsis:
    '(--message ID... | --endpoint HOST --since TIME [--until TIME]) --reason TEXT [--by WHO] [--secrets-only] [--dry-run] [--json]',
  about: `  Remove request and response content (headers, body, snippet, reason phrase) from a final
  message's STATE and attempts, keeping outcome metadata; an EXPUNGE event records who, why
  and when. --secrets-only re-applies the current secret policy instead. Idempotent: a
  second run changes nothing; a run that stopped part way is resumed.`,
  examples: [
    'dh expunge --message order-1085 --reason "GDPR request 2026-114" --dry-run',
    'dh expunge --endpoint hooks.example.com --since 2026-11-01 --secrets-only --reason "policy update"',
  ],
});
