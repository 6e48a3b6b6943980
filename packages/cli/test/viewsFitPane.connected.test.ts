// Every view fits the terminal (issue 26): the built `dh` in tmux panes of 80x24 and 160x50 on
// data with long hosts, long errors, several ports of one host and many rows. Each view is run
// in the pane (one script per size, the views one after another); the whole scrollback is
// captured with wrapped lines joined (-J), so a line that wrapped reads as one wider than the
// pane: no line may be wider, every header is one line, and under a bare-host filter the
// ENDPOINT column is kept. The same rules offline: packages/cli/test/viewsFit.offline.test.ts.
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { setStateField } from './support/corrupt.js';
import { projectAll } from './support/projectAll.js';
import { BIN, dhEnv, ensureBuilt } from './support/runDh.js';
import { seeder } from './support/seed.js';
import { exportLines, shellQuote, tmuxServer } from './support/tmux.js';

type Ctx = { t: TestTable; env: NodeJS.ProcessEnv; dir: string };
const P = suite<Ctx>('every view fits a tmux pane (80x24, 160x50)');

const tmux = tmuxServer(`dh-fit-test-${process.pid}`);
const HOST = `${'a-receiver-with-a-long-host-name-'.repeat(2)}example.com`;
const BARE = 'hooks.fit.example';

/** The views, each with the marker line printed before it. */
const VIEWS: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
  ['failed', ['failed', '--since', '-1h']],
  ['failed-bare-host', ['failed', '--since', '-1h', '--endpoint', BARE]],
  ['history', ['history', 'fit-redriven']],
  ['attempt', ['history', 'fit-redriven', '--attempt', '1']],
  ['endpoint', ['endpoint', HOST, '--since', '-1h']],
  ['correlation', ['correlation', 'fit-batch']],
  ['endpoints', ['endpoints']],
  ['endpoints-one', ['endpoints', HOST]],
  ['verify', ['verify']],
  ['redrive', ['replay', 'redrive', '--since', '-1h', '--reason', 'fit test', '--dry-run']],
  ['projections', ['replay', 'projections', '--all', '--dry-run']],
];

P.before(async (ctx) => {
  ensureBuilt();
  tmux('new-session', '-d', '-s', 'keep', 'sleep 600');
  ctx.t = await useTestTable('cli-fit');
  ctx.env = dhEnv({ endpoint: ctx.t.endpoint, tableName: ctx.t.tableName });
  ctx.dir = mkdtempSync(join(tmpdir(), 'dh-fit-'));
  const s = seeder(ctx.t.doc, ctx.t.tableName, new Date(Date.now() - 30 * 60_000));
  for (let i = 0; i < 30; i++)
    await s.deliver(
      {
        messageId: `fit-${i}`,
        url: `https://${HOST}/in/${'path/'.repeat(8)}`,
        correlationId: 'fit-batch',
        maxAttempts: 1,
      },
      [i % 2 === 0 ? 'refused' : 'timeout'],
    );
  for (const port of [8443, 9443])
    await s.deliver({ messageId: `fit-port-${port}`, url: `https://${BARE}:${port}/in`, maxAttempts: 1 }, ['404']);
  await s.deliver({ messageId: 'fit-redriven', url: `https://${HOST}/in`, maxAttempts: 2 }, ['503', '503']);
  await projectAll(ctx.t);
  // one drifting projection, so the replay report has its table
  await setStateField(ctx.t.doc, ctx.t.tableName, 'fit-3', 'attempts', 7);
});

P.after(async (ctx) => {
  tmux.kill();
  rmSync(ctx.dir, { recursive: true, force: true });
  await ctx.t.drop();
});

for (const [width, height] of [
  [80, 24],
  [160, 50],
] as const) {
  P(
    `${width}x${height}: no line wider than the pane, headers on one line, ENDPOINT kept under a bare host`,
    async (ctx) => {
      // DH_PAGER=cat: every view prints straight into the pane (a pager would wait for a key)
      const env = exportLines(ctx.env, { DH_PAGER: 'cat' });
      const lines = VIEWS.flatMap(([name, args]) => [
        `echo ${shellQuote(`=== ${name}`)}`,
        [process.execPath, BIN, ...args].map(shellQuote).join(' '),
      ]);
      const path = join(ctx.dir, `fit-${width}.sh`);
      writeFileSync(path, [...env, ...lines, 'echo "=== done"', 'sleep 300'].join('\n'));
      const name = `fit${width}`;
      tmux('new-session', '-d', '-s', name, '-x', String(width), '-y', String(height), `sh ${shellQuote(path)}`);
      tmux('set-option', '-t', name, 'history-limit', '20000');
      let screen = '';
      // bounded by progress: each view prints its marker; stop waiting when none came for a minute
      let seen = 0;
      let lastProgress = Date.now();
      while (!screen.includes('=== done')) {
        await sleep(300);
        screen = tmux('capture-pane', '-p', '-J', '-S', '-', '-t', name);
        const markers = screen.split('\n').filter((l) => l.startsWith('=== ')).length;
        if (markers > seen) {
          seen = markers;
          lastProgress = Date.now();
        } else if (Date.now() - lastProgress > 90_000) throw new Error(`no progress after ${seen} views:\n${screen}`);
      }
      tmux('kill-session', '-t', name);
      const sections = new Map<string, string[]>();
      let current = '';
      for (const l of screen.split('\n')) {
        if (l.startsWith('=== ')) current = l.slice(4);
        else sections.set(current, [...(sections.get(current) ?? []), l]);
      }
      for (const [view] of VIEWS) {
        const out = sections.get(view) ?? [];
        assert.ok(
          out.some((l) => l.trim() !== ''),
          `${view} printed something:\n${screen}`,
        );
        for (const l of out)
          assert.ok([...l].length <= width, `${view} at ${width}: a line of ${[...l].length}:\n${l}`);
      }
      const bare = sections.get('failed-bare-host') ?? [];
      assert.match(bare[0] ?? '', /\bENDPOINT\b/, bare.join('\n'));
      // the port tells the rows apart (at 80 columns only the port is shown: the host is the filter)
      for (const port of [8443, 9443])
        assert.ok(
          bare.some((l) => l.startsWith(`fit-port-${port} `) && l.includes(`:${port}`)),
          bare.join('\n'),
        );
      const failed = sections.get('failed') ?? [];
      assert.match(failed[0] ?? '', /^MESSAGE\s+STATUS\b/, 'the header is one line');
      for (const id of ['fit-0', 'fit-29'])
        assert.is(failed.filter((l) => l.startsWith(`${id} `)).length, 1, failed.join('\n'));
    },
  );
}

P('dh tail at 80x24 and 160x50: the header and a live row fit, on one line each', async (ctx) => {
  const panes = [80, 160].map((width) => {
    const path = join(ctx.dir, `tail-${width}.sh`);
    const command = [process.execPath, BIN, 'tail'].map(shellQuote).join(' ');
    writeFileSync(
      path,
      [...exportLines(ctx.env), `trap 'true' INT`, command, 'echo "exit=$?"', 'sleep 300'].join('\n'),
    );
    const name = `tail${width}`;
    tmux(
      'new-session',
      '-d',
      '-s',
      name,
      '-x',
      String(width),
      '-y',
      width === 80 ? '24' : '50',
      `sh ${shellQuote(path)}`,
    );
    return { width, name };
  });
  const screenOf = (name: string) => tmux('capture-pane', '-p', '-J', '-S', '-', '-t', name);
  /** Waits until every pane shows `what`; bounded by the panes' own progress (a dead tail fails at once). */
  const waitAll = async (what: RegExp) => {
    for (;;) {
      const screens = panes.map((p) => screenOf(p.name));
      if (screens.every((s) => what.test(s))) return screens;
      const dead = screens.find((s) => /exit=\d+/.test(s));
      if (dead !== undefined) throw new Error(`tail ended before showing ${what}:\n${dead}`);
      await sleep(300);
    }
  };
  await waitAll(/COMPLETED\s+MESSAGE/);
  const s = seeder(ctx.t.doc, ctx.t.tableName, new Date());
  await s.deliver({ messageId: 'fit-tail-live', url: `https://${HOST}/in/${'path/'.repeat(8)}`, maxAttempts: 1 }, [
    'timeout',
  ]);
  const screens = await waitAll(/fit-tail-live/);
  for (const [i, p] of panes.entries()) {
    const lines = (screens[i] ?? '').split('\n');
    for (const l of lines) assert.ok([...l].length <= p.width, `tail at ${p.width}: a line of ${[...l].length}:\n${l}`);
    assert.is(lines.filter((l) => l.includes('fit-tail-live')).length, 1, `one line per row at ${p.width}`);
    tmux('send-keys', '-t', p.name, 'C-c');
  }
  for (const p of panes) tmux('kill-session', '-t', p.name);
});

P.run();
