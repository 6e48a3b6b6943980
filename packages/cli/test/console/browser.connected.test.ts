// `dh console` in a real browser (issue 25): Debian's Chromium (/usr/bin/chromium, installed by
// .ci/run where missing) driven by playwright-core, no browser download. Against the built
// binary and data from the real worker and projector: every page opens with the session the
// token bought, hostile receiver content fires no dialog and makes no request, no request
// leaves the console's origin, the endpoint chart's canvas has a size and as many points as
// the aggregates' hours, and each page is captured at 1280x800 under test-output/console/.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, chromium, type Page } from 'playwright-core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dhEnv, ensureBuilt } from '../support/runDh.js';
import { type RawServer, rawResponse } from '@delivery-history/testkit/rawHttpServer';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { type Console, type ConsoleData, consoleData, get, MARKER, startConsole } from './consoleRig.js';

const CHROMIUM = '/usr/bin/chromium';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const OUT = new URL('../../../../test-output/console/', import.meta.url).pathname;

type Ctx = {
  t: TestTable;
  raw: RawServer;
  data: ConsoleData;
  console: Console;
  browser: Browser;
};
const B = suite<Ctx>('dh console in Chromium');

B.before(async (ctx) => {
  ensureBuilt();
  ctx.t = await useTestTable('console-browser');
  ctx.data = await consoleData(ctx.t);
  ctx.raw = ctx.data.raw;
  ctx.console = await startConsole([], dhEnv({ endpoint: ctx.t.endpoint, tableName: ctx.t.tableName }));
  // as root (CI) Chromium needs --no-sandbox; the pages are ours and the content is escaped
  ctx.browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  mkdirSync(OUT, { recursive: true });
});

B.after(async (ctx) => {
  await ctx.browser?.close();
  await ctx.console?.stop();
  await ctx.raw?.close();
  await ctx.t?.drop();
});

B(
  'every page in Chromium: no dialog, no request off the origin, a drawn chart, axe, narrow, screenshots',
  async (ctx) => {
    const { ids, host } = ctx.data;
    const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const requests: string[] = [];
    const dialogs: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('response', (r) => {
      if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.url()}`);
    });
    page.on('console', (m) => {
      // a CSP violation is reported on the console: the pages must cause none
      if (m.type() === 'error') errors.push(m.text());
    });
    // the token: a cookie and a redirect to the overview, the token gone from the address
    await page.goto(ctx.console.url.href);
    assert.is(new URL(page.url()).search, '', 'the token left the address bar');
    const pages: ReadonlyArray<[string, string]> = [
      ['overview', '/'],
      ['messages', '/messages'],
      ['messages-filtered', `/messages?status=failed&endpoint=${encodeURIComponent(host)}&since=-1h`],
      ['messages-issue', `/messages?endpoint=${encodeURIComponent(host)}&category=server_error&code=500`],
      ['overview-24h', '/?window=24h'],
      ['message-hostile', `/messages/${encodeURIComponent(ids.hostile)}`],
      ['message-ok', `/messages/${encodeURIComponent(ids.ok)}`],
      ['endpoints', '/endpoints'],
      ['endpoint', `/endpoints/${encodeURIComponent(host)}`],
    ];
    for (const [name, path] of pages) {
      const r = await page.goto(new URL(path, ctx.console.origin).href);
      assert.is(r?.status(), 200, `${name}: ${path}`);
      if (name === 'overview') {
        const svg = page.locator('svg#outcomes');
        const box = await svg.boundingBox();
        assert.ok(
          box !== null && box.width > 0 && box.height > 0,
          `the outcome chart has a size: ${JSON.stringify(box)}`,
        );
        // the drawn bars carry the aggregates' numbers: one success and one final failure
        const drawn = (await page.evaluate(
          `[...document.querySelectorAll('svg#outcomes rect')].map((r) => r.getAttribute('class'))`,
        )) as string[];
        assert.equal(drawn.sort(), ['final', 'success'], 'one bar segment per outcome with deliveries');
        assert.ok((await page.locator('#issues a', { hasText: /^1$/ }).count()) === 1, 'an open issue with its count');
      }
      if (name === 'endpoint') {
        const canvas = page.locator('#chart canvas');
        await canvas.waitFor({ state: 'visible' });
        const box = await canvas.boundingBox();
        assert.ok(
          box !== null && box.width > 0 && box.height > 0,
          `the chart canvas has a size: ${JSON.stringify(box)}`,
        );
        const series = JSON.parse(
          (await get(ctx.console, `/endpoints/${encodeURIComponent(host)}/series.json`, await cookieOf(context))).text,
        ) as { time: number[] };
        assert.is(await page.locator('#chart').getAttribute('data-points'), String(series.time.length));
        assert.ok(series.time.length > 0, 'the chart has data');
      }
      if (name === 'message-hostile') {
        const snippet = page.locator('pre.payload', { hasText: 'alert("xss")' });
        assert.ok(
          (await snippet.innerText()).includes('<script>alert("xss")</script>'),
          'the script is text on the page',
        );
        assert.is(await page.locator('main img, main script').count(), 0, 'no element from the receiver');
      }
      await axeClean(page, name);
      await page.screenshot({ path: `${OUT}${name}.png` });
    }
    assert.equal(dialogs, [], 'no dialog fired');
    assert.equal(errors, [], 'no script error and no CSP violation');
    const off = requests.filter((u) => new URL(u).origin !== ctx.console.origin);
    assert.equal(off, [], 'no request left the console');
    assert.ok(
      requests.some((u) => u.endsWith('/assets/uPlot.iife.min.js')),
      'uPlot came from the console',
    );
    // a narrow window (same session: the token works once): no page scrolls sideways
    await page.setViewportSize({ width: 390, height: 800 });
    for (const [name, path] of pages) {
      const r = await page.goto(new URL(path, ctx.console.origin).href);
      assert.is(r?.status(), 200, `narrow ${name}`);
      const [scroll, width] = (await page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]')) as [
        number,
        number,
      ];
      assert.ok(scroll <= width, `narrow ${name}: ${scroll} px wide in a ${width} px window`);
    }
    await page.screenshot({ path: `${OUT}narrow-endpoint.png` });
    await context.close();
  },
);

/** axe-core through the DevTools protocol (the page's CSP would refuse it as a script tag). */
const axeClean = async (page: Page, name: string): Promise<void> => {
  const serious = (await page.evaluate(`${AXE};axe.run(document).then((r) => r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')))`)) as string[];
  assert.equal(serious, [], `${name}: axe-core, no serious or critical violation`);
};

/** What a page does that it must not: the dialogs it opens (dismissed) and its script errors. */
const watch = (page: Page): { readonly dialogs: string[]; readonly errors: string[] } => {
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return { dialogs, errors };
};

/** The session cookie of a browser context, as a Cookie header. */
const cookieOf = async (context: Awaited<ReturnType<Browser['newContext']>>): Promise<string> =>
  (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');

B('the live toggle shows a new attempt from the stream within seconds, as text', async (ctx) => {
  const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const { dialogs } = watch(page);
  // a console of its own: the suite's token is spent
  const live = await startConsole([], dhEnv({ endpoint: ctx.t.endpoint, tableName: ctx.t.tableName }));
  try {
    await page.goto(live.url.href);
    await page.goto(new URL('/messages', live.origin).href);
    await page.locator('#live-toggle').check();
    // following: the stream is read from here on
    await page.locator('#live[data-following="true"]').waitFor({ timeout: 60_000 });
    const id = `live-${Date.now()}`;
    await ctx.data.deliver(id, 'hostile');
    const row = page.locator(`#live-attempts tr[data-message="${id}"]`);
    await row.waitFor({ timeout: 30_000 });
    const text = await row.innerText();
    assert.ok(text.includes('FAILED (final)') && text.includes('server_error'), text);
    assert.is(await row.locator('a').getAttribute('href'), `/messages/${id}`, 'links to the message');
    await page.screenshot({ path: `${OUT}messages-live.png` });
    assert.equal(dialogs, [], 'no dialog');
  } finally {
    await context.close();
    await live.stop();
  }
});

B('a re-drive job from a selection: its dry-run count, progress, and cancel', async (ctx) => {
  const { raw, deliver } = ctx.data;
  // three final failures from a receiver that answers 500 at once...
  raw.define('hang', {
    steps: [{ bytes: rawResponse('500 Internal Server Error', [], 'no'), delayMs: 0 }],
    end: 'close',
  });
  const ids = ['job-a', 'job-b', 'job-c'].map((p) => `${p}-${Date.now()}`);
  for (const id of ids) await deliver(id, 'hang');
  // ...and then answers nothing for minutes: the job is still delivering when it is cancelled
  raw.define('hang', {
    steps: [{ bytes: rawResponse('500 Internal Server Error', [], 'no'), delayMs: 600_000 }],
    end: 'close',
  });
  const env = dhEnv({
    endpoint: ctx.t.endpoint,
    tableName: ctx.t.tableName,
    extra: { DH_OPERATOR: 'support-bo', DELIVERY_ALLOW_TARGETS: '127.0.0.1' },
  });
  const jobs = await startConsole([], env);
  const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const { errors } = watch(page);
  try {
    await page.goto(jobs.url.href);
    await page.goto(new URL('/messages', jobs.origin).href);
    for (const id of ids) await page.locator(`input[name="message"][value="${id}"]`).check();
    await page.locator('#redrive-selected').click();
    await page.locator('#would-redrive').waitFor();
    assert.is(await page.locator('#would-redrive').innerText(), '3', 'the dry run counts the selection');
    await axeClean(page, 'redrive-confirm');
    await page.screenshot({ path: `${OUT}redrive-confirm.png` });
    await page.locator('textarea[name="reason"]').fill('receiver back after the outage');
    await page.locator('form.action button[type="submit"]').click();
    await page.waitForURL(/\/jobs\/[0-9a-f]{12}$/);
    // all three reopened (progress 3 of 3), delivery hanging: still running
    await page.locator('#job-reopened', { hasText: '3' }).waitFor({ timeout: 60_000 });
    assert.is(await page.locator('#job-state').innerText(), 'running');
    assert.is(await page.locator('#job-progress').getAttribute('value'), '3');
    assert.is(await page.locator('#job-progress').getAttribute('max'), '3');
    await axeClean(page, 'job');
    await page.screenshot({ path: `${OUT}job-running.png` });
    await page.locator('#job-cancel').click();
    await page.locator('#job-state', { hasText: /^cancelled$/ }).waitFor({ timeout: 60_000 });
    assert.match(await page.locator('#job-summary').innerText(), /Interrupted/);
    await page.screenshot({ path: `${OUT}job-cancelled.png` });
    await page.goto(new URL(`/messages/${ids[0]}`, jobs.origin).href);
    assert.match(
      await page.locator('main').innerText(),
      /re-drive 1 after attempt 1 by support-bo: receiver back after the outage/,
    );
    assert.equal(errors, []);
  } finally {
    await context.close();
    await jobs.stop();
  }
});

B('an expunge from the message page: the dry run, a reason and the id typed again, then who and why', async (ctx) => {
  const id = `expunge-${Date.now()}`;
  await ctx.data.deliver(id, 'ok');
  const env = dhEnv({ endpoint: ctx.t.endpoint, tableName: ctx.t.tableName, extra: { DH_OPERATOR: 'support-cy' } });
  const own = await startConsole([], env);
  const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const { errors, dialogs } = watch(page);
  try {
    await page.goto(own.url.href);
    await page.goto(new URL(`/messages/${id}`, own.origin).href);
    assert.ok((await page.locator('pre.payload').innerText()).includes(MARKER), 'the body is shown before');
    await page.locator('#expunge-link').click();
    await page.locator('#would-expunge').waitFor();
    assert.ok(Number(await page.locator('#would-expunge').innerText()) > 0, 'the dry run counts the items');
    await axeClean(page, 'expunge-confirm');
    await page.screenshot({ path: `${OUT}expunge-confirm.png` });
    // unconfirmed: the browser keeps the form (required fields), nothing is posted
    await page.locator('textarea[name="reason"]').fill('GDPR request 2026-114');
    await page.locator('#expunge-confirm').click();
    assert.match(page.url(), /\/expunge\?message=/, 'still on the confirmation');
    await page.locator('input[name="confirm"]').fill(id);
    await page.locator('#expunge-confirm').click();
    await page.waitForURL(new RegExp(`/messages/${id}$`));
    const main = await page.locator('main').innerText();
    assert.match(main, /expunge 1 by support-cy: GDPR request 2026-114/, 'who and why on the message');
    assert.match(main, /Body not stored/, 'the body is gone');
    assert.not.ok(main.includes(MARKER));
    await page.screenshot({ path: `${OUT}message-expunged.png` });
    assert.equal(errors, []);
    assert.equal(dialogs, []);
  } finally {
    await context.close();
    await own.stop();
  }
});

B('a browser without the session sees 401 and no data', async (ctx) => {
  const context = await ctx.browser.newContext();
  const page = await context.newPage();
  const r = await page.goto(new URL(`/messages/${encodeURIComponent(ctx.data.ids.hostile)}`, ctx.console.origin).href);
  assert.is(r?.status(), 401);
  assert.not.ok((await page.content()).includes(ctx.data.ids.hostile));
  await context.close();
});

B.run();
