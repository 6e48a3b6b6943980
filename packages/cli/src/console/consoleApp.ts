import type { StoreError } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import { Hono } from 'hono';
import { HostArg, MessageIdArg, TimeArg } from '../kit/args/codecs.js';
import { hostMatches } from '../kit/args/common.js';
import { timeWindowError } from '../kit/args/timeWindow.js';
import { endpointsDocument } from '../endpoints/endpoints.js';
import { failedQuery } from '../failed/failed.js';
import { failureMessage, storeFailure } from '../kit/failure.js';
import { historyView } from '../history/history.js';
import type { Context } from '../kit/context.js';
import type { Asset } from './consoleAssets.js';
import { type Access, securityHeaders } from './consoleSecurity.js';
import { endpointPage, endpointsPage, overviewPage, seriesOf, WINDOWS, type WindowName } from './endpointsPage.js';
import { messagePage } from './messagePage.js';
import { type MessagesFilter, messagesPage, problemPage } from './messagesPage.js';
import { consoleParam } from './consoleParams.js';

// The console's routes. Every page calls the run its `dh` command calls (historyView,
// failedQuery, the store's readEndpointHealth + endpointsDocument): no second query layer.

export type ConsoleDeps = {
  readonly ctx: Context;
  readonly access: Access;
  readonly assets: ReadonlyMap<string, Asset>;
  /** false: `--no-payloads`, request bodies and response snippets are never sent to the browser. */
  readonly payloads: boolean;
  readonly now: () => Date;
  /** The zone zone-less `since`/`until` are read in (dh console's --tz, else $TZ, else UTC). */
  readonly zone: string;
};

const HOUR_MS = 3_600_000;
const PAGE_SIZE = 50;

const windowOf = (w: string | undefined, fallback: WindowName): WindowName | null =>
  w === undefined || w === '' ? fallback : Object.hasOwn(WINDOWS, w) ? (w as WindowName) : null;

/** The `/messages` filter from its query, through the CLI's codecs and window rule. */
const messagesFilter = (
  q: Readonly<Record<string, string>>,
  now: Date,
  zone: string,
): E.Either<string, MessagesFilter> => {
  const status = q.status === undefined || q.status === '' ? 'failed' : q.status;
  if (status !== 'failed' && status !== 'exhausted' && status !== 'held')
    return E.left('status: expected failed, exhausted or held (the dh failed query)');
  const since = consoleParam('since', TimeArg(now, zone), q.since);
  if (E.isLeft(since)) return since;
  const until = consoleParam('until', TimeArg(now, zone), q.until);
  if (E.isLeft(until)) return until;
  const endpoint = consoleParam('endpoint', HostArg, q.endpoint);
  if (E.isLeft(endpoint)) return endpoint;
  const f: MessagesFilter = {
    status,
    endpoint: endpoint.right,
    since: since.right ?? new Date(now.getTime() - HOUR_MS),
    until: until.right ?? now,
  };
  const wrong = timeWindowError(f, now);
  return wrong === null ? E.right(f) : E.left(wrong);
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

  /** The health buckets of a window, as `dh endpoints` reads them. */
  const health = async (windowName: WindowName, host?: string) => {
    const until = d.now();
    const since = new Date(until.getTime() - WINDOWS[windowName]);
    const read = await d.ctx.store.readEndpointHealth({
      since,
      until,
      ...(host === undefined ? {} : { keep: (e: string) => hostMatches(host, e) }),
    })();
    return E.map((buckets: Parameters<typeof endpointsDocument>[2]) =>
      endpointsDocument(since, until, buckets, host !== undefined),
    )(read);
  };

  const healthPage = (fallback: WindowName, render: typeof overviewPage) =>
    app.get(fallback === '1h' ? '/' : '/endpoints', async (c) => {
      const w = windowOf(c.req.query('window'), fallback);
      if (w === null)
        return c.html(problemPage('Bad request', `window: expected one of ${Object.keys(WINDOWS).join(', ')}`), 400);
      const doc = await health(w);
      if (E.isLeft(doc))
        return c.html(problemPage('Store error', failureMessage(storeFailure(doc.left, 'endpoint health')) ?? ''), 503);
      return c.html(render(doc.right, w));
    });
  healthPage('1h', overviewPage);
  healthPage('24h', endpointsPage);

  app.get('/endpoints/:endpoint/series.json', async (c) => {
    const host = consoleParam('endpoint', HostArg, c.req.param('endpoint'));
    const w = windowOf(c.req.query('window'), '24h');
    if (E.isLeft(host) || host.right === undefined || w === null)
      return c.json({ error: 'bad endpoint or window' }, 400);
    const doc = await health(w, host.right);
    if (E.isLeft(doc)) return c.json({ error: 'store error' }, 503);
    const row = doc.right.endpoints.find((e) => e.endpoint === host.right);
    return c.json(seriesOf(row !== undefined && 'hours' in row ? row.hours : [], doc.right.since, doc.right.until));
  });

  app.get('/endpoints/:endpoint', async (c) => {
    const host = consoleParam('endpoint', HostArg, c.req.param('endpoint'));
    if (E.isLeft(host) || host.right === undefined)
      return c.html(problemPage('Bad request', E.isLeft(host) ? host.left : 'endpoint: missing'), 400);
    const w = windowOf(c.req.query('window'), '24h');
    if (w === null)
      return c.html(problemPage('Bad request', `window: expected one of ${Object.keys(WINDOWS).join(', ')}`), 400);
    const doc = await health(w, host.right);
    if (E.isLeft(doc))
      return c.html(problemPage('Store error', failureMessage(storeFailure(doc.left, 'endpoint health')) ?? ''), 503);
    return c.html(
      endpointPage(
        host.right,
        doc.right.endpoints.find((e) => e.endpoint === host.right),
        doc.right,
        w,
      ),
    );
  });

  app.get('/messages', async (c) => {
    const now = d.now();
    const q = c.req.query();
    const filter = messagesFilter(q, now, d.zone);
    if (E.isLeft(filter)) return c.html(problemPage('Bad request', filter.left), 400);
    const f = filter.right;
    const { fetch, keep } = failedQuery(d.ctx.store, {
      since: f.since,
      until: f.until,
      window: { since: f.since.toISOString(), until: f.until.toISOString(), createdSince: null, createdUntil: null },
      exhausted: f.status === 'exhausted',
      held: f.status === 'held',
      order: 'newest',
      host: f.endpoint,
    });
    const cursor = q.cursor === undefined || q.cursor === '' ? null : q.cursor;
    const read = await fetch(PAGE_SIZE, cursor)();
    if (E.isLeft(read)) {
      const s = read.left._tag === 'Invalid' ? 400 : storeStatus(read.left);
      return c.html(
        problemPage('Could not list messages', failureMessage(storeFailure(read.left, 'messages')) ?? ''),
        s,
      );
    }
    return c.html(messagesPage(f, read.right.items.filter(keep), read.right.cursor));
  });

  app.get('/messages/:messageId', async (c) => {
    const id = consoleParam('messageId', MessageIdArg, c.req.param('messageId'));
    if (E.isLeft(id) || id.right === undefined)
      return c.html(problemPage('Bad request', E.isLeft(id) ? id.left : 'messageId: missing'), 400);
    const read = await historyView(d.ctx, id.right);
    if (E.isLeft(read))
      return c.html(
        problemPage('Message', failureMessage(storeFailure(read.left, `message "${id.right}"`)) ?? ''),
        storeStatus(read.left),
      );
    return c.html(messagePage(read.right, d.payloads));
  });

  app.notFound((c) => c.html(problemPage('Not found', `no page at ${c.req.path}`), 404));
  // one line, never a stack trace in the page
  app.onError((e, c) => c.html(problemPage('Console error', e.message), 500));
  return app;
};
