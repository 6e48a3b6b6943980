import { type AttemptItem, OutcomeCategory } from '@delivery-history/core';
import type { StateSummary, Store } from '@delivery-history/store';
import { sequenceS } from 'fp-ts/lib/Apply.js';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { HostArg, IntArg, NonEmptyArg, TimeArg } from '../kit/args/codecs.js';
import { hostMatches } from '../kit/args/common.js';
import { timeWindowError } from '../kit/args/timeWindow.js';
import { failedQuery } from '../failed/failed.js';
import { hostOf } from '../tail/tail.js';
import { consoleParam } from './consoleParams.js';

// `/messages?status=&endpoint=&category=&code=&since=&until=&correlation=&cursor=`: the filter, read
// through the CLI's codecs and window rule, and the index that answers it: the `dh failed` query
// (failedQuery), `dh correlation`'s index with a correlation id, `dh endpoint`'s index for
// `status=any` with an endpoint. Category and code are predicates on the rows that index returns.
// Each status is one entry of STATUSES (its index and its row predicate): a new one is one entry.

const HOUR_MS = 3_600_000;

/** What the filter looks at: a listed message's STATE summary, or a live attempt seen as one (`attemptRow`). */
type Row = Pick<StateSummary, 'status' | 'retryEligible' | 'endpoint' | 'correlationId' | 'deliveryResult'>;

export const STATUSES = {
  failed: { label: 'failed', keep: (r: Row) => r.status === 'FAILED' },
  exhausted: { label: 'failed, final', keep: (r: Row) => r.status === 'FAILED' && !r.retryEligible },
  held: { label: 'held (endpoint breaker)', keep: (r: Row) => r.status === 'HELD' },
  any: { label: 'any (needs an endpoint or a correlation id)', keep: (_: Row) => true },
} as const;
export type StatusFilter = keyof typeof STATUSES;

export type MessagesFilter = {
  readonly status: StatusFilter;
  readonly endpoint: string | undefined;
  readonly category: OutcomeCategory | undefined;
  /** An HTTP status, or `none` (no response). */
  readonly code: string | undefined;
  readonly correlation: string | undefined;
  readonly since: Date;
  readonly until: Date;
  /** Whether the window was given (a correlation id alone lists all its messages). */
  readonly windowGiven: boolean;
};

const Code = t.union([t.literal('none'), IntArg(100, 599)]);

/** The filter a `/messages` query asks for, or one line saying which parameter is wrong. */
export const messagesFilter = (
  q: Readonly<Record<string, string>>,
  now: Date,
  zone: string,
): E.Either<string, MessagesFilter> => {
  const status = q.status === undefined || q.status === '' ? 'failed' : q.status;
  if (!Object.hasOwn(STATUSES, status)) return E.left(`status: expected one of ${Object.keys(STATUSES).join(', ')}`);
  const params = sequenceS(E.Apply)({
    since: consoleParam('since', TimeArg(now, zone), q.since),
    until: consoleParam('until', TimeArg(now, zone), q.until),
    endpoint: consoleParam('endpoint', HostArg, q.endpoint),
    category: consoleParam('category', OutcomeCategory, q.category),
    code: consoleParam('code', Code, q.code),
    correlation: consoleParam('correlation', NonEmptyArg, q.correlation),
  });
  if (E.isLeft(params)) return params;
  const p = params.right;
  if (status === 'any' && p.endpoint === undefined && p.correlation === undefined)
    return E.left('status: any needs an endpoint or a correlation id (no index lists every message by time)');
  const end = p.until ?? now;
  const f: MessagesFilter = {
    status: status as StatusFilter,
    endpoint: p.endpoint,
    category: p.category,
    code: p.code === undefined ? undefined : String(p.code),
    correlation: p.correlation,
    since: p.since ?? new Date(end.getTime() - HOUR_MS),
    until: end,
    windowGiven: p.since !== undefined || p.until !== undefined,
  };
  const wrong = timeWindowError(f, now, { names: { since: 'since', until: 'until' } });
  return wrong === null ? E.right(f) : E.left(wrong);
};

/** The filter's parameters the live toggle polls with (the window is not one: see keepOf). */
export const liveParams = (f: MessagesFilter): Record<string, string | undefined> => ({
  status: f.status,
  endpoint: f.endpoint,
  category: f.category,
  code: f.code,
  correlation: f.correlation,
});

/** The filter as query parameters (the page's own links; a deep link's parameters, resolved). */
export const filterParams = (f: MessagesFilter): Record<string, string | undefined> => ({
  ...liveParams(f),
  ...(f.correlation !== undefined && !f.windowGiven
    ? {}
    : { since: f.since.toISOString(), until: f.until.toISOString() }),
});

/**
 * The rows the filter keeps: of what its index returns (the list), and of the attempts the
 * stream brings (the live toggle, through `attemptRow`). The one rule for both; the window is
 * the index's (a live attempt is new by definition).
 */
export const keepOf =
  (f: MessagesFilter) =>
  (r: Row): boolean =>
    STATUSES[f.status].keep(r) &&
    (f.endpoint === undefined || hostMatches(f.endpoint, r.endpoint)) &&
    (f.correlation === undefined || r.correlationId === f.correlation) &&
    (f.category === undefined || r.deliveryResult?.category === f.category) &&
    (f.code === undefined || String(r.deliveryResult?.statusCode ?? 'none') === f.code);

/** A new attempt as the row its message's STATE has after it (status, retry, endpoint, result). */
export const attemptRow = (a: AttemptItem): Row => ({
  status: a.status,
  // as `dh tail` reads it: a failure with no next attempt ended its message
  retryEligible: a.status === 'FAILED' && a.nextAttemptAt !== null,
  endpoint: hostOf(a.request.url),
  correlationId: a.deliveryResult.correlationId,
  deliveryResult: a.deliveryResult,
});

/** The index read that answers the filter, newest first: the same store calls the CLI's lists make. */
export const messagesQuery = (store: Store, f: MessagesFilter) => {
  const keep = keepOf(f);
  const paging = (cursor: string | null) => ({ order: 'newest' as const, ...(cursor !== null ? { cursor } : {}) });
  if (f.correlation !== undefined) {
    const correlationId = f.correlation;
    const created = f.windowGiven ? { createdSince: f.since, createdUntil: f.until } : {};
    return {
      keep,
      fetch: (limit: number, cursor: string | null) =>
        store.queryByCorrelation({ correlationId, ...created, limit, ...paging(cursor) }),
    };
  }
  if (f.status === 'any' && f.endpoint !== undefined) {
    const endpoint = f.endpoint;
    return {
      keep,
      fetch: (limit: number, cursor: string | null) =>
        store.queryByEndpoint({ endpoint, since: f.since, until: f.until, limit, ...paging(cursor) }),
    };
  }
  const failed = failedQuery(store, {
    since: f.since,
    until: f.until,
    window: { since: f.since.toISOString(), until: f.until.toISOString(), createdSince: null, createdUntil: null },
    exhausted: f.status === 'exhausted',
    held: f.status === 'held',
    order: 'newest',
    host: f.endpoint,
  });
  // failedQuery's keep: the host rule, and held messages in their own list only
  return { keep: (r: Row) => failed.keep(r) && keep(r), fetch: failed.fetch };
};

/** The `dh` command that lists the same messages. */
export const messagesCommand = (f: MessagesFilter): string => {
  if (f.correlation !== undefined)
    return [
      `dh correlation ${JSON.stringify(f.correlation)}`,
      ...(f.windowGiven ? [`--created-since ${f.since.toISOString()} --created-until ${f.until.toISOString()}`] : []),
      '--order newest',
    ].join(' ');
  if (f.status === 'any' && f.endpoint !== undefined)
    return `dh endpoint ${f.endpoint} --since ${f.since.toISOString()} --until ${f.until.toISOString()} --order newest`;
  return [
    'dh failed',
    `--since ${f.since.toISOString()}`,
    `--until ${f.until.toISOString()}`,
    ...(f.status === 'exhausted' ? ['--exhausted'] : f.status === 'held' ? ['--held'] : []),
    ...(f.endpoint !== undefined ? [`--endpoint ${f.endpoint}`] : []),
    '--order newest',
  ].join(' ');
};
