// Every view fits the terminal (issue 26): the built `dh` in tmux panes of 80x24 and 160x50 on
// data with long hosts, long errors, several ports of one host and many rows. Each view is run
// in the pane (one script per size, the views one after another); the whole scrollback is
// captured with wrapped lines joined (-J), so a line that wrapped reads as one wider than the
// pane: no line may be wider, every header is one line, and under a bare-host filter the
// ENDPOINT column is kept. The same rules offline: packages/cli/test/viewsFit.offline.test.ts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { setStateField } from './support/corrupt.js';
import { projectAll } from './support/projectAll.js';
import { dhEnv } from './support/runDh.js';
import { seeder } from './support/seed.js';
import { shellQuote } from './support/tmux.js';
import { dhLine, startTmux, type Tmux } from './support/tmuxPane.js';

type Ctx = { t: TestTable; tmux: Tmux };
const P = suite<Ctx>('every view fits a tmux pane (80x24, 160x50)');

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
  ctx.t = await useTestTable('cli-fit');
  ctx.tmux = startTmux(dhEnv({ endpoint: ctx.t.endpoint, tableName: ctx.t.tableName }));
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
  ctx.tmux.close();
  await ctx.t.drop();
});

for (const [width, height] of [
  [80, 24],
  [160, 50],
] as const) {
  P(
    `${width}x${height}: no line wider than the pane, headers on one line, ENDPOINT kept under a bare host`,
    async (ctx) => {
      const lines = VIEWS.flatMap(([name, args]) => [`echo ${shellQuote(`=== ${name}`)}`, dhLine(args)]);
      // DH_PAGER=cat: every view prints straight into the pane (a pager would wait for a key)
      const name = ctx.tmux.script(`fit${width}`, width, height, [...lines, 'echo "=== done"', 'sleep 300'], {
        DH_PAGER: 'cat',
      });
      // bounded by progress: each view prints its marker; stop waiting when none came for 90 s
      const markers = () =>
        ctx.tmux
          .run('capture-pane', '-p', '-J', '-S', '-', '-t', name)
          .split('\n')
          .filter((l) => l.startsWith('=== ')).length;
      const screen = await ctx.tmux.capture(name, /=== done/, {
        scrollback: true,
        progress: markers,
        stallMs: 90_000,
      });
      ctx.tmux.run('kill-session', '-t', name);
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
  const panes = [80, 160].map((width) => ({
    width,
    name: ctx.tmux.pane(`tail${width}`, width, ['tail'], width === 80 ? 24 : 50),
  }));
  /** Every pane's whole text once it shows `what`. */
  const waitAll = (what: RegExp) => Promise.all(panes.map((p) => ctx.tmux.capture(p.name, what, { scrollback: true })));
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
    ctx.tmux.run('send-keys', '-t', p.name, 'C-c');
  }
  for (const p of panes) ctx.tmux.run('kill-session', '-t', p.name);
});

P.run();
