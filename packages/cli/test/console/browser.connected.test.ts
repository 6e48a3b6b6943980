// `dh console` in a real browser (issue 25): Debian's Chromium (/usr/bin/chromium, installed by
// .ci/run where missing) driven by playwright-core, no browser download. Against the built
// binary and data from the real worker and projector: every page opens with the session the
// token bought, hostile receiver content fires no dialog and makes no request, no request
// leaves the console's origin, the endpoint chart's canvas has a size and as many points as
// the aggregates' hours, and each page is captured at 1280x800 under test-output/console/.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, chromium } from 'playwright-core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dhEnv, ensureBuilt } from '../support/runDh.js';
import { type RawServer, type TestTable, useTestTable } from '@delivery-history/testkit';
import { type Console, type ConsoleData, consoleData, get, startConsole } from './consoleRig.js';

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
      ['message-hostile', `/messages/${encodeURIComponent(ids.hostile)}`],
      ['message-ok', `/messages/${encodeURIComponent(ids.ok)}`],
      ['endpoints', '/endpoints'],
      ['endpoint', `/endpoints/${encodeURIComponent(host)}`],
    ];
    for (const [name, path] of pages) {
      const r = await page.goto(new URL(path, ctx.console.origin).href);
      assert.is(r?.status(), 200, `${name}: ${path}`);
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
      // axe-core through the DevTools protocol (the page's CSP would refuse it as a script tag)
      const serious = (await page.evaluate(`${AXE};axe.run(document).then((r) => r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')))`)) as string[];
      assert.equal(serious, [], `${name}: axe-core, no serious or critical violation`);
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

/** The session cookie of a browser context, as a Cookie header. */
const cookieOf = async (context: Awaited<ReturnType<Browser['newContext']>>): Promise<string> =>
  (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');

B('a browser without the session sees 401 and no data', async (ctx) => {
  const context = await ctx.browser.newContext();
  const page = await context.newPage();
  const r = await page.goto(new URL(`/messages/${encodeURIComponent(ctx.data.ids.hostile)}`, ctx.console.origin).href);
  assert.is(r?.status(), 401);
  assert.not.ok((await page.content()).includes(ctx.data.ids.hostile));
  await context.close();
});

B.run();
