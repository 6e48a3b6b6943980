// `dh console`'s expunge over HTTP (issue 25): the built binary against DynamoDB Local with a
// message delivered by the real worker handler. A request without the session, with a wrong
// CSRF token, from another Origin, without a reason or without the id typed again is refused
// and the stored partition is byte for byte the same; --read-only has no expunge at all; a
// confirmed expunge runs `dh expunge`'s step and records who and why.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dhEnv, ensureBuilt } from '../support/runDh.js';
import { partition } from '@delivery-history/testkit/storedPartition';
import type { RawServer } from '@delivery-history/testkit/rawHttpServer';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import {
  type Console,
  consoleData,
  type ConsoleData,
  csrfIn,
  get,
  MARKER,
  signIn,
  startConsole,
} from './consoleRig.js';

type Ctx = {
  t: TestTable;
  raw: RawServer;
  data: ConsoleData;
  env: NodeJS.ProcessEnv;
  console: Console;
  cookie: string;
  /** A final message of its own (delivered here), the one expunged last. */
  id: string;
};

const X = suite<Ctx>('dh console: expunge');

X.before(async (ctx) => {
  ensureBuilt();
  ctx.t = await useTestTable('console-expunge');
  ctx.env = dhEnv({ endpoint: ctx.t.endpoint, tableName: ctx.t.tableName, extra: { DH_OPERATOR: 'support-dee' } });
  ctx.data = await consoleData(ctx.t);
  ctx.raw = ctx.data.raw;
  ctx.id = `expunge-${Date.now()}`;
  await ctx.data.deliver(ctx.id, 'ok');
  ctx.console = await startConsole([], ctx.env);
  ctx.cookie = (await signIn(ctx.console)).cookie;
});

X.after(async (ctx) => {
  await ctx.console?.stop();
  await ctx.raw?.close();
  await ctx.t?.drop();
});

const stored = (ctx: Ctx) => partition(ctx.t.doc, ctx.t.tableName, ctx.id);

const post = (
  c: Console,
  fields: Record<string, string>,
  o: { cookie?: string | undefined; headers?: Record<string, string> },
) =>
  get(c, '/expunge', o.cookie, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...o.headers },
    body: new URLSearchParams(fields).toString(),
  });

X(
  'the message page links to the expunge; its confirmation shows the dry run and asks for a reason and the id',
  async (ctx) => {
    const msg = await get(ctx.console, `/messages/${encodeURIComponent(ctx.id)}`, ctx.cookie);
    assert.match(msg.text, new RegExp(`<a href="/expunge\\?message=${ctx.id}" id="expunge-link">`));
    const before = await stored(ctx);
    const confirm = await get(ctx.console, `/expunge?message=${encodeURIComponent(ctx.id)}`, ctx.cookie);
    assert.is(confirm.status, 200, confirm.text.slice(0, 300));
    // the success kept its request body and headers: the dry run names the items that would change
    assert.match(confirm.text, /<strong id="would-expunge">[1-9]\d*<\/strong> items would change: [^<]*STATE/);
    assert.match(confirm.text, /<textarea name="reason" required/);
    assert.match(confirm.text, /<input name="confirm" required/);
    assert.ok(confirm.text.includes(`dh expunge --message ${ctx.id} --reason TEXT`), 'the equivalent command');
    assert.match(csrfIn(confirm.text), /^[A-Za-z0-9_-]{43}$/, 'the form carries the session CSRF token');
    assert.equal(await stored(ctx), before, 'the dry run wrote nothing');
    const secrets = await get(ctx.console, `/expunge?message=${encodeURIComponent(ctx.id)}&scope=secrets`, ctx.cookie);
    assert.is(secrets.status, 200);
    assert.ok(secrets.text.includes('--secrets-only'));
    for (const q of ['', 'message=', `message=${encodeURIComponent(ctx.id)}&scope=all`])
      assert.is((await get(ctx.console, `/expunge?${q}`, ctx.cookie)).status, 400, q);
    assert.is((await get(ctx.console, `/expunge?message=${encodeURIComponent(ctx.id)}`)).status, 401, 'no session');
  },
);

X(
  'a request without the session, from another Origin, with a wrong CSRF token or unconfirmed changes nothing',
  async (ctx) => {
    const before = await stored(ctx);
    assert.ok(JSON.stringify(before).includes(MARKER), 'the content is there to lose');
    const csrf = csrfIn((await get(ctx.console, `/expunge?message=${encodeURIComponent(ctx.id)}`, ctx.cookie)).text);
    const valid = { message: ctx.id, reason: 'GDPR request 114', confirm: ctx.id, csrf };
    const own = { origin: ctx.console.origin };
    const refused: ReadonlyArray<[string, Promise<{ status: number; text: string }>, number]> = [
      ['no session', post(ctx.console, valid, { headers: own }), 401],
      ['a forged session', post(ctx.console, valid, { cookie: 'dh_console_session=forged', headers: own }), 401],
      [
        'another Origin',
        post(ctx.console, valid, { cookie: ctx.cookie, headers: { origin: 'https://evil.example' } }),
        403,
      ],
      ['no Origin', post(ctx.console, valid, { cookie: ctx.cookie }), 403],
      ['no CSRF token', post(ctx.console, { ...valid, csrf: '' }, { cookie: ctx.cookie, headers: own }), 403],
      [
        'a wrong CSRF token',
        post(ctx.console, { ...valid, csrf: 'x'.repeat(43) }, { cookie: ctx.cookie, headers: own }),
        403,
      ],
      ['no reason', post(ctx.console, { ...valid, reason: ' ' }, { cookie: ctx.cookie, headers: own }), 400],
      ['not confirmed', post(ctx.console, { ...valid, confirm: '' }, { cookie: ctx.cookie, headers: own }), 400],
      [
        'another id typed',
        post(ctx.console, { ...valid, confirm: `${ctx.id}x` }, { cookie: ctx.cookie, headers: own }),
        400,
      ],
    ];
    for (const [what, r, status] of refused) {
      const got = await r;
      assert.is(got.status, status, `${what}: ${got.text.slice(0, 200)}`);
    }
    assert.equal(await stored(ctx), before, 'the stored partition is unchanged');
  },
);

X('a message not final is refused by the store, as dh expunge refuses it', async (ctx) => {
  // the hostile one was delivered once with maxAttempts 1: final; a made-up id is not found
  const gone = await get(ctx.console, '/expunge?message=no-such-message', ctx.cookie);
  assert.is(gone.status, 200);
  assert.match(gone.text, /<p class="problem" id="expunge-dry-run">not-found/);
  assert.not.match(gone.text, /<form method="post" action="\/expunge"/, 'nothing to confirm');
});

X('--read-only: no expunge link or route, and the post is refused (405) with nothing changed', async (ctx) => {
  const ro = await startConsole(['--read-only'], ctx.env);
  try {
    const { cookie } = await signIn(ro);
    const before = await stored(ctx);
    const msg = await get(ro, `/messages/${encodeURIComponent(ctx.id)}`, cookie);
    assert.is(msg.status, 200);
    assert.not.match(msg.text, /expunge\?/i, 'no expunge link');
    assert.is((await get(ro, `/expunge?message=${encodeURIComponent(ctx.id)}`, cookie)).status, 404);
    const r = await post(
      ro,
      { message: ctx.id, reason: 'r', confirm: ctx.id, csrf: 'x' },
      { cookie, headers: { origin: ro.origin } },
    );
    assert.is(r.status, 405);
    assert.equal(await stored(ctx), before);
  } finally {
    await ro.stop();
  }
});

// last: it expunges the message
X('confirmed: the content is gone, the EXPUNGE event says who and why, and the message page shows it', async (ctx) => {
  const csrf = csrfIn((await get(ctx.console, `/expunge?message=${encodeURIComponent(ctx.id)}`, ctx.cookie)).text);
  const r = await post(
    ctx.console,
    { message: ctx.id, reason: 'GDPR request <114>', confirm: ctx.id, csrf },
    { cookie: ctx.cookie, headers: { origin: ctx.console.origin } },
  );
  assert.is(r.status, 303, r.text.slice(0, 200));
  const items = await stored(ctx);
  assert.not.ok(JSON.stringify(items).includes(MARKER), 'the request body is gone');
  const event = items.find((i) => String(i.sk).startsWith('EXPUNGE#'));
  assert.is(event?.requestedBy, 'support-dee', 'who: the console operator');
  assert.is(event?.reason, 'GDPR request <114>', 'why, as given');
  const msg = await get(ctx.console, `/messages/${encodeURIComponent(ctx.id)}`, ctx.cookie);
  assert.match(msg.text, /expunge 1 by support-dee: GDPR request &lt;114&gt;/);
  assert.match(msg.text, /Body not stored/);
  const again = await get(ctx.console, `/expunge?message=${encodeURIComponent(ctx.id)}`, ctx.cookie);
  assert.match(again.text, /Nothing left to remove/, 'a second expunge has nothing to do');
});

X.run();
