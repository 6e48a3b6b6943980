import * as t from 'io-ts';
import type { ConfigFlags } from '../config/readConfig.js';
import { optional, ProgressMode, UrlArg, ZoneArg } from './codecs.js';

/** The flags of COMMON_OPTIONS, decoded. */
export const CommonArgs = t.type({
  json: optional(t.boolean),
  table: optional(t.string),
  'endpoint-url': optional(UrlArg),
  region: optional(t.string),
  tz: optional(ZoneArg),
  wide: optional(t.boolean),
  // read by the pager (pager.ts) before the command runs; declared so every command accepts it
  'no-pager': optional(t.boolean),
  help: optional(t.boolean),
});
export type CommonArgs = t.TypeOf<typeof CommonArgs>;

/** `--progress` for long commands. */
export const ProgressArgs = t.type({ progress: optional(ProgressMode) });

/** `host` matches `host` and `host:<any port>`; `host:port` only itself (both lower-case). */
export const hostMatches = (filter: string, endpoint: string): boolean =>
  endpoint === filter || (!/:\d+$|\]$/.test(filter) && endpoint.startsWith(`${filter}:`));

/** The table, DynamoDB URL and region flags. `--endpoint` is never the URL: it is the receiver filter. */
export const configFlags = (a: CommonArgs): ConfigFlags => ({
  table: a.table,
  endpointUrl: a['endpoint-url'],
  region: a.region,
});
