import { HostArg, timeArg } from '../kit/args/codecs.js';
import { option, optionalPositional } from '../kit/args/option.js';
import { declare } from '../kit/args/declaration.js';

/** `dh endpoints`: its flags, synopsis and help. */
export const endpointsArgs = declare({
  name: 'endpoints',
  positionals: [optionalPositional('host', HostArg)],
  options: {
    since: option(timeArg, {
      value: 'TIME',
      help: 'window start (widened to the hour)',
      defaultText: '24 h before --until',
    }),
    until: option(timeArg, { value: 'TIME', help: 'window end (widened to the hour)', defaultText: 'now' }),
  },
  synopsis: '[<host[:port]>] [--since TIME] [--until TIME] [--wide] [--json]',
  about: `  Endpoint health over a window (default the last 24 h, widened to whole hours) from the
  projector's hourly aggregates (never a scan): deliveries, success rate, p50/p99 response
  time (the upper edge of the histogram bucket), failures by category, last success,
  consecutive failures since it; worst first. With a host (a bare host matches every port):
  its hourly series. Exit 1 when nothing was delivered in the window.`,
  examples: ['dh endpoints', 'dh endpoints hooks.example.com --since -6h', 'dh endpoints --json | jq ".endpoints[0]"'],
});
