import type { StateSummary, StoreError, StoreResult } from '@delivery-history/store';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import * as E from 'fp-ts/lib/Either.js';
import { type Context as HonoContext, Hono } from 'hono';
import { hourlySeriesOf } from '@delivery-history/core';
import { HostArg, MessageIdArg } from '../kit/args/codecs.js';
import { hostMatches } from '../kit/args/common.js';
import { endpointsDocument } from '../endpoints/endpoints.js';
import { failedQuery } from '../failed/failed.js';
import { failureMessage, storeFailure } from '../kit/failure.js';
import { historyView } from '../history/history.js';
import type { Context } from '../kit/context.js';
import type { Asset } from './consoleAssets.js';
import { type Access, securityHeaders } from './consoleSecurity.js';
import { consoleParam } from './consoleParams.js';
import { type PageWindow, pageWindow, type WindowName } from './consoleWindow.js';
import { endpointPage, endpointsPage, seriesOf } from './endpointsPage.js';
import type { LiveAttempts } from './liveAttempts.js';
import { actionRoutes } from './consoleActions.js';
import { type ConsoleExpunge, expungeRoutes } from './consoleExpunge.js';
import type { RedriveJobs } from './redriveJobs.js';
import { messagePage } from './messagePage.js';
import { attemptRow, keepOf, messagesFilter, messagesQuery } from './messagesFilter.js';
import { line } from './consoleHtml.js';
import { messagesPage, problemPage } from './messagesPage.js';
import { openIssues, overviewPage } from './overviewPage.js';
import { timed } from './serverTiming.js';

// The console's routes. Every page calls the run its `dh` command calls (historyView,
// failedQuery, the store's readHealthHours + endpointsDocument): no second query layer.

export type ConsoleDeps = {
  readonly ctx: Context;
  readonly access: Access;
  readonly assets: ReadonlyMap<string, Asset>;
  /** false: `--no-payloads`, request bodies and response snippets are never sent to the browser. */
  readonly payloads: boolean;
  readonly now: () => Date;
  /** The zone zone-less `since`/`until` are read in (dh console's --tz, else $TZ, else UTC). */
  readonly zone: string;
  /** The live toggle's stream follower (see liveAttempts.ts). */
  readonly live: LiveAttempts;
  /** Re-drive jobs; null with --read-only (no action route exists then). */
  readonly jobs: RedriveJobs | null;
  /** `dh expunge`'s run for one message; null with --read-only. */
  readonly expunge: ConsoleExpunge | null;
};

const PAGE_SIZE = 50;
/** Index pages one list page may read to fill itself when category or code drop rows. */
const MAX_READS = 10;
/** The most rows one index read asks for. */
const MAX_ASK = 500;
/** Failed messages the overview's open issues are counted over (the newest of the window). */
const ISSUE_ROWS = 1000;

/**
 * How many rows the next index read asks for: what is missing, scaled by the share of rows the
 * filter kept so far (a filter that keeps one row in five asks five times as many), so a
 * filtered page takes two or three reads instead of ten. Every kept row of a read is shown (a
 * page may pass PAGE_SIZE a little): the cursor stays exactly after the last row read.
 */
const askFor = (missing: number, read: number, kept: number): number =>
  read === 0 ? missing : Math.min(MAX_ASK, Math.ceil((missing * read) / Math.max(1, kept)));

/** One list page: reads until PAGE_SIZE rows are kept, the index ends, or MAX_READS reads. */
const fillPage = async (
  fetch: (limit: number, cursor: string | null) => TE.TaskEither<StoreError, StoreResult<'queryFailed'>>,
  keep: (r: StateSummary) => boolean,
  from: string | null,
): Promise<E.Either<StoreError, { rows: StateSummary[]; cursor: string | null }>> => {
  const rows: StateSummary[] = [];
  let cursor = from;
  let read = 0;
  for (let reads = 0; reads < MAX_READS && rows.length < PAGE_SIZE; reads += 1) {
    const page = await fetch(askFor(PAGE_SIZE - rows.length, read, rows.length), cursor)();
    if (E.isLeft(page)) return page;
    read += page.right.items.length;
    rows.push(...page.right.items.filter(keep));
    cursor = page.right.cursor;
    if (cursor === null) break;
  }
  return E.right({ rows, cursor });
};

const storeStatus = (e: StoreError): 404 | 503 => (e._tag === 'NotFound' ? 404 : 503);

export const consoleApp = (d: ConsoleDeps): Hono => {
  const app = new Hono();
  app.use('*', securityHeaders);
  app.use('*', d.access.guard);

  // browsers ask for it on every page; no icon, and no 404 in their console
  app.get('/favicon.ico', (c) => c.body(null, 204));

  app.get('/assets/:name', (c) => {
    const name = c.req.param('name');
    const a = d.assets.get(name);
    if (a === undefined) return c.notFound();
    return c.body(new Uint8Array(a.body), 200, { 'Content-Type': a.type });
  });

  /** The endpoint-hour roll-ups of a window, as `dh endpoints` reads them. */
  const buckets = (c: HonoContext, w: PageWindow, host?: string) =>
    timed(
      c,
      'health',
      d.ctx.store.readHealthHours({
        since: w.since,
        until: w.until,
        ...(host === undefined ? {} : { keep: (e: string) => hostMatches(host, e) }),
      }),
    );

  const health = async (c: HonoContext, w: PageWindow, host?: string) =>
    E.map((b: Parameters<typeof endpointsDocument>[2]) => endpointsDocument(w.since, w.until, b, host !== undefined))(
      await buckets(c, w, host),
    );

  const windowOf = (q: Readonly<Record<string, string>>, fallback: WindowName) =>
    pageWindow(q, fallback, d.now(), d.zone);

  const healthFailure = (e: StoreError) =>
    problemPage('Store error', failureMessage(storeFailure(e, 'endpoint health')) ?? '');

  app.get('/', async (c) => {
    const w = windowOf(c.req.query(), '1h');
    if (E.isLeft(w)) return c.html(problemPage('Bad request', w.left), 400);
    const { fetch, keep } = failedQuery(d.ctx.store, {
      since: w.right.since,
      until: w.right.until,
      window: {
        since: w.right.since.toISOString(),
        until: w.right.until.toISOString(),
        createdSince: null,
        createdUntil: null,
      },
      exhausted: false,
      order: 'newest',
      host: undefined,
    });
    // the aggregates and the open issues' rows at once: neither needs the other
    const [read, failed] = await Promise.all([buckets(c, w.right), timed(c, 'failed', fetch(ISSUE_ROWS, null))]);
    if (E.isLeft(read)) return c.html(healthFailure(read.left), 503);
    if (E.isLeft(failed))
      return c.html(
        problemPage('Store error', failureMessage(storeFailure(failed.left, 'failed messages')) ?? ''),
        503,
      );
    const view = await timed(c, 'view', async () => ({
      doc: endpointsDocument(w.right.since, w.right.until, read.right, false),
      hours: hourlySeriesOf(read.right),
      issues: openIssues(failed.right.items.filter(keep)),
      issueRows: failed.right.items.length,
      capped: failed.right.cursor !== null,
    }));
    return c.html(overviewPage(view, w.right));
  });

  app.get('/endpoints', async (c) => {
    const w = windowOf(c.req.query(), '24h');
    if (E.isLeft(w)) return c.html(problemPage('Bad request', w.left), 400);
    const doc = await health(c, w.right);
    if (E.isLeft(doc)) return c.html(healthFailure(doc.left), 503);
    return c.html(endpointsPage(doc.right, w.right));
  });

  app.get('/endpoints/:endpoint/series.json', async (c) => {
    const host = consoleParam('endpoint', HostArg, c.req.param('endpoint'));
    const w = windowOf(c.req.query(), '24h');
    if (E.isLeft(host) || host.right === undefined || E.isLeft(w))
      return c.json({ error: 'bad endpoint or window' }, 400);
    const doc = await health(c, w.right, host.right);
    if (E.isLeft(doc)) return c.json({ error: 'store error' }, 503);
    const row = doc.right.endpoints.find((e) => e.endpoint === host.right);
    return c.json(seriesOf(row !== undefined && 'hours' in row ? row.hours : [], doc.right.since, doc.right.until));
  });

  app.get('/endpoints/:endpoint', async (c) => {
    const host = consoleParam('endpoint', HostArg, c.req.param('endpoint'));
    if (E.isLeft(host) || host.right === undefined)
      return c.html(problemPage('Bad request', E.isLeft(host) ? host.left : 'endpoint: missing'), 400);
    const w = windowOf(c.req.query(), '24h');
    if (E.isLeft(w)) return c.html(problemPage('Bad request', w.left), 400);
    const doc = await health(c, w.right, host.right);
    if (E.isLeft(doc)) return c.html(healthFailure(doc.left), 503);
    return c.html(
      endpointPage(
        host.right,
        doc.right.endpoints.find((e) => e.endpoint === host.right),
        doc.right,
        w.right,
      ),
    );
  });

  app.get('/messages', async (c) => {
    const q = c.req.query();
    const filter = messagesFilter(q, d.now(), d.zone);
    if (E.isLeft(filter)) return c.html(problemPage('Bad request', filter.left), 400);
    const { fetch, keep } = messagesQuery(d.ctx.store, filter.right);
    const read = await timed(c, 'list', () =>
      fillPage(fetch, keep, q.cursor === undefined || q.cursor === '' ? null : q.cursor),
    );
    if (E.isLeft(read)) {
      const s = read.left._tag === 'Invalid' ? 400 : storeStatus(read.left);
      return c.html(
        problemPage('Could not list messages', failureMessage(storeFailure(read.left, 'messages')) ?? ''),
        s,
      );
    }
    return c.html(messagesPage(filter.right, read.right.rows, read.right.cursor, d.jobs !== null));
  });

  // before `/messages/:messageId`: the live toggle's poll (a JSON answer, never HTML)
  app.get('/messages/live.json', (c) => {
    // the page's own filter, read as the list reads it, kept by the list's one predicate
    const filter = messagesFilter(c.req.query(), d.now(), d.zone);
    const after = c.req.query('after');
    if (E.isLeft(filter) || (after !== undefined && !/^\d{1,15}$/.test(after)))
      return c.json({ _tag: 'failed', reason: E.isLeft(filter) ? line(filter.left) : 'after: a number' }, 400);
    const keep = keepOf(filter.right);
    return c.json(d.live.poll(after === undefined ? null : Number(after), (a) => keep(attemptRow(a))));
  });

  app.get('/messages/:messageId', async (c) => {
    const id = consoleParam('messageId', MessageIdArg, c.req.param('messageId'));
    if (E.isLeft(id) || id.right === undefined)
      return c.html(problemPage('Bad request', E.isLeft(id) ? id.left : 'messageId: missing'), 400);
    const read = await timed(c, 'history', () => historyView(d.ctx, id.right));
    if (E.isLeft(read))
      return c.html(
        problemPage('Message', failureMessage(storeFailure(read.left, `message "${id.right}"`)) ?? ''),
        storeStatus(read.left),
      );
    return c.html(messagePage(read.right, d.payloads, { redrive: d.jobs !== null, expunge: d.expunge !== null }));
  });

  if (d.jobs !== null)
    actionRoutes(app, { store: d.ctx.store, jobs: d.jobs, csrfOf: d.access.csrfOf, now: d.now, zone: d.zone });
  if (d.expunge !== null) expungeRoutes(app, { expunge: d.expunge, csrfOf: d.access.csrfOf });

  app.notFound((c) => c.html(problemPage('Not found', `no page at ${c.req.path}`), 404));
  // one line, never a stack trace in the page
  app.onError((e, c) => c.html(problemPage('Console error', e.message), 500));
  return app;
};
