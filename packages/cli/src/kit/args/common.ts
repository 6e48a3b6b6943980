import type { ConfigFlags } from '../config/readConfig.js';
import { ProgressMode, UrlArg, ZoneArg } from './codecs.js';
import { flags, type ValuesOf } from './declaration.js';
import { flag, option } from './option.js';
import * as t from 'io-ts';

/** Flags every command accepts (their variables are read by the configuration reader, the pager and the zone rule). */
export const COMMON = flags({
  json: flag({ help: 'machine-readable output on stdout (stable shape, see README)' }),
  table: option(t.string, {
    value: 'NAME',
    help: 'table (default: $DELIVERY_TABLE_NAME or delivery-history)',
    env: 'DELIVERY_TABLE_NAME',
  }),
  'endpoint-url': option(UrlArg, {
    value: 'URL',
    help: 'DynamoDB endpoint (default: $AWS_ENDPOINT_URL_DYNAMODB; AWS when unset)',
    env: 'AWS_ENDPOINT_URL_DYNAMODB',
  }),
  region: option(t.string, { value: 'REGION', help: 'AWS region (default: $AWS_REGION)', env: 'AWS_REGION' }),
  // absent: the zone withArgs found ($TZ when valid, else UTC), so a command always has one
  tz: option(ZoneArg, {
    value: 'ZONE',
    help: 'show times in this IANA zone (default: $TZ, else UTC)',
    env: 'TZ',
    defaultFrom: (c) => c.zone,
  }),
  wide: flag({ help: 'tables at full width on a terminal (piped output is never cut)' }),
  // read by the pager (pager.ts) before the command runs; declared so every command accepts it
  'no-pager': flag({
    help: 'no pager on a terminal (default: $DH_PAGER, else $PAGER, else less -FRX,\nfor history, failed, endpoint, correlation, endpoints; never when piped)',
    env: 'DH_PAGER',
  }),
  help: flag({ short: 'h', help: "this command's options and examples" }),
});

/** The flags of COMMON, decoded. */
export type CommonArgs = ValuesOf<typeof COMMON>;

/** `--progress` for long commands. */
export const PROGRESS = flags({
  progress: option(ProgressMode, {
    value: 'MODE',
    help: 'auto (a bar on a terminal, lines when piped), bar, lines or none',
    default: 'auto',
  }),
});

/** `host` matches `host` and `host:<any port>`; `host:port` only itself (both lower-case). */
export const hostMatches = (filter: string, endpoint: string): boolean =>
  endpoint === filter || (!/:\d+$|\]$/.test(filter) && endpoint.startsWith(`${filter}:`));

/** The table, DynamoDB URL and region flags. `--endpoint` is never the URL: it is the receiver filter. */
export const configFlags = (a: CommonArgs): ConfigFlags => ({
  table: a.table,
  endpointUrl: a['endpoint-url'],
  region: a.region,
});
