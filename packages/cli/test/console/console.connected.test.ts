// `dh console` over HTTP (issue 25, first slice), the built binary against DynamoDB Local with
// data made by the real worker handler and the projector: no page without the session, the
// token buys an HttpOnly SameSite=Strict cookie once, every response carries the strict
// headers, every page answers with its data, filters and deep links work, writes are refused,
// hostile receiver content is inert text, --no-payloads hides content, Ctrl-C exits 130.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CSP } from '../../src/console/consoleSecurity.js';
import { dhEnv, ensureBuilt } from '../support/runDh.js';
import { type RawServer, type TestTable, useTestTable } from '@delivery-history/testkit';
import { type Console, consoleData, get, MARKER, SCRIPT, signIn, startConsole, stderrShows } from './consoleRig.js';

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
  ctx.env = dhEnv({ endpoint: ctx.t.endpoint, tableName: ctx.t.tableName });
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
  '/messages',
  `/messages?status=failed&endpoint=${encodeURIComponent(ctx.host)}&since=-1h`,
  '/messages?status=exhausted',
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
  assert.is(h.get('referrer-policy'), 'no-referrer', `${what}: referrer`);
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

C('assets are served by the console itself with their types', async (ctx) => {
  for (const [name, type] of [
    ['console.css', /^text\/css/],
    ['endpointChart.js', /^text\/javascript/],
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
  for (const path of ['/messages', '/', '/endpoints']) {
    const page = await get(ctx.console, path, ctx.cookie);
    assert.not.ok(page.text.includes(SCRIPT), path);
  }
});

C('writes are refused: a foreign Origin 403, any write 405, nothing changes', async (ctx) => {
  const path = `/messages/${encodeURIComponent(ctx.ids.hostile)}`;
  const before = await get(ctx.console, path, ctx.cookie);
  const foreign = await get(ctx.console, path, ctx.cookie, {
    method: 'POST',
    headers: { origin: 'https://evil.example' },
  });
  assert.is(foreign.status, 403);
  strictHeaders(foreign.headers, 'POST foreign');
  const own = await get(ctx.console, path, ctx.cookie, { method: 'POST', headers: { origin: ctx.console.origin } });
  assert.is(own.status, 405);
  const none = await get(ctx.console, path, undefined, { method: 'DELETE' });
  assert.is(none.status, 405);
  assert.is((await get(ctx.console, path, ctx.cookie)).text, before.text, 'the message page is unchanged');
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

C.run();
