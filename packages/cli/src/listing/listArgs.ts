import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { IntArg, optional, TimeArg } from '../kit/args/codecs.js';
import type { OptionSpecs } from '../kit/args/parse.js';

// The flags every list command (failed, endpoint, correlation) shares: paging, order,
// output format, the created-time window.

export const LIST_OPTIONS = {
  limit: { type: 'string' },
  cursor: { type: 'string' },
  all: { type: 'boolean' },
  order: { type: 'string' },
  output: { type: 'string', short: 'o' },
  'created-since': { type: 'string' },
  'created-until': { type: 'string' },
} as const satisfies OptionSpecs;

export const Order = t.keyof({ oldest: null, newest: null }, 'oldest|newest');
export type Order = t.TypeOf<typeof Order>;

const Output = t.keyof({ table: null, json: null, tsv: null }, 'table|json|tsv');
export type Output = t.TypeOf<typeof Output>;

export const ListArgs = (now: Date) =>
  t.type({
    limit: optional(IntArg(1, 1000)),
    cursor: optional(t.string),
    all: optional(t.boolean),
    order: optional(Order),
    output: optional(Output),
    'created-since': optional(TimeArg(now)),
    'created-until': optional(TimeArg(now)),
  });
export type ListArgs = t.TypeOf<ReturnType<typeof ListArgs>>;

/** `--output`, with `--json` as its alias; both saying different things is an error. */
export const outputOf = (a: { readonly json?: boolean | undefined; readonly output?: Output | undefined }) =>
  a.json === true && a.output !== undefined && a.output !== 'json'
    ? E.left(`--json is --output json; it cannot go with --output ${a.output}`)
    : E.right<string, Output>(a.json === true ? 'json' : (a.output ?? 'table'));
