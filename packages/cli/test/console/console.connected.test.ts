// `dh console` over HTTP (issue 25, first slice), the built binary against DynamoDB Local with
// data made by the real worker handler and the projector: no page without the session, the
// token buys an HttpOnly SameSite=Strict cookie once, every response carries the strict
// headers, every page answers with its data, filters and deep links work, writes are refused,
// hostile receiver content is inert text, --no-payloads hides content, Ctrl-C exits 130.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CSP } from '../../src/console/consoleSecurity.js';
import { dhEnv, ensureBuilt } from '../support/runDh.js';
import type { RawServer } from '@delivery-history/testkit/rawHttpServer';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import {
  type Console,
  consoleData,
  csrfIn,
  get,
  MARKER,
  SCRIPT,
  signIn,
  startConsole,
  stderrShows,
} from './consoleRig.js';

type Ctx = {
  t: TestTable;
  raw: RawServer;
  env: NodeJS.ProcessEnv;
  ids: { hostile: string; ok: string };
  host: string;
  console: Console;
  cookie: string;
};

const C = suite<Ctx>('dh console over HTTP');

C.before(async (ctx) => {
  ensureBuilt();
  ctx.t = await useTestTable('console');
  // who a re-drive is recorded as, and the receiver on 127.0.0.1 reachable by a local re-delivery
  ctx.env = dhEnv({
    endpoint: ctx.t.endpoint,
    tableName: ctx.t.tableName,
    extra: { DH_OPERATOR: 'support-ann', DELIVERY_ALLOW_TARGETS: '127.0.0.1' },
  });
  const data = await consoleData(ctx.t);
  ctx.raw = data.raw;
  ctx.ids = data.ids;
  ctx.host = data.host;
  ctx.console = await startConsole([], ctx.env);
  ctx.cookie = (await signIn(ctx.console)).cookie;
});

C.after(async (ctx) => {
  await ctx.console?.stop();
  await ctx.raw?.close();
  await ctx.t?.drop();
});

const PAGES = (ctx: Ctx): string[] => [
  '/',
  '/?window=24h',
  '/?since=-3h',
  '/messages',
  '/messages?category=server_error&code=500',
  `/messages?correlation=${encodeURIComponent(ctx.ids.ok)}&status=any`,
  `/messages?status=failed&endpoint=${encodeURIComponent(ctx.host)}&since=-1h`,
  '/messages?status=exhausted',
  '/messages?status=held',
  `/messages/${encodeURIComponent(ctx.ids.hostile)}`,
  `/messages/${encodeURIComponent(ctx.ids.ok)}`,
  '/endpoints',
  `/endpoints/${encodeURIComponent(ctx.host)}`,
];

const strictHeaders = (h: Headers, what: string): void => {
  assert.is(h.get('content-security-policy'), CSP, `${what}: CSP`);
  assert.ok(CSP.includes("default-src 'self'") && CSP.includes("frame-ancestors 'none'") && !CSP.includes('unsafe'));
  assert.is(h.get('cache-control'), 'no-store', `${what}: no-store`);
  assert.is(h.get('x-content-type-options'), 'nosniff', `${what}: nosniff`);
  assert.is(h.get('referrer-policy'), 'same-origin', `${what}: referrer`);
};

C('without the session every path is 401, still with the strict headers', async (ctx) => {
  for (const path of [...PAGES(ctx), '/assets/console.css', '/nowhere']) {
    const r = await get(ctx.console, path);
    assert.is(r.status, 401, path);
    strictHeaders(r.headers, path);
    assert.not.ok(r.text.includes(ctx.ids.hostile), `${path}: no data without the session`);
  }
  const forged = await get(ctx.console, '/', 'dh_console_session=forged');
  assert.is(forged.status, 401, 'a made-up session is no session');
});

C('the token buys an HttpOnly SameSite=Strict cookie once, and the redirect drops it from the URL', async (ctx) => {
  // the suite's own console spent its token in before(): a second one for this flow
  const other = await startConsole([], ctx.env);
  try {
    const wrong = await get(other, `/?token=${'x'.repeat(43)}`);
    assert.is(wrong.status, 401, 'a wrong token');
    const path = `/messages?endpoint=${encodeURIComponent(ctx.host)}&since=-1h`;
    const first = await fetch(new URL(`${path}&token=${other.url.searchParams.get('token')}`, other.origin), {
      redirect: 'manual',
    });
    assert.is(first.status, 303);
    assert.is(
      first.headers.get('location'),
      `/messages?endpoint=${encodeURIComponent(ctx.host)}&since=-1h`,
      'back to the deep link, filters kept, token gone',
    );
    const setCookie = first.headers.get('set-cookie') ?? '';
    assert.match(setCookie, /^dh_console_session=[A-Za-z0-9_-]{43};/);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Strict/);
    const again = await get(other, `${other.url.pathname}${other.url.search}`);
    assert.is(again.status, 401, 'the token works once');
    const page = await get(other, path, setCookie.split(';')[0]);
    assert.is(page.status, 200);
  } finally {
    assert.is(await other.stop(), 130, 'Ctrl-C exits 130');
    await stderrShows(other, /^dh console: stopped\n$/);
  }
});

C('every page answers 200 with the strict headers and no inline script or style', async (ctx) => {
  for (const path of PAGES(ctx)) {
    const r = await get(ctx.console, path, ctx.cookie);
    assert.is(r.status, 200, `${path}: ${r.text.slice(0, 300)}`);
    strictHeaders(r.headers, path);
    assert.match(r.headers.get('content-type') ?? '', /^text\/html/);
    for (const m of r.text.matchAll(/<script\b[^>]*>/g))
      assert.match(m[0], /^<script src="\/assets\/[\w.]+" defer>$/, path);
    // inside a tag only: escaped receiver text may say `onerror=` as text
    assert.not.match(r.text, /<style|<[^>]*\s(style|on\w+)=/i, `${path}: no inline style or handler`);
  }
});

C('pages show the data the CLI reads: state, attempts, filters and deep links, aggregates', async (ctx) => {
  const msg = await get(ctx.console, `/messages/${encodeURIComponent(ctx.ids.hostile)}`, ctx.cookie);
  assert.ok(msg.text.includes(`dh history ${ctx.ids.hostile}`), 'the equivalent command');
  assert.match(msg.text, /<dd class="status">FAILED<\/dd>/);
  assert.match(msg.text, /<svg class="bar"[^>]*><rect width="\d+"/, 'a duration bar drawn from the data');
  assert.ok(msg.text.includes(MARKER), 'payloads shown by default');
  const ok = await get(ctx.console, `/messages/${encodeURIComponent(ctx.ids.ok)}`, ctx.cookie);
  assert.match(ok.text, /<dd class="status">SUCCESS<\/dd>/);

  const failed = await get(ctx.console, '/messages', ctx.cookie);
  assert.ok(failed.text.includes(`/messages/${ctx.ids.hostile}`), 'the failed message is listed');
  assert.not.ok(failed.text.includes(ctx.ids.ok), 'the delivered one is not');
  const elsewhere = await get(ctx.console, '/messages?endpoint=elsewhere.example', ctx.cookie);
  assert.not.ok(elsewhere.text.includes(ctx.ids.hostile), 'the endpoint filter applies');
  const past = await get(ctx.console, '/messages?since=2020-01-01T00:00Z&until=2020-01-02T00:00Z', ctx.cookie);
  assert.not.ok(past.text.includes(ctx.ids.hostile), 'the window applies');
  const bad = await get(ctx.console, '/messages?since=yesterday-ish', ctx.cookie);
  assert.is(bad.status, 400);
  assert.match(bad.text, /since:/);
  const missing = await get(ctx.console, '/messages/no-such-message', ctx.cookie);
  assert.is(missing.status, 404);

  const overview = await get(ctx.console, '/', ctx.cookie);
  assert.match(overview.text, /<dd id="deliveries">2<\/dd>/, 'both deliveries, from the aggregates');
  assert.ok(
    overview.text.includes(`/endpoints/${encodeURIComponent(ctx.host)}`),
    'the worst endpoint links to its page',
  );
  const endpoints = await get(ctx.console, '/endpoints', ctx.cookie);
  assert.ok(endpoints.text.includes(ctx.host));
  const one = await get(ctx.console, `/endpoints/${encodeURIComponent(ctx.host)}`, ctx.cookie);
  assert.match(one.text, /<div id="chart" class="chart" data-series="[^"]+series\.json\?window=24h"/);
  const series = await get(ctx.console, `/endpoints/${encodeURIComponent(ctx.host)}/series.json`, ctx.cookie);
  const s = JSON.parse(series.text) as { deliveries: number[]; failures: number[]; time: number[] };
  // both messages went to the one receiver (host:port): one success, one failure, from the aggregates
  assert.is(
    s.deliveries.reduce((a, b) => a + b, 0),
    2,
    'deliveries per hour sum to the deliveries',
  );
  assert.is(
    s.failures.reduce((a, b) => a + b, 0),
    1,
    'failures per hour sum to the failures',
  );
  // the window's hours (25 when it does not start on the hour), empty ones as zero
  assert.ok(s.time.length === 24 || s.time.length === 25, `one point per hour: ${s.time.length}`);
  assert.is(s.deliveries.length, s.time.length);
});

C(
  'the overview: outcomes per hour from the aggregates, success rate, open issues linking to their messages',
  async (ctx) => {
    const r = await get(ctx.console, '/?window=6h', ctx.cookie);
    assert.is(r.status, 200);
    const points = /<svg id="outcomes"[^>]*data-points="(\d+)"/.exec(r.text);
    assert.ok(points !== null, 'the outcome chart');
    assert.ok(Number(points?.[1]) === 6 || Number(points?.[1]) === 7, `one bar per hour of 6h: ${points?.[1]}`);
    const sums = { success: 0, retrying: 0, final: 0, lost: 0 };
    for (const g of r.text.matchAll(/<g class="hour" data-hour="[^"]+" ([^>]*)>/g))
      for (const m of (g[1] ?? '').matchAll(/data-(\w+)="(\d+)"/g)) sums[m[1] as keyof typeof sums] += Number(m[2]);
    // one success and one final failure (maxAttempts 1), nothing retrying or lost
    assert.equal(sums, { success: 1, retrying: 0, final: 1, lost: 0 }, 'the bars sum to the aggregates');
    assert.match(r.text, /<dd id="success-rate">50\.0%<\/dd>/);
    const issue = /<table id="issues">[\s\S]*?<\/table>/.exec(r.text)?.[0] ?? '';
    assert.ok(issue.includes(ctx.host), 'the failing endpoint is an open issue');
    assert.ok(issue.includes('<td>server_error</td><td>500</td>'), 'grouped by category and code');
    const link = /<a href="(\/messages\?[^"]+)">1<\/a>/.exec(issue)?.[1]?.replaceAll('&amp;', '&');
    assert.ok(
      link?.includes('category=server_error') && link.includes('code=500'),
      `the issue links its messages: ${link}`,
    );
    const affected = await get(ctx.console, link ?? '/', ctx.cookie);
    assert.ok(affected.text.includes(`/messages/${ctx.ids.hostile}`), 'the link lists the affected message');
    const custom = await get(ctx.console, '/?since=2020-01-01T00:00Z&until=2020-01-01T03:00Z', ctx.cookie);
    assert.match(custom.text, /<dd id="deliveries">0<\/dd>/, 'a custom range');
    assert.match(custom.text, /data-points="3"/, 'three hours, three bars');
    assert.is((await get(ctx.console, '/?window=3y', ctx.cookie)).status, 400);
    assert.is((await get(ctx.console, '/?since=-1h&until=-2h', ctx.cookie)).status, 400);
  },
);

C('message filters: category, code, correlation, status; bad values are 400 naming the parameter', async (ctx) => {
  const shows = async (q: string, id: string, yes: boolean) => {
    const r = await get(ctx.console, `/messages?${q}`, ctx.cookie);
    assert.is(r.status, 200, q);
    assert.is(r.text.includes(`href="/messages/${id}"`), yes, `${q}: ${yes ? 'lists' : 'does not list'} ${id}`);
  };
  await shows('category=server_error', ctx.ids.hostile, true);
  await shows('category=client_error', ctx.ids.hostile, false);
  await shows('code=500', ctx.ids.hostile, true);
  await shows('code=none', ctx.ids.hostile, false);
  await shows('status=exhausted&code=500', ctx.ids.hostile, true);
  await shows(`correlation=${encodeURIComponent(ctx.ids.hostile)}`, ctx.ids.hostile, true);
  await shows(`correlation=${encodeURIComponent(ctx.ids.ok)}`, ctx.ids.ok, false);
  await shows(`correlation=${encodeURIComponent(ctx.ids.ok)}&status=any`, ctx.ids.ok, true);
  await shows(`status=any&endpoint=${encodeURIComponent(ctx.host)}`, ctx.ids.ok, true);
  const cmd = await get(ctx.console, `/messages?correlation=${encodeURIComponent(ctx.ids.ok)}&status=any`, ctx.cookie);
  assert.ok(cmd.text.includes(`dh correlation &quot;${ctx.ids.ok}&quot;`), 'the equivalent command');
  for (const [q, name] of [
    ['status=any', 'status'],
    ['status=bogus', 'status'],
    ['category=teapot', 'category'],
    ['code=999', 'code'],
    ['until=-2h&since=-1h', 'until'],
  ] as const) {
    const r = await get(ctx.console, `/messages?${q}`, ctx.cookie);
    assert.is(r.status, 400, q);
    assert.match(r.text, new RegExp(`${name}`), q);
  }
});

C('the live poll answers JSON for the session only', async (ctx) => {
  assert.is((await get(ctx.console, '/messages/live.json')).status, 401);
  const r = await get(ctx.console, '/messages/live.json', ctx.cookie);
  assert.is(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
  assert.ok(['starting', 'following'].includes((JSON.parse(r.text) as { _tag: string })._tag));
  assert.is((await get(ctx.console, '/messages/live.json?after=x', ctx.cookie)).status, 400);
});

C('assets are served by the console itself with their types', async (ctx) => {
  for (const [name, type] of [
    ['console.css', /^text\/css/],
    ['endpointChart.js', /^text\/javascript/],
    ['liveMessages.js', /^text\/javascript/],
    ['uPlot.iife.min.js', /^text\/javascript/],
    ['uPlot.min.css', /^text\/css/],
  ] as const) {
    const r = await get(ctx.console, `/assets/${name}`, ctx.cookie);
    assert.is(r.status, 200, name);
    assert.match(r.headers.get('content-type') ?? '', type, name);
    assert.ok(r.text.length > 100, name);
  }
  assert.is((await get(ctx.console, '/assets/..%2Fpackage.json', ctx.cookie)).status, 404);
});

C('hostile receiver content is escaped text: no tag, handler, javascript: link or control character', async (ctx) => {
  const r = await get(ctx.console, `/messages/${encodeURIComponent(ctx.ids.hostile)}`, ctx.cookie);
  assert.not.ok(r.text.includes(SCRIPT), 'no live <script>');
  assert.not.ok(r.text.includes('<img'), 'no live <img>');
  assert.not.match(r.text, /href="javascript:/i, 'no javascript: link');
  assert.ok(r.text.includes('&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;'), 'the script shown as text');
  assert.ok(r.text.includes('&lt;img src=x onerror=alert(1)&gt;'), 'the handler shown as text');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding controls is this test's job
  assert.not.match(r.text, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u);
  assert.ok(r.text.includes('\\x1b]0;TITLE\\x07'), 'the escape sequence shown through the display rule');
  assert.ok(r.text.includes('a&lt;U+202E'), 'the bidi control shown by name');
  for (const path of [
    '/messages',
    '/messages?category=server_error&code=500',
    `/messages?correlation=${encodeURIComponent(ctx.ids.hostile)}`,
    '/',
    '/endpoints',
    `/redrive?message=${encodeURIComponent(ctx.ids.hostile)}`,
    '/jobs',
  ]) {
    const page = await get(ctx.console, path, ctx.cookie);
    assert.is(page.status, 200, path);
    assert.not.ok(page.text.includes(SCRIPT), path);
    assert.ok(page.text.includes('&lt;script&gt;') || !page.text.includes('xss'), `${path}: shown as text when shown`);
  }
});

const form = (fields: Record<string, string>) => ({
  'content-type': 'application/x-www-form-urlencoded',
  body: new URLSearchParams(fields).toString(),
});

C(
  'a state-changing request without the session, from another Origin or without the right CSRF token changes nothing',
  async (ctx) => {
    const path = `/messages/${encodeURIComponent(ctx.ids.hostile)}`;
    const before = await get(ctx.console, path, ctx.cookie);
    const confirm = await get(ctx.console, `/redrive?message=${encodeURIComponent(ctx.ids.hostile)}`, ctx.cookie);
    assert.is(confirm.status, 200, confirm.text.slice(0, 300));
    const csrf = csrfIn(confirm.text);
    assert.match(csrf, /^[A-Za-z0-9_-]{43}$/, 'the form carries the session CSRF token');
    const valid = { message: ctx.ids.hostile, reason: 'test', expected: '1', csrf };
    const post = (
      headers: Record<string, string>,
      fields: Record<string, string>,
      cookie: string | null = ctx.cookie,
    ) => {
      const f = form(fields);
      return get(ctx.console, '/redrive', cookie ?? undefined, {
        method: 'POST',
        headers: { 'content-type': f['content-type'], ...headers },
        body: f.body,
      });
    };
    const own = { origin: ctx.console.origin };
    const refused: ReadonlyArray<[string, Promise<{ status: number; headers: Headers }>, number]> = [
      ['no session', post(own, valid, null), 401],
      ['a forged session', post(own, valid, 'dh_console_session=forged'), 401],
      ['another Origin', post({ origin: 'https://evil.example' }, valid), 403],
      ['no Origin', post({}, valid), 403],
      ['no CSRF token', post(own, { ...valid, csrf: '' }), 403],
      ['a wrong CSRF token', post(own, { ...valid, csrf: 'x'.repeat(43) }), 403],
      ['a wrong CSRF header', post({ ...own, 'x-csrf-token': 'nope' }, valid), 403],
    ];
    for (const [what, r, status] of refused) {
      const got = await r;
      assert.is(got.status, status, what);
      strictHeaders(got.headers, what);
    }
    const other = await get(ctx.console, '/jobs/x/cancel', ctx.cookie, { method: 'POST', headers: own });
    assert.is(other.status, 403, 'cancel needs the token too');
    assert.is((await get(ctx.console, path, ctx.cookie)).text, before.text, 'the message page is unchanged');
    assert.match((await get(ctx.console, '/jobs', ctx.cookie)).text, /No job since this console started/);
  },
);

C('--read-only: no re-drive link or route, and every state-changing request is refused (405)', async (ctx) => {
  const ro = await startConsole(['--read-only'], ctx.env);
  try {
    const { cookie } = await signIn(ro);
    const msg = await get(ro, `/messages/${encodeURIComponent(ctx.ids.hostile)}`, cookie);
    assert.is(msg.status, 200);
    assert.not.match(msg.text, /redrive/i, 'no re-drive link');
    assert.not.match((await get(ro, '/messages', cookie)).text, /\/redrive|name="message"/, 'no selection or link');
    assert.is((await get(ro, `/redrive?message=${encodeURIComponent(ctx.ids.hostile)}`, cookie)).status, 404);
    const f = form({ message: ctx.ids.hostile, reason: 'r', expected: '1', csrf: 'x' });
    const post = await get(ro, '/redrive', cookie, {
      method: 'POST',
      headers: { origin: ro.origin, 'content-type': f['content-type'] },
      body: f.body,
    });
    assert.is(post.status, 405);
  } finally {
    await ro.stop();
  }
});

C('--no-payloads: no request body or response snippet on any page', async (ctx) => {
  const quiet = await startConsole(['--no-payloads'], ctx.env);
  try {
    const { cookie } = await signIn(quiet);
    for (const path of PAGES(ctx)) {
      const r = await get(quiet, path, cookie);
      assert.is(r.status, 200, path);
      assert.not.ok(r.text.includes(MARKER), `${path}: content hidden`);
    }
    const msg = await get(quiet, `/messages/${encodeURIComponent(ctx.ids.hostile)}`, cookie);
    assert.match(msg.text, /Request body hidden/);
    assert.match(msg.text, /Response snippet hidden/);
  } finally {
    await quiet.stop();
  }
});

C('--host on another address warns on start and still serves nothing without the token', async (ctx) => {
  const wide = await startConsole(['--host', '0.0.0.0'], ctx.env);
  try {
    await stderrShows(wide, /warning: listening on 0\.0\.0\.0, not loopback/);
    const r = await fetch(`http://127.0.0.1:${wide.url.port}/`);
    assert.is(r.status, 401);
    await r.arrayBuffer();
  } finally {
    await wide.stop();
  }
});

// last: it delivers the hostile message again
C('re-drive: the dry-run count, a reason required, then a job that records who and why', async (ctx) => {
  const id = ctx.ids.hostile;
  const confirm = await get(ctx.console, `/redrive?message=${encodeURIComponent(id)}`, ctx.cookie);
  assert.match(confirm.text, /<strong id="would-redrive">1<\/strong> of 1 messages/, 'the dry run counts it');
  const csrf = csrfIn(confirm.text);
  const submit = (fields: Record<string, string>) => {
    const f = form(fields);
    return get(ctx.console, '/redrive', ctx.cookie, {
      method: 'POST',
      headers: { origin: ctx.console.origin, 'content-type': f['content-type'] },
      body: f.body,
    });
  };
  const noReason = await submit({ message: id, reason: '  ', expected: '1', csrf });
  assert.is(noReason.status, 400);
  assert.match(noReason.text, /reason: required/);
  const started = await submit({ message: id, reason: 'receiver fixed <b>', expected: '1', csrf });
  assert.is(started.status, 303);
  const job = started.headers.get('location') ?? '';
  assert.match(job, /^\/jobs\/[0-9a-f]{12}$/);
  // the job ends by itself: its page says so (waits on progress, not on a clock)
  let page = await get(ctx.console, job, ctx.cookie);
  while (/<dd id="job-state">running/.test(page.text)) {
    await new Promise((ok) => setTimeout(ok, 200));
    page = await get(ctx.console, job, ctx.cookie);
  }
  assert.match(page.text, /<dd id="job-state">done<\/dd>/, page.text);
  assert.match(page.text, /<span id="job-reopened">1<\/span> reopened/);
  assert.match(page.text, /<dd>support-ann<\/dd>/, 'who');
  assert.ok(page.text.includes('receiver fixed &lt;b&gt;'), 'why, as text');
  const msg = await get(ctx.console, `/messages/${encodeURIComponent(id)}`, ctx.cookie);
  assert.match(
    msg.text,
    /re-drive 1 after attempt 1 by support-ann: receiver fixed &lt;b&gt;/,
    'recorded on the message',
  );
});

C.run();
