// `dh console`'s live toggle over HTTP (issue 25): `/messages/live.json` keeps the attempts the
// stream brings by the page's whole /messages filter (status, endpoint, category, code,
// correlation), through the list's own predicate; the page's toggle polls with its filter.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dhEnv, ensureBuilt } from '../support/runDh.js';
import type { RawServer } from '@delivery-history/testkit/rawHttpServer';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { type Console, type ConsoleData, consoleData, get, signIn, startConsole } from './consoleRig.js';

type Ctx = { t: TestTable; raw: RawServer; data: ConsoleData; console: Console; cookie: string };

const L = suite<Ctx>('dh console: the live toggle follows the page filter');

L.before(async (ctx) => {
  ensureBuilt();
  ctx.t = await useTestTable('console-live');
  ctx.data = await consoleData(ctx.t);
  ctx.raw = ctx.data.raw;
  ctx.console = await startConsole([], dhEnv({ endpoint: ctx.t.endpoint, tableName: ctx.t.tableName }));
  ctx.cookie = (await signIn(ctx.console)).cookie;
});

L.after(async (ctx) => {
  await ctx.console?.stop();
  await ctx.raw?.close();
  await ctx.t?.drop();
});

type Poll = { _tag: string; seq?: number; attempts?: Array<{ messageId: string; status: string }> };

const poll = async (ctx: Ctx, q: string): Promise<Poll> => {
  const r = await get(ctx.console, `/messages/live.json?${q}`, ctx.cookie);
  assert.is(r.status, 200, `${q}: ${r.text}`);
  return JSON.parse(r.text) as Poll;
};

const pause = () => new Promise((ok) => setTimeout(ok, 200));

L('new attempts are kept by status, endpoint, category, code and correlation, as the list keeps rows', async (ctx) => {
  const { host } = ctx.data;
  // following: the stream is read from here on (waits on the follower, not a clock)
  let start = await poll(ctx, '');
  while (start._tag !== 'following') {
    await pause();
    start = await poll(ctx, '');
  }
  const after = String(start.seq);
  const failed = `live-failed-${Date.now()}`;
  const ok = `live-ok-${Date.now()}`;
  await ctx.data.deliver(failed, 'hostile');
  await ctx.data.deliver(ok, 'ok');
  const shown = async (q: string) =>
    ((await poll(ctx, `${q}&after=${after}`)).attempts ?? [])
      .map((a) => a.messageId)
      .filter((id) => id.startsWith('live-'));
  // both arrive (any status at this endpoint): the buffer has them
  const every = `status=any&endpoint=${encodeURIComponent(host)}`;
  while ((await shown(every)).length < 2) await pause();
  assert.equal((await shown(every)).sort(), [failed, ok].sort(), 'status any at the endpoint: both');
  assert.equal(await shown('status=failed'), [failed], 'the default status: the failure only, as the list');
  assert.equal(await shown('status=exhausted'), [failed], 'final (maxAttempts 1)');
  assert.equal(await shown('status=held'), [], 'held: no attempt');
  assert.equal(await shown('status=failed&category=server_error&code=500'), [failed]);
  assert.equal(await shown('status=failed&code=404'), [], 'another code');
  assert.equal(await shown('status=failed&category=client_error'), [], 'another category');
  assert.equal(await shown('status=failed&endpoint=elsewhere.example'), [], 'another endpoint');
  assert.equal(await shown(`status=any&correlation=${encodeURIComponent(ok)}`), [ok], 'the correlation id');
  assert.equal(await shown(`status=failed&correlation=${encodeURIComponent(ok)}`), [], 'correlation and status');
  // a bad filter is refused as the list refuses it, naming the parameter
  for (const [q, name] of [
    ['status=bogus', 'status'],
    ['category=teapot', 'category'],
    ['code=999', 'code'],
    ['status=any', 'status'],
  ] as const) {
    const r = await get(ctx.console, `/messages/live.json?${q}`, ctx.cookie);
    assert.is(r.status, 400, q);
    assert.match(r.text, new RegExp(name), q);
  }
});

L('the page polls with its own filter (not the window)', async (ctx) => {
  const r = await get(
    ctx.console,
    `/messages?status=exhausted&category=server_error&code=500&endpoint=${encodeURIComponent(ctx.data.host)}&since=-2h`,
    ctx.cookie,
  );
  const live = /data-live="([^"]+)"/.exec(r.text)?.[1]?.replaceAll('&amp;', '&') ?? '';
  const q = new URL(live, 'http://x').searchParams;
  assert.equal(
    Object.fromEntries(q),
    { status: 'exhausted', endpoint: ctx.data.host, category: 'server_error', code: '500' },
    live,
  );
});

L.run();
