import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { IntArg, timeArg } from '../kit/args/codecs.js';
import { flags } from '../kit/args/declaration.js';
import { flag, option } from '../kit/args/option.js';

// The flags every list command (failed, endpoint, correlation) shares: paging, order,
// output format, the created-time window.

export const Order = t.keyof({ oldest: null, newest: null }, 'oldest|newest');
export type Order = t.TypeOf<typeof Order>;

const Output = t.keyof({ table: null, json: null, tsv: null }, 'table|json|tsv');
export type Output = t.TypeOf<typeof Output>;

export const LIST = flags({
  limit: option(IntArg(1, 1000), { value: 'N', help: 'rows per page (1..1000, default 50)' }),
  cursor: option(t.string, {
    value: 'C',
    help: 'the next page: alone, it repeats the query (window, order, filters);\nthe table prints a short id kept on this machine, --json the full cursor',
  }),
  all: flag({ help: 'every page, one after the other' }),
  count: flag({
    help: 'also the window\'s total ("50 of 1234 ..."; --json: "total"): one\nSelect COUNT read of the index range (costs about what paging all of it\nwould); not with a filter on the rows read (failed --endpoint, --status)',
  }),
  order: option(Order, {
    value: 'oldest|newest',
    help: 'oldest first (default) or newest first (the index read backwards)',
  }),
  output: option(Output, {
    value: 'table|json|tsv',
    short: 'o',
    help: 'table (default), JSON (--json is the same), or tab-separated values\n(a header of JSON field names, ISO times, nothing cut)',
  }),
});

/** The created-time window (failed, endpoint, correlation). */
export const CREATED = flags({
  'created-since': option(timeArg, {
    value: 'TIME',
    help: 'only messages created at or after TIME',
  }),
  'created-until': option(timeArg, {
    value: 'TIME',
    help: 'only messages created before TIME',
  }),
});

/** `--output`, with `--json` as its alias; both saying different things is an error. */
export const outputOf = (a: { readonly json?: boolean | undefined; readonly output?: Output | undefined }) =>
  a.json === true && a.output !== undefined && a.output !== 'json'
    ? E.left(`--json is --output json; it cannot go with --output ${a.output}`)
    : E.right<string, Output>(a.json === true ? 'json' : (a.output ?? 'table'));
