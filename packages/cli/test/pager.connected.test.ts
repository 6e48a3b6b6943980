// The pager: on a terminal (a tmux pane) a view goes through $DH_PAGER, else $PAGER; never
// with --no-pager, and never when piped. The pagers here are `sed` scripts that mark every
// line, so the pane shows whether the view went through them. Built `dh` binary.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { dhEnv, runDh, show } from './support/runDh.js';
import { seeder } from './support/seed.js';
import { startTmux, type Tmux } from './support/tmuxPane.js';

type Ctx = { t: TestTable; tmux: Tmux; env: NodeJS.ProcessEnv };
const P = suite<Ctx>('dh pager');

const MARK = (tag: string) => `sed 's/^/${tag}|/'`;

P.before(async (ctx) => {
  ctx.t = await useTestTable('cli-pager');
  ctx.env = dhEnv({ endpoint: ctx.t.endpoint, tableName: ctx.t.tableName });
  ctx.tmux = startTmux(ctx.env);
  const s = seeder(ctx.t.doc, ctx.t.tableName, new Date(Date.now() - 10 * 60_000));
  for (const id of ['pg-1', 'pg-2']) await s.deliver({ messageId: id, maxAttempts: 1 }, ['404']);
});

P.after(async (ctx) => {
  ctx.tmux.close();
  await ctx.t.drop();
});

const inPane = async (ctx: Ctx, name: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> => {
  ctx.tmux.pane(name, 120, args, 30, env);
  const text = await ctx.tmux.capture(name, /exit=\d+/);
  ctx.tmux.run('kill-session', '-t', name);
  return text;
};

P('on a terminal: through $DH_PAGER, else $PAGER; --no-pager: straight to the terminal', async (ctx) => {
  const list = ['failed', '--since', '-1h'];
  const dh = await inPane(ctx, 'dhpager', list, { DH_PAGER: MARK('DH'), PAGER: MARK('PG') });
  assert.match(dh, /^DH\|MESSAGE\s+STATUS/m, dh);
  assert.match(dh, /^DH\|pg-1 /m, dh);
  assert.match(dh, /exit=0/, dh);
  const pager = await inPane(ctx, 'pager', ['history', 'pg-1'], { PAGER: MARK('PG') });
  assert.match(pager, /^PG\|/m, pager);
  const off = await inPane(ctx, 'nopager', [...list, '--no-pager'], { DH_PAGER: MARK('DH') });
  assert.not.match(off, /DH\|/, off);
  assert.match(off, /^MESSAGE\s+STATUS/m, off);
});

P('piped: never a pager', async (ctx) => {
  const r = await runDh(['failed', '--since', '-1h'], { ...ctx.env, DH_PAGER: MARK('DH'), PAGER: MARK('PG') });
  assert.is(r.code, 0, show(r));
  assert.match(r.stdout, /^MESSAGE\s+STATUS/, show(r));
  assert.not.match(r.stdout, /(DH|PG)\|/);
});

P.run();
