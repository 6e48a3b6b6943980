import { setTimeout as sleep } from 'node:timers/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { HttpClient } from '@delivery-history/worker';
import { systemClock } from '@delivery-history/core';
import { createHttpClient, type HttpClientOptions, type HttpExchange } from '@delivery-history/worker/testing';
import { type AllowList, EMPTY_ALLOW_LIST, parseSigningSecrets } from '@delivery-history/core';
import { parseAllowList } from '@delivery-history/core/testing';
import { type Receivers, startReceivers } from '@delivery-history/devkit';

const LOCAL: AllowList = E.getOrElseW(() => EMPTY_ALLOW_LIST)(parseAllowList('127.0.0.1'));
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const KEYS = E.getOrElseW(() => [])(parseSigningSecrets(SECRET));

const options = (over: Partial<HttpClientOptions> = {}): HttpClientOptions => ({
  allow: LOCAL,
  connectTimeoutMs: 1_000,
  responseTimeoutMs: 1_500,
  totalTimeoutMs: 1_500,
  readCapBytes: 64 * 1024,
  snippetBytes: 4096,
  signingKeys: KEYS,
  clock: systemClock,
  ...over,
});

type Ctx = { rx: Receivers; http: HttpClient };
const post = (
  http: HttpClient,
  url: string,
  headers: Record<string, string> = {},
  body = '{"n":1}',
): Promise<HttpExchange> => http.deliver({ messageId: 'msg-1', url, method: 'POST', headers, body });

const statusOf = (x: HttpExchange): number | string =>
  x.observation.kind === 'response' ? x.observation.statusCode : x.observation.code;

// ---------------------------------------------------------------------------
const Http = suite<Ctx>('HTTP delivery');

Http.before(async (ctx) => {
  ctx.rx = await startReceivers({ signingKeys: KEYS });
  ctx.http = createHttpClient(options());
});
Http.after(async (ctx) => {
  await ctx.http.close();
  await ctx.rx.close();
});
Http.before.each(({ rx }) => rx.clear());

Http('reports every status as a response with its reason phrase and a body snippet', async ({ rx, http }) => {
  for (const code of [200, 201, 204, 301, 400, 404, 408, 410, 429, 500, 503]) {
    const x = await post(http, rx.url(`/status/${code}?retryAfter=7`));
    assert.is(x.observation.kind, 'response', `${code}`);
    if (x.observation.kind !== 'response') continue;
    assert.is(x.observation.statusCode, code);
    assert.ok(x.observation.statusText.length > 0, `reason phrase for ${code}`);
    assert.is(x.observation.bodySnippet, code === 204 ? '' : JSON.stringify({ status: code }));
    assert.is(x.responseHeaders?.['retry-after'], code === 429 || code === 503 ? '7' : undefined);
  }
  assert.is(rx.count(), 11, 'one request per delivery');
});

Http('does not follow redirects: a 301 is the outcome, the Location is never requested', async ({ rx, http }) => {
  const x = await post(http, rx.url('/status/301'));
  assert.is(statusOf(x), 301);
  assert.is(x.responseHeaders?.location, '/status/200');
  assert.is(rx.count('/status/200'), 0);
});

Http('a receiver sleeping past the timeout is a RESPONSE_TIMEOUT within the total budget', async ({ rx, http }) => {
  const t0 = Date.now();
  const x = await post(http, rx.url('/sleep/8000'));
  assert.is(statusOf(x), 'RESPONSE_TIMEOUT');
  assert.ok(Date.now() - t0 < 5_000, `took ${Date.now() - t0} ms`);
});

Http('a reset connection is ECONNRESET; a refused port ECONNREFUSED; .invalid ENOTFOUND', async ({ rx, http }) => {
  assert.is(statusOf(await post(http, rx.url('/reset'))), 'ECONNRESET');
  assert.is(statusOf(await post(http, await rx.refusedUrl())), 'ECONNREFUSED');
  const dns = await post(http, rx.unresolvableUrl);
  assert.is(statusOf(dns), 'ENOTFOUND');
  assert.match(dns.observation.kind === 'error' ? dns.observation.message : '', 'receiver.invalid');
});

Http(
  'a 50 MB body: the status counts, a 4 KiB snippet is kept, reading stops at the cap, memory stays bounded',
  async ({ rx, http }) => {
    globalThis.gc?.();
    const before = process.memoryUsage();
    const x = await post(http, rx.url(`/stream/${50 * 1024 * 1024}`));
    const after = process.memoryUsage();
    assert.is(statusOf(x), 200);
    assert.ok(x.bodyTruncated);
    if (x.observation.kind === 'response') {
      assert.is(x.observation.bodySnippet.length, 4096);
      assert.ok(x.observation.bodyBytes > 64 * 1024);
    }
    // Reading stopped after the cap plus at most one socket read.
    assert.ok(x.bodyBytesRead <= 64 * 1024 + 256 * 1024, `read ${x.bodyBytesRead}`);
    // The server could only push what the socket buffers took before we hung up.
    await sleep(50);
    assert.ok(rx.streamedBytes < 16 * 1024 * 1024, `streamed ${rx.streamedBytes}`);
    const grew = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
    assert.ok(grew < 16 * 1024 * 1024, `heap+buffers grew by ${grew}`);
  },
);

Http(
  'signs with Standard Webhooks headers that a receiver verifies; request headers cannot override them',
  async ({ rx, http }) => {
    const x = await post(http, rx.url('/verify'), { 'webhook-signature': 'v1,forged', 'X-Custom': 'yes' });
    assert.is(statusOf(x), 200);
    const seen = rx.requests[0];
    assert.is(seen?.webhookId, 'msg-1');
    assert.match(String(seen?.headers['webhook-signature']), /^v1,[A-Za-z0-9+/=]+$/);
    assert.is(seen?.headers['x-custom'], 'yes');
    assert.is(seen?.headers['content-type'], 'application/json');
    assert.is(seen?.body, '{"n":1}');
  },
);

Http('transport-owned headers are dropped; a header with CR/LF is refused without sending', async ({ rx, http }) => {
  await post(http, rx.url('/ok'), { Host: 'evil.example', 'Content-Length': '999', Connection: 'close' });
  assert.is(rx.requests[0]?.headers.host, rx.baseUrl.slice('http://'.length));
  assert.is(rx.requests[0]?.headers['content-length'], '7');
  const bad = await post(http, rx.url('/ok'), { 'X-Inject': 'a\r\nX-Evil: 1' });
  assert.is(statusOf(bad), 'INVALID_URL');
  assert.not.ok(bad.sent);
  assert.is(rx.count(), 1);
});

Http('GET sends no body; URL credentials become Basic auth', async ({ rx, http }) => {
  const url = rx.url('/ok').replace('http://', 'http://us%20er:p%40ss@');
  await http.deliver({ messageId: 'm', url, method: 'GET', headers: {}, body: '' });
  const seen = rx.requests[0];
  assert.is(seen?.method, 'GET');
  assert.is(seen?.bodyBytes, 0);
  assert.is(seen?.headers.authorization, `Basic ${Buffer.from('us er:p@ss').toString('base64')}`);
});

Http.run();

// ---------------------------------------------------------------------------
const Guard = suite<Ctx>('HTTP delivery: SSRF guard and timeouts');

Guard.before(async (ctx) => {
  ctx.rx = await startReceivers();
});
Guard.after(async (ctx) => {
  await ctx.rx.close();
});

Guard('without an allow-list, loopback targets are refused before any byte is sent', async ({ rx }) => {
  const http = createHttpClient(options({ allow: EMPTY_ALLOW_LIST }));
  try {
    for (const url of [
      rx.url('/ok'),
      rx.url('/ok').replace('127.0.0.1', 'localhost'),
      rx.url('/ok').replace('127.0.0.1', '[::ffff:127.0.0.1]'),
    ]) {
      const x = await post(http, url);
      assert.is(statusOf(x), 'BLOCKED_TARGET', url);
    }
    assert.is(rx.count(), 0);
  } finally {
    await http.close();
  }
});

Guard('a name that resolves to loopback is checked at connect time', async ({ rx }) => {
  const port = new URL(rx.baseUrl).port;
  const resolve = async () => [{ address: '127.0.0.1', family: 4 }];
  const blocked = createHttpClient(options({ allow: EMPTY_ALLOW_LIST, resolve }));
  const allowed = createHttpClient(options({ resolve }));
  try {
    assert.is(statusOf(await post(blocked, `http://rebind.test:${port}/ok`)), 'BLOCKED_TARGET');
    assert.is(statusOf(await post(allowed, `http://rebind.test:${port}/ok`)), 200);
    assert.is(rx.count(), 1);
  } finally {
    await blocked.close();
    await allowed.close();
  }
});

Guard('a connect that never completes is a CONNECT_TIMEOUT', async () => {
  const never = () => new Promise<never>(() => {});
  const http = createHttpClient(options({ resolve: never, connectTimeoutMs: 200, totalTimeoutMs: 2000 }));
  try {
    const x = await post(http, 'http://slow-dns.test/hook');
    assert.is(statusOf(x), 'CONNECT_TIMEOUT');
  } finally {
    await http.close();
  }
});

Guard('a body that stalls after the headers is a BODY_TIMEOUT at the total budget', async () => {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('partial');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  const http = createHttpClient(options({ responseTimeoutMs: 10_000, totalTimeoutMs: 1_000 }));
  try {
    const t0 = Date.now();
    const x = await post(http, `http://127.0.0.1:${port}/`);
    assert.is(statusOf(x), 'BODY_TIMEOUT');
    assert.ok(Date.now() - t0 < 5_000);
    assert.match(x.observation.kind === 'error' ? x.observation.message : '', 'after HTTP 200');
  } finally {
    await http.close();
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
  }
});

Guard.run();
