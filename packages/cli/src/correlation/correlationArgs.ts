import { NonEmptyArg } from '../kit/args/codecs.js';
import { positional } from '../kit/args/option.js';
import { CREATED, LIST } from '../listing/listArgs.js';
import { declare } from '../kit/args/declaration.js';

/** `dh correlation`: its flags, synopsis and help. */
export const correlationArgs = declare({
  name: 'correlation',
  positionals: [positional('correlationId', NonEmptyArg)],
  options: { ...CREATED, ...LIST },
  synopsis:
    '<correlationId> [--created-since TIME] [--created-until TIME] [--order oldest|newest] [--limit N] [--cursor C] [--all] [--count] [--output table|json|tsv]',
  about: `  Messages sharing a correlation id, by creation time, with their error text and
  response time. --created-since/--created-until: a window on creation time (the index's
  sort key: a key range, nothing read outside it).`,
  examples: [
    'dh correlation order-7',
    'dh correlation order-7 --order newest --created-since -1d',
    'dh correlation order-7 --json | jq ".items[].messageId"',
  ],
});
