// Lists and their output, piped (not a terminal): error text and response time columns,
// nothing cut however long, no colour codes unless FORCE_COLOR (and never with NO_COLOR),
// --output tsv/json (--json its alias), --order newest|oldest with cursors bound to their
// order, and the created-time window. Built `dh` binary against DynamoDB Local.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { type DhResult, dhEnv, jsonOf, pagesOf, runDh, show } from './support/runDh.js';
import { seeder } from './support/seed.js';

type Ctx = { t: TestTable; env: NodeJS.ProcessEnv };
const O = suite<Ctx>('dh list output: piped, tsv, order, created window');

const T0 = new Date(Date.now() - 50 * 60_000);
// f-1 created first, f-5 last; each one's attempt a few seconds after its creation
const IDS = ['f-1', 'f-2', 'f-3', 'f-4', 'f-5'];
// a receiver URL long enough that its error text would be cut in any terminal
const LONG_HOST = `${'very-long-receiver-name-'.repeat(6)}example.com`;

O.before(async (ctx) => {
  ctx.t = await useTestTable('cli-output');
  ctx.env = dhEnv({ endpoint: ctx.t.endpoint, tableName: ctx.t.tableName });
  const s = seeder(ctx.t.doc, ctx.t.tableName, T0);
  for (const id of IDS) {
    await s.deliver({ messageId: id, url: `https://${LONG_HOST}/in`, correlationId: 'batch-1', maxAttempts: 1 }, [
      'refused',
    ]);
    s.clock.advance(5 * 60_000);
  }
});
O.after(async (ctx) => {
  await ctx.t.drop();
});

type Page = {
  items: Array<{ messageId: string; createdAt: string; deliveryResult: { errorDetails: { message: string } } }>;
  cursor: string | null;
  order: string;
  createdSince?: string;
};
const ok = (r: DhResult, code = 0) => assert.is(r.code, code, show(r));
const ids = (r: DhResult) => jsonOf<Page>(r).items.map((i) => i.messageId);
const ESC = '\x1b[';

O('piped: error text and TIME columns, nothing cut however wide, no colour codes', async ({ env }) => {
  const [table, json] = await Promise.all([
    runDh(['failed', '--since', '-1h'], { ...env, COLUMNS: '80' }),
    runDh(['failed', '--since', '-1h', '--json'], env),
  ]);
  ok(table);
  ok(json);
  const [head, ...rows] = table.stdout.trimEnd().split('\n');
  assert.match(head ?? '', /\bTIME\b.*\bERROR$/);
  const error = jsonOf<Page>(json).items[0]?.deliveryResult.errorDetails.message ?? '';
  assert.match(error, /ECONNREFUSED \(retries exhausted/);
  assert.ok(table.stdout.includes(error), `the whole error text is printed:\n${table.stdout}`);
  assert.ok(table.stdout.includes(LONG_HOST));
  assert.ok(
    rows.every((l) => l.length > 80),
    'piped rows keep their full width (no fitting to COLUMNS)',
  );
  assert.not.ok(table.stdout.includes('…'), 'no ellipsis when piped');
  assert.not.ok(table.stdout.includes(ESC), 'no escape codes when piped');
  assert.not.match(table.stdout, /fitted to the terminal/);
});

O('colour: FORCE_COLOR paints statuses when piped; NO_COLOR wins over it', async ({ env }) => {
  const [forced, both] = await Promise.all([
    runDh(['failed', '--since', '-1h'], { ...env, NO_COLOR: undefined, FORCE_COLOR: '1' }),
    runDh(['failed', '--since', '-1h'], { ...env, NO_COLOR: '1', FORCE_COLOR: '1' }),
  ]);
  ok(forced);
  assert.ok(forced.stdout.includes(`${ESC}31mFAILED (final)${ESC}39m`), JSON.stringify(forced.stdout.slice(0, 400)));
  ok(both);
  assert.not.ok(both.stdout.includes(ESC));
});

O('--output tsv: a header of field names, one line per message, ISO times, tabs only', async ({ env }) => {
  const r = await runDh(['failed', '--since', '-1h', '--output', 'tsv'], env);
  ok(r);
  const [head, ...rows] = r.stdout.trimEnd().split('\n');
  const fields = (head ?? '').split('\t');
  assert.equal(fields.slice(0, 3), ['messageId', 'status', 'retryEligible']);
  assert.ok(fields.includes('responseTimeMs') && fields.includes('error') && fields.includes('createdAt'));
  assert.is(rows.length, IDS.length);
  for (const row of rows) {
    const cells = row.split('\t');
    assert.is(cells.length, fields.length, row);
    assert.match(cells[fields.indexOf('createdAt')] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.match(cells[fields.indexOf('error')] ?? '', /ECONNREFUSED/);
  }
  assert.not.ok(r.stdout.includes(ESC));
  const [json, alias, clash] = await Promise.all([
    runDh(['correlation', 'batch-1', '--output', 'json'], env),
    runDh(['correlation', 'batch-1', '--json'], env),
    runDh(['correlation', 'batch-1', '--json', '--output', 'tsv'], env),
  ]);
  ok(json);
  ok(alias);
  assert.equal(ids(json), ids(alias));
  ok(clash, 2);
  assert.match(clash.stderr, /--json is --output json/);
});

O('--order newest: the indexes read backwards, paged; a cursor is refused with the other order', async ({ env }) => {
  const [oldest, newest, corr, ep] = await Promise.all([
    runDh(['failed', '--since', '-1h', '--json'], env),
    runDh(['failed', '--since', '-1h', '--order', 'newest', '--json'], env),
    runDh(['correlation', 'batch-1', '--order', 'newest', '--json'], env),
    runDh(['endpoint', LONG_HOST, '--order', 'newest', '--json'], env),
  ]);
  for (const r of [oldest, newest, corr, ep]) ok(r);
  assert.equal(ids(oldest), IDS);
  assert.equal(ids(newest), [...IDS].reverse());
  assert.equal(ids(corr), [...IDS].reverse());
  assert.equal(ids(ep), [...IDS].reverse());
  assert.is(jsonOf<Page>(newest).order, 'newest');
  // pages of two, newest first, continued by the cursor alone (it carries the order)
  const pages = await pagesOf<Page>(['failed', '--since', '-1h', '--limit', '2', '--json'], env, 5, [
    '--order',
    'newest',
  ]);
  const seen = pages.flatMap((page) => page.items.map((i) => i.messageId));
  assert.equal(seen, [...IDS].reverse());
  const first = await runDh(['failed', '--since', '-1h', '--limit', '2', '--order', 'newest', '--json'], env);
  const refused = await runDh(
    ['failed', '--since', '-1h', '--order', 'oldest', '--cursor', String(jsonOf<Page>(first).cursor)],
    env,
  );
  ok(refused, 2);
  assert.match(refused.stderr, /--cursor continues a list in --order newest/);
  const bad = await runDh(['failed', '--since', '-1h', '--order', 'latest'], env);
  ok(bad, 2);
  assert.match(bad.stderr, /--order: .*oldest\|newest/);
});

O('created window: failed and endpoint filter by creation, correlation by its key; errors', async ({ env }) => {
  // f-1 was created 50 min ago, then one every ~5 min: since -39m leaves f-4 and f-5 (4 min of headroom for a slow run)
  const [failed, ep, corr, until, bounded, reversed] = await Promise.all([
    runDh(['failed', '--since', '-1h', '--created-since', '-39m', '--json'], env),
    runDh(['endpoint', LONG_HOST, '--created-since', '-39m', '--json'], env),
    runDh(['correlation', 'batch-1', '--created-since', '-39m', '--json'], env),
    runDh(['failed', '--since', '-1h', '--created-until', '-39m', '--json'], env),
    runDh(['endpoint', LONG_HOST, '--created-until', '-39m'], env),
    runDh(['correlation', 'batch-1', '--created-since', '-10m', '--created-until', '-20m'], env),
  ]);
  for (const r of [failed, ep, corr, until]) ok(r);
  assert.equal(ids(failed), ['f-4', 'f-5']);
  assert.equal(ids(ep), ['f-4', 'f-5']);
  assert.equal(ids(corr), ['f-4', 'f-5']);
  assert.equal(ids(until), ['f-1', 'f-2', 'f-3']);
  assert.type(jsonOf<Page>(failed).createdSince, 'string');
  ok(bounded, 2);
  assert.match(bounded.stderr, /--created-until needs --created-since/);
  ok(reversed, 2);
  assert.match(reversed.stderr, /--created-until must be after --created-since/);
});

O('help and did-you-mean know the new flags', async ({ env }) => {
  const [help, typo] = await Promise.all([
    runDh(['failed', '--help'], env),
    runDh(['failed', '--since', '-1h', '--ordr', 'newest'], env),
  ]);
  ok(help);
  for (const s of ['--order oldest|newest', '--output table|json|tsv', '--created-since', '--wide']) {
    assert.ok(help.stdout.includes(s), s);
  }
  ok(typo, 2);
  assert.match(typo.stderr, /did you mean --order\?/);
});

O.run();
