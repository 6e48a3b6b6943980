// dh on a real terminal: the built binary in a tmux pane (a private tmux server, killed at the
// end) of 80 and 160 columns. `capture-pane` shows the list fitted to the pane (no line wider,
// ids whole, the error text cut with "…", a pointer to --wide), colours present (-e keeps the
// escape codes), `--wide` at full width; and Ctrl-C on `dh tail` printing its one-line
// summary and exiting 130. tmux is installed by .ci/run where missing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { dhEnv } from './support/runDh.js';
import { seeder } from './support/seed.js';
import { startTmux, type Tmux } from './support/tmuxPane.js';

type Ctx = { t: TestTable; tmux: Tmux };
const T = suite<Ctx>('dh on a terminal (tmux)');

const IDS = ['term-1', 'term-2', 'term-3'];
const ERROR = 'connect ECONNREFUSED';
const RED = '\u001b[31m';

T.before(async (ctx) => {
  ctx.t = await useTestTable('cli-terminal');
  ctx.tmux = startTmux(dhEnv({ endpoint: ctx.t.endpoint, tableName: ctx.t.tableName }));
  const s = seeder(ctx.t.doc, ctx.t.tableName, new Date(Date.now() - 20 * 60_000));
  const host = `${'a-receiver-with-a-long-name-'.repeat(3)}example.com`;
  for (const id of IDS) await s.deliver({ messageId: id, url: `https://${host}/in`, maxAttempts: 1 }, ['refused']);
});

T.after(async (ctx) => {
  ctx.tmux.close();
  await ctx.t.drop();
});

for (const width of [80, 160]) {
  T(`${width} columns: the list fits the pane, ids whole, error cut, statuses coloured`, async (ctx) => {
    const name = ctx.tmux.pane(`list${width}`, width, ['failed', '--since', '-1h']);
    const plain = await ctx.tmux.capture(name, /exit=\d+/);
    assert.match(plain, /exit=0/, plain);
    const lines = plain.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('exit='));
    for (const l of lines) assert.ok([...l].length <= width, `wider than ${width}: "${l}"\n${plain}`);
    // one line per row: nothing wrapped (-J joins wrapped lines, so a wrapped row would be longer)
    for (const id of IDS) assert.is(lines.filter((l) => l.startsWith(`${id} `)).length, 1, plain);
    assert.match(lines[0] ?? '', /^MESSAGE\s+STATUS\b/);
    assert.match(plain, /ERROR/);
    if (width === 80) assert.match(plain, /…/, 'long text is cut with an ellipsis');
    assert.match(plain, /fitted to the terminal; --wide/);
    const colored = await ctx.tmux.capture(name, /exit=\d+/, { escapes: true });
    assert.ok(colored.includes(`${RED}FAILED (final)`), `FAILED in red:\n${JSON.stringify(colored)}`);
    ctx.tmux.run('kill-session', '-t', name);
  });
}

T('--wide: full width on the terminal, nothing cut', async (ctx) => {
  const name = ctx.tmux.pane('wide', 80, ['failed', '--since', '-1h', '--wide']);
  const plain = await ctx.tmux.capture(name, /exit=\d+/);
  assert.match(plain, /exit=0/, plain);
  assert.not.match(plain, /…/);
  assert.ok(plain.includes(`${ERROR} (retries exhausted`), plain);
  ctx.tmux.run('kill-session', '-t', name);
});

T('Ctrl-C on dh tail: a one-line summary, exit 130', async (ctx) => {
  const name = ctx.tmux.pane('tail', 100, ['tail']);
  await ctx.tmux.capture(name, /COMPLETED\s+MESSAGE/);
  ctx.tmux.run('send-keys', '-t', name, 'C-c');
  const plain = await ctx.tmux.capture(name, /exit=\d+/);
  assert.match(plain, /dh tail: interrupted; 0 attempts shown in \d+s/, plain);
  assert.match(plain, /exit=130/, plain);
  ctx.tmux.run('kill-session', '-t', name);
});

T.run();
