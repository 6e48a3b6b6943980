// Invariant 9 end to end: requests with secrets everywhere the policy knows, echo receivers
// that reflect them into body, headers, reason phrase and Location, the real worker handler
// against DynamoDB Local. Afterwards no secret is in any stored item or captured log line,
// and core's verify checker (what `dh verify` runs) reports nothing.
import * as fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sqsEvent, sqsRecord, uniqueId } from '../../packages/worker/test/support/workerRig.js';
import { SECRET_HEADER_NAMES } from '@delivery-history/testkit/secretHeaderNames';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import {
  type EchoReceiver,
  leakForms,
  logLines,
  type SecretsRig,
  scanTable,
  secretsRig,
  startEchoReceiver,
  verifyFindings,
} from './secretsRig.js';

type Ctx = { t: TestTable; rx: EchoReceiver; rig: SecretsRig };
const Echo = suite<Ctx>('secrets: echo receivers through the worker');

Echo.before(async (ctx) => {
  ctx.t = await useTestTable('secrets-echo');
  ctx.rx = await startEchoReceiver();
  ctx.rig = secretsRig(ctx.t);
});
Echo.after(async ({ t, rx }) => {
  await rx.close();
  await t.drop();
});

type Delivery = { url: string; headers: Record<string, string>; body?: string; correlationId?: string };

const deliver = async (ctx: Ctx, ds: ReadonlyArray<Delivery>): Promise<string[]> => {
  const ids = ds.map(() => uniqueId('sec'));
  const records = ds.map((d, i) =>
    sqsRecord({ messageId: ids[i], method: 'POST', body: d.body ?? '{"event":"x"}', maxAttempts: 1, ...d }),
  );
  await ctx.rig.handler(sqsEvent(records));
  return ids;
};

const itemsOf = async (ctx: Ctx, ids: ReadonlyArray<string>) =>
  (await scanTable(ctx.t)).filter((i) => ids.some((id) => String(i.pk).endsWith(id)));

/** No secret in the items of these messages, in any log line; the verify checker is clean. */
const assertNoLeak = async (ctx: Ctx, ids: ReadonlyArray<string>, secrets: ReadonlyArray<string>) => {
  const items = await itemsOf(ctx, ids);
  assert.ok(items.length >= 2 * ids.length, 'a STATE and an ATTEMPT per message');
  const stored = JSON.stringify(items);
  const logs = logLines(ctx.rig.logger).join('\n');
  for (const s of secrets.flatMap(leakForms)) {
    assert.not.ok(
      stored.includes(s),
      `stored: ${s} in ${stored.slice(Math.max(0, stored.indexOf(s) - 200), stored.indexOf(s) + 50)}`,
    );
    assert.not.ok(logs.includes(s), `logged: ${s}`);
  }
  assert.equal(verifyFindings(items, ctx.rig.secrets), []);
  return items;
};

const base = (ctx: Ctx, path = '/hook', host = '127.0.0.1') => `http://${host}:${ctx.rx.port}${path}`;
const ALL = 'body,headers,reason,location';

Echo(
  'echo receivers: bearer, API key, Cookie, query and Basic(user-info) echoed into snippet and headers are not stored (200 and 400)',
  async (ctx) => {
    const s: [string, string, string, string] = [
      'Bearer0Secret0aaaaaaaa',
      'ApiKey0Secret0bbbbbbbb',
      'Cookie0Secret0cccccccc',
      'Query0Secret0dddddddd',
    ];
    const user = 'svcuser0';
    const pass = 'UserInfo0Secret0eeeeee';
    const ids = await deliver(
      ctx,
      [200, 400].flatMap((status) => [
        {
          url: `${base(ctx)}?token=${s[3]}&page=2`,
          headers: {
            authorization: `Bearer ${s[0]}`,
            'x-api-key': s[1],
            cookie: `sid=${s[2]}; theme=dark`,
            'x-echo': ALL,
            'x-echo-status': String(status),
          },
        },
        {
          url: base(ctx, '/hook?x=1').replace('//', `//${user}:${pass}@`),
          headers: { 'x-echo': ALL, 'x-echo-status': String(status) },
        },
      ]),
    );
    const items = await assertNoLeak(ctx, ids, [...s, pass, `${user}:${pass}`]);
    const attempts = items.filter((i) => String(i.sk).startsWith('ATTEMPT'));
    for (const a of attempts) {
      const headers = (a.response as { headers: Record<string, string> }).headers;
      assert.not.ok(
        Object.keys(headers).some((h) => h.startsWith('x-echo-')),
        'unlisted echo headers dropped',
      );
      assert.ok(Number(headers['dh-dropped-headers']) > 0, 'with a count');
    }
    assert.ok(JSON.stringify(items).includes('page=2'), 'harmless parameters kept');
  },
);

Echo(
  'header names X-Authorization, Authentication, X-Auth-Key, Ocp-Apim-Subscription-Key, X-Functions-Key, X-Access-Key, X-Session-Id (and DELIVERY_REDACT_HEADERS) are redacted on STATE and ATTEMPT',
  async (ctx) => {
    const names = [...SECRET_HEADER_NAMES, 'X-Tenant-Key', 'X-Partner-Token2'];
    const headers = Object.fromEntries(names.map((n, i) => [n, `HeaderName0Secret0${i}xxxxxx`]));
    const ids = await deliver(ctx, [{ url: base(ctx), headers: { ...headers, 'x-trace': 'keep-me', 'x-echo': ALL } }]);
    const items = await assertNoLeak(ctx, ids, Object.values(headers));
    for (const item of items) {
      const stored = (item.request as { headers: Record<string, string> }).headers;
      for (const n of names) assert.is(stored[n], '[REDACTED]', `${String(item.sk)} ${n}`);
      assert.is(stored['x-trace'], 'keep-me');
    }
  },
);

Echo('a Location with code= and #access_token= is stored redacted', async (ctx) => {
  const secret = 'Location0Secret0ffffffff';
  const ids = await deliver(ctx, [
    {
      url: `${base(ctx)}?state=abc`,
      headers: { authorization: `Bearer ${secret}`, 'x-echo': 'location', 'x-echo-status': '302' },
    },
  ]);
  const items = await assertNoLeak(ctx, ids, [secret]);
  const attempt = items.find((i) => String(i.sk).startsWith('ATTEMPT'));
  const location = (attempt?.response as { headers: Record<string, string> }).headers.location ?? '';
  assert.ok(location.startsWith('https://app.example/hook?state=abc&code=[REDACTED]'), location);
  assert.not.ok(location.includes('#'), 'fragment dropped');
});

Echo(
  'URL secrets outside the query: Slack and Discord paths, ;jsessionid=, sessionid, jsessionid, ticket, passphrase, pass, pairs after ; and DELIVERY_REDACT_PATHS',
  async (ctx) => {
    const s = Array.from({ length: 10 }, (_, i) => `UrlSecret0${i}0gggggggggg`);
    const ids = await deliver(
      ctx,
      [
        base(ctx, `/services/T0001/B0002/${s[0]}`, 'hooks.slack.com'),
        base(ctx, `/api/webhooks/123456/${s[1]}`, 'discord.com'),
        base(ctx, `/app;jsessionid=${s[2]}/x`),
        base(ctx, `/q?sessionid=${s[3]}&jsessionid=${s[4]}&ticket=${s[5]}&passphrase=${s[6]}&pass=${s[7]}`),
        base(ctx, `/q?a=1;token=${s[8]}`),
        base(ctx, `/in/tenant-1/${s[9]}`),
      ].map((url) => ({ url, headers: { 'x-echo': ALL } })),
    );
    const items = await assertNoLeak(ctx, ids, s);
    const urls = items.filter((i) => i.sk === 'STATE').map((i) => (i.request as { url: string }).url);
    assert.ok(
      urls.some((u) => u.endsWith('/services/T0001/B0002/[REDACTED]')),
      urls.join(),
    );
    assert.ok(urls.some((u) => u.endsWith('/api/webhooks/123456/[REDACTED]')));
    assert.ok(urls.some((u) => u.endsWith('/in/tenant-1/[REDACTED]')));
  },
);

Echo(
  'reason phrase and unknown response headers the receiver controls: "400 Bad token <secret>", x-refresh-credential',
  async (ctx) => {
    const secret = 'Reason0Secret0hhhhhhhh';
    const ids = await deliver(ctx, [
      { url: base(ctx), headers: { authorization: secret, 'x-echo': 'reason,headers', 'x-echo-status': '400' } },
    ]);
    const items = await assertNoLeak(ctx, ids, [secret]);
    const attempt = items.find((i) => String(i.sk).startsWith('ATTEMPT')) as Record<string, unknown>;
    const result = attempt.deliveryResult as { statusText: string; errorDetails: { message: string } };
    assert.ok(result.statusText.startsWith('Bad token [REDACTED]'), result.statusText);
    assert.ok(result.errorDetails.message.startsWith('HTTP 400 Bad token [REDACTED]'));
    assert.is((attempt.response as { headers: Record<string, string> }).headers['x-refresh-credential'], undefined);
  },
);

Echo(
  'legitimate content survives: a body without secrets byte for byte, allow-listed and DELIVERY_KEEP_RESPONSE_HEADERS headers kept',
  async (ctx) => {
    const body = `{"error":"out of stock","sku":"A-1","see":"https://docs.example.com/errors?page=2","note":"Ünïcødé ✓"}`;
    const ids = await deliver(ctx, [
      {
        url: base(ctx),
        headers: { 'x-fixed-body': Buffer.from(body).toString('base64'), 'x-echo': 'none', 'x-echo-status': '422' },
      },
    ]);
    const items = await assertNoLeak(ctx, ids, []);
    const attempt = items.find((i) => String(i.sk).startsWith('ATTEMPT')) as Record<string, unknown>;
    const result = attempt.deliveryResult as { errorDetails: { responseSnippet: string } };
    assert.is(result.errorDetails.responseSnippet, body);
    const headers = (attempt.response as { headers: Record<string, string> }).headers;
    assert.is(headers['content-type'], 'text/plain; charset=utf-8');
    assert.ok(headers.date !== undefined, 'date');
    assert.is(headers['content-length'], String(Buffer.byteLength(body)));
    assert.is(headers['x-kept'], 'kept-value', 'DELIVERY_KEEP_RESPONSE_HEADERS');
    assert.is(headers['x-unlisted'], undefined);
    assert.ok(Number(headers['dh-dropped-headers']) >= 1, 'x-unlisted (and hop-by-hop headers) counted');
  },
);

Echo(
  "a request's own webhook-id, webhook-timestamp and webhook-signature never reach the receiver (signing off)",
  async (ctx) => {
    const before = ctx.rx.received.length;
    const [id] = await deliver(ctx, [
      {
        url: base(ctx),
        headers: { 'webhook-id': 'forged-id', 'webhook-timestamp': '1', 'webhook-signature': 'v1,Zm9yZ2Vk' },
      },
    ]);
    const got = ctx.rx.received.slice(before);
    assert.is(got.length, 1);
    assert.is(got[0]?.['webhook-id'], id, "the worker's own id");
    assert.is.not(got[0]?.['webhook-timestamp'], '1');
    assert.is(got[0]?.['webhook-signature'], undefined, 'no signature without a signing secret');
  },
);

// ---------------------------------------------------------------------------
// property: secrets anywhere, echoes anywhere
// ---------------------------------------------------------------------------

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const secretArb = fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 14, maxLength: 28 }).map((s) => `Q9${s}`);

const HEADER_NAMES = [
  'Authorization',
  ...SECRET_HEADER_NAMES,
  'X-Api-Key',
  'Cookie',
  'X-Webhook-Secret',
  'Stripe-Signature',
  'X-Tenant-Key',
];
const PARAM_NAMES = [
  'token',
  'access_token',
  'sessionid',
  'jsessionid',
  'ticket',
  'passphrase',
  'pass',
  'code',
  'api_key',
  'sig',
  'tenant_pin',
  'X-Amz-Signature',
];

type Shape = 'plain' | 'slack' | 'discord' | 'teams' | 'zapier' | 'mattermost' | 'custom';
const pathOf = (shape: Shape, s: string): { host: string; path: string } => {
  switch (shape) {
    case 'slack':
      return { host: 'hooks.slack.com', path: `/services/T0AB/B0CD/${s}` };
    case 'discord':
      return { host: 'discord.com', path: `/api/webhooks/998877/${s}` };
    case 'teams':
      return { host: 'acme.webhook.office.com', path: `/webhookb2/${s}/IncomingWebhook/${s.slice(0, 12)}x/abc` };
    case 'zapier':
      return { host: 'hooks.zapier.com', path: `/hooks/catch/12345/${s}/` };
    case 'mattermost':
      // Mattermost hook ids are 26 characters (the host-agnostic rule wants 17 or more)
      return { host: 'chat.example.org', path: `/hooks/${s.padEnd(26, 'z')}` };
    case 'custom':
      return { host: '127.0.0.1', path: `/in/acme/${s}` };
    default:
      return { host: '127.0.0.1', path: '/hook' };
  }
};

const caseArb = fc.record({
  secrets: fc.uniqueArray(secretArb, { minLength: 5, maxLength: 5 }),
  header: fc.option(fc.constantFrom(...HEADER_NAMES), { nil: null }),
  scheme: fc.constantFrom('', 'Bearer ', 'Token '),
  param: fc.option(fc.tuple(fc.constantFrom(...PARAM_NAMES), fc.constantFrom('&', ';')), { nil: null }),
  matrix: fc.boolean(),
  shape: fc.constantFrom<Shape>('plain', 'slack', 'discord', 'teams', 'zapier', 'mattermost', 'custom'),
  userInfo: fc.constantFrom('none', 'user:pass', 'token@'),
  echo: fc.subarray(['body', 'headers', 'reason', 'location'], { minLength: 1 }),
  status: fc.constantFrom(200, 302, 400, 500),
});

type Case = typeof caseArb extends fc.Arbitrary<infer A> ? A : never;

const requestOf = (ctx: Ctx, c: Case): { delivery: Delivery; secrets: string[] } => {
  const [sHeader = '', sParam = '', sPath = '', sUser = '', sMatrix = ''] = c.secrets;
  const used: string[] = [];
  const { host, path } = pathOf(c.shape, sPath);
  if (c.shape !== 'plain') used.push(c.shape === 'mattermost' ? sPath.padEnd(26, 'z') : sPath);
  const matrix = c.matrix ? `;jsessionid=${sMatrix}` : '';
  if (c.matrix) used.push(sMatrix);
  const query = c.param === null ? '?page=1' : `?page=1${c.param[1]}${c.param[0]}=${sParam}`;
  if (c.param !== null) used.push(sParam);
  const auth = c.userInfo === 'none' ? '' : c.userInfo === 'token@' ? `${sUser}@` : `svc0user:${sUser}@`;
  if (c.userInfo !== 'none') used.push(sUser, c.userInfo === 'token@' ? `${sUser}:` : `svc0user:${sUser}`);
  const headers: Record<string, string> = { 'x-echo': c.echo.join(','), 'x-echo-status': String(c.status) };
  if (c.header !== null) {
    headers[c.header] = c.header === 'Cookie' ? `sid=${sHeader}; theme=dark` : `${c.scheme}${sHeader}`;
    used.push(sHeader);
  }
  const url = `http://${auth}${host}:${ctx.rx.port}${path}${matrix}${query}`;
  return { delivery: { url, headers }, secrets: used };
};

Echo('property: no generated secret is stored or logged, and the verify checker reports nothing', async (ctx) => {
  await fc.assert(
    fc.asyncProperty(fc.array(caseArb, { minLength: 1, maxLength: 4 }), async (cases) => {
      const built = cases.map((c) => requestOf(ctx, c));
      const ids = await deliver(
        ctx,
        built.map((b) => b.delivery),
      );
      await assertNoLeak(
        ctx,
        ids,
        built.flatMap((b) => b.secrets),
      );
    }),
    { numRuns: 20 },
  );
});

Echo.run();
