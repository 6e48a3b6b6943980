import type { AttemptItem } from '@delivery-history/core';
import type { Store } from '@delivery-history/store';
import { mapLimit } from '@delivery-history/testkit/mapLimit';
import * as E from 'fp-ts/lib/Either.js';
import * as assert from 'uvu/assert';
import type { Accounting } from './reliabilitySummary.js';

// The books of a run: what was sent, what the receivers saw, what the table recorded.
// - lost: a message sent whose STATE is missing or not in the expected final status;
// - double-counted: a message with more recorded observed attempts (all but `lost`) than
//   HTTP requests the receiver saw -- an observed attempt without a request;
// - unaccounted: requests that are neither recorded attempts nor logged by the worker as
//   "attempt not recorded after an HTTP request was sent" (a store outage at the wrong
//   moment: at-least-once delivery, said out loud). That log is an upper bound: after an
//   ambiguous failure (a timeout on a write that did commit) the attempt may be there.

/**
 * `attempts`: the attempts the receiver's behaviour implies. Extra attempts that timed out
 * are tolerated unless `exact` (a loaded machine can miss a 1-2 s response deadline: that
 * is a correct, recorded timeout and a retry, not a bookkeeping error); a timeout or a
 * request the worker logged as not recorded may also stand for one of the implied attempts.
 */
export type Expectation = {
  readonly status: 'SUCCESS' | 'FAILED';
  readonly attempts?: number;
  readonly exact?: boolean;
};

export type MessageBooks = {
  readonly messageId: string;
  readonly status: string | null;
  readonly attempts: number;
  readonly requests: number;
  readonly unrecorded: number;
  readonly categories: ReadonlyArray<string>;
};

export type LedgerReport = {
  readonly messages: number;
  readonly lost: ReadonlyArray<string>;
  readonly doubleCounted: ReadonlyArray<string>;
  readonly unaccounted: ReadonlyArray<string>;
  readonly wrongAttempts: ReadonlyArray<string>;
  readonly totalAttempts: number;
  readonly totalRequests: number;
  readonly totalUnrecorded: number;
  /** Attempts that timed out (slow machine or a hanging receiver). */
  readonly timeouts: number;
  readonly books: ReadonlyArray<MessageBooks>;
};

/** The receivers' requests counted by message id (`webhook-id`), as checkLedger's `requestsOf`. */
export const requestsById = (requests: Iterable<{ readonly webhookId: string | null }>): ((id: string) => number) => {
  const byId = new Map<string, number>();
  for (const r of requests) if (r.webhookId !== null) byId.set(r.webhookId, (byId.get(r.webhookId) ?? 0) + 1);
  return (id) => byId.get(id) ?? 0;
};

export const checkLedger = async (
  store: Store,
  expected: ReadonlyMap<string, Expectation>,
  requestsOf: (messageId: string) => number,
  unrecordedOf: (messageId: string) => number,
): Promise<LedgerReport> => {
  const books: MessageBooks[] = [];
  const lost: string[] = [];
  const doubleCounted: string[] = [];
  const unaccounted: string[] = [];
  const wrongAttempts: string[] = [];
  await mapLimit(expected.entries(), 8, async ([messageId, want]) => {
    const h = await store.getHistory(messageId)();
    const attempts: AttemptItem[] = E.isRight(h) ? h.right.attempts : [];
    const status = E.isRight(h) ? h.right.state.status : null;
    const b: MessageBooks = {
      messageId,
      status,
      attempts: attempts.length,
      requests: requestsOf(messageId),
      unrecorded: unrecordedOf(messageId),
      categories: attempts.map((a) => a.deliveryResult.category),
    };
    books.push(b);
    const final =
      E.isRight(h) &&
      (h.right.state.status === 'SUCCESS' || (h.right.state.status === 'FAILED' && !h.right.state.retryEligible));
    if (status !== want.status || !final) lost.push(messageId);
    // a `lost` attempt stands for a claim whose request may or may not have gone out
    // (invariant 5: requests <= attempts); only observed attempts need a request each
    const observed = b.categories.filter((c) => c !== 'lost').length;
    if (observed > b.requests) doubleCounted.push(messageId);
    // a logged "not recorded" may have committed after all (an ambiguous timeout): it is an
    // upper bound, so requests must lie between the attempts and attempts + those logs
    if (b.requests > b.attempts + b.unrecorded) unaccounted.push(messageId);
    // a timed-out attempt or an unrecorded request (store down after the HTTP call) may stand
    // for one of the implied attempts (the receiver answered, too late or unrecorded)
    const least = want.exact === true ? b.attempts : b.categories.filter((c) => c !== 'timeout' && c !== 'lost').length;
    const most = want.exact === true ? b.attempts : b.attempts + b.unrecorded;
    if (want.attempts !== undefined && (least > want.attempts || most < want.attempts)) wrongAttempts.push(messageId);
  });
  return {
    messages: expected.size,
    lost,
    doubleCounted,
    unaccounted,
    wrongAttempts,
    totalAttempts: books.reduce((n, b) => n + b.attempts, 0),
    totalRequests: books.reduce((n, b) => n + b.requests, 0),
    totalUnrecorded: books.reduce((n, b) => n + b.unrecorded, 0),
    timeouts: books.reduce((n, b) => n + b.categories.filter((c) => c === 'timeout').length, 0),
    books,
  };
};

/** Invariant 5's books of a ledger, for the file's summary; `recovered`: the rig's count. */
export const accountingOf = (report: LedgerReport, recovered: number): Accounting => ({
  requestsReceived: report.totalRequests,
  attemptsRecorded: report.totalAttempts,
  lostAttempts: report.books.reduce((n, b) => n + b.categories.filter((c) => c === 'lost').length, 0),
  recoveredThroughSqs: recovered,
});

/** A few offending messages, for an assertion message a human can act on. */
export const sample = (report: LedgerReport, ids: ReadonlyArray<string>): string =>
  JSON.stringify(report.books.filter((b) => ids.slice(0, 5).includes(b.messageId)));

/**
 * The books must balance: nothing lost, nothing double-counted, every request accounted for,
 * attempt counts as the receivers imply. On failure, `trace` (the rig's) prints the evidence
 * of a few offending messages first: their log lines and receiver requests in time order.
 */
export const assertBooks = (report: LedgerReport, trace: (messageIds: ReadonlyArray<string>) => string): void => {
  const troubled = [
    ...new Set([...report.lost, ...report.doubleCounted, ...report.unaccounted, ...report.wrongAttempts]),
  ].slice(0, 3);
  if (troubled.length > 0) console.error(`trace of ${troubled.join(', ')}:\n${trace(troubled)}`);
  assert.equal(report.lost, [], `lost: ${sample(report, report.lost)}`);
  assert.equal(report.doubleCounted, [], `double-counted: ${sample(report, report.doubleCounted)}`);
  assert.equal(
    report.unaccounted,
    [],
    `requests neither recorded nor logged as not recorded: ${sample(report, report.unaccounted)}`,
  );
  assert.equal(report.wrongAttempts, [], `wrong attempt counts: ${sample(report, report.wrongAttempts)}`);
};
