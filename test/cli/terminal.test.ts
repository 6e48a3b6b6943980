// dh on a real terminal: the built binary in a tmux pane (a private tmux server, killed at the
// end) of 80 and 160 columns. `capture-pane` shows the list fitted to the pane (no line wider,
// ids whole, the error text cut with "…", a pointer to --wide), colours present (-e keeps the
// escape codes), `--wide` at full width; and Ctrl-C on `dh tail` printing its one-line
// summary and exiting 130. tmux is installed by .ci/run where missing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type TestTable, useTestTable } from '../support/testTable.js';
import { BIN, dhEnv, ensureBuilt } from './support/runDh.js';
import { seeder } from './support/seed.js';

type Ctx = { t: TestTable; env: NodeJS.ProcessEnv; dir: string };
const T = suite<Ctx>('dh on a terminal (tmux)');

const SOCKET = `dh-terminal-test-${process.pid}`;
const IDS = ['term-1', 'term-2', 'term-3'];
const ERROR = 'connect ECONNREFUSED';
const RED = '\u001b[31m';

const tmux = (...args: string[]): string => {
  const r = spawnSync('tmux', ['-L', SOCKET, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  if (r.error !== undefined) throw new Error(`tmux is needed for this test (.ci/run installs it): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** A script that runs dh with the test's environment (not the tmux server's), then says how it exited and waits. */
const script = (ctx: Ctx, name: string, args: ReadonlyArray<string>): string => {
  const env = Object.entries({ ...ctx.env, NO_COLOR: undefined, TERM: 'xterm-256color' })
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `export ${k}=${shellQuote(v)}`);
  const path = join(ctx.dir, `${name}.sh`);
  const command = [process.execPath, BIN, ...args].map(shellQuote).join(' ');
  // a trap (not an ignore, which dh would inherit) keeps the shell alive through Ctrl-C to say how dh exited
  writeFileSync(
    path,
    `${env.join('\n')}\nunset NO_COLOR FORCE_COLOR\ntrap 'true' INT\n${command}\necho "exit=$?"\nsleep 120\n`,
  );
  return path;
};

/** Starts a pane of `width` columns running the script; its name. */
const pane = (ctx: Ctx, name: string, width: number, args: ReadonlyArray<string>): string => {
  tmux('new-session', '-d', '-s', name, '-x', String(width), '-y', '50', `sh ${shellQuote(script(ctx, name, args))}`);
  return name;
};

/** The pane's text (with escape codes when `escapes`), once `until` holds (bounded). */
const capture = async (name: string, until: RegExp, escapes = false, timeoutMs = 30_000): Promise<string> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = tmux('capture-pane', '-p', '-J', ...(escapes ? ['-e'] : []), '-t', name);
    if (until.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`pane ${name} never showed ${until}:\n${text}`);
    await sleep(200);
  }
};

T.before(async (ctx) => {
  ensureBuilt();
  // a session that lives as long as the suite: tmux exits with its last session, and a new
  // session racing that exit fails ("server exited unexpectedly")
  tmux('new-session', '-d', '-s', 'keep', 'sleep 600');
  ctx.t = await useTestTable('cli-terminal');
  ctx.env = dhEnv({ endpoint: ctx.t.endpoint, tableName: ctx.t.tableName });
  ctx.dir = mkdtempSync(join(tmpdir(), 'dh-terminal-'));
  const s = seeder(ctx.t.doc, ctx.t.tableName, new Date(Date.now() - 20 * 60_000));
  const host = `${'a-receiver-with-a-long-name-'.repeat(3)}example.com`;
  for (const id of IDS) await s.deliver({ messageId: id, url: `https://${host}/in`, maxAttempts: 1 }, ['refused']);
});

T.after(async (ctx) => {
  try {
    tmux('kill-server');
  } catch {
    // no server left
  }
  // tmux leaves its socket file behind
  const uid = process.getuid?.() ?? 0;
  rmSync(join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${uid}`, SOCKET), { force: true });
  rmSync(ctx.dir, { recursive: true, force: true });
  await ctx.t.drop();
});

for (const width of [80, 160]) {
  T(`${width} columns: the list fits the pane, ids whole, error cut, statuses coloured`, async (ctx) => {
    const name = pane(ctx, `list${width}`, width, ['failed', '--since', '-1h']);
    const plain = await capture(name, /exit=\d+/);
    assert.match(plain, /exit=0/, plain);
    const lines = plain.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('exit='));
    for (const l of lines) assert.ok([...l].length <= width, `wider than ${width}: "${l}"\n${plain}`);
    // one line per row: nothing wrapped (-J joins wrapped lines, so a wrapped row would be longer)
    for (const id of IDS) assert.is(lines.filter((l) => l.startsWith(`${id} `)).length, 1, plain);
    assert.match(lines[0] ?? '', /^MESSAGE\s+STATUS\b/);
    assert.match(plain, /ERROR/);
    if (width === 80) assert.match(plain, /…/, 'long text is cut with an ellipsis');
    assert.match(plain, /fitted to the terminal; --wide/);
    const colored = await capture(name, /exit=\d+/, true);
    assert.ok(colored.includes(`${RED}FAILED (final)`), `FAILED in red:\n${JSON.stringify(colored)}`);
    tmux('kill-session', '-t', name);
  });
}

T('--wide: full width on the terminal, nothing cut', async (ctx) => {
  const name = pane(ctx, 'wide', 80, ['failed', '--since', '-1h', '--wide']);
  const plain = await capture(name, /exit=\d+/);
  assert.match(plain, /exit=0/, plain);
  assert.not.match(plain, /…/);
  assert.ok(plain.includes(`${ERROR} (retries exhausted`), plain);
  tmux('kill-session', '-t', name);
});

T('Ctrl-C on dh tail: a one-line summary, exit 130', async (ctx) => {
  const name = pane(ctx, 'tail', 100, ['tail']);
  await capture(name, /COMPLETED\s+MESSAGE/);
  tmux('send-keys', '-t', name, 'C-c');
  const plain = await capture(name, /exit=\d+/);
  assert.match(plain, /dh tail: interrupted; 0 attempts shown in \d+s/, plain);
  assert.match(plain, /exit=130/, plain);
  tmux('kill-session', '-t', name);
});

T.run();
