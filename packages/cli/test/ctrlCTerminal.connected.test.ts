// Ctrl-C as a terminal sends it: tmux `send-keys C-c` signals the pane's whole foreground
// process group, during a local re-drive whose receiver hangs. Five runs, five reports: the
// "Interrupted" report, exit 130, and every request the receiver got recorded as an attempt
// (no message left PROCESSING). Signalling one pid (what the other tests do) missed a launcher
// that passed the terminal's SIGINT on a second time. Built `dh` binary.
import { createStore, type Store } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type GateReceiver, startGateReceiver } from '@delivery-history/testkit/gateReceiver';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { dhEnv } from './support/runDh.js';
import { seeder } from './support/seed.js';
import { startTmux, type Tmux } from './support/tmuxPane.js';

type Ctx = { t: TestTable; tmux: Tmux; rx: GateReceiver; store: Store };
const C = suite<Ctx>('Ctrl-C in a terminal during a local re-drive');

const RUNS = 5;
const PER_RUN = 3;

C.before(async (ctx) => {
  ctx.t = await useTestTable('cli-ctrl-c');
  ctx.rx = await startGateReceiver();
  ctx.store = createStore({ doc: ctx.t.doc, tableName: ctx.t.tableName });
  ctx.tmux = startTmux(
    dhEnv({
      endpoint: ctx.t.endpoint,
      tableName: ctx.t.tableName,
      // the requests hang until the interrupt's grace period ends them
      extra: { DELIVERY_ALLOW_TARGETS: '127.0.0.1', DELIVERY_TIMEOUT_MS: '120000', DH_OPERATOR: 'test' },
    }),
  );
  const s = seeder(ctx.t.doc, ctx.t.tableName, new Date(Date.now() - 10 * 60_000));
  for (let run = 0; run < RUNS; run++)
    for (let i = 0; i < PER_RUN; i++)
      await s.deliver({ messageId: `cc-${run}-${i}`, url: ctx.rx.url, maxAttempts: 1 }, ['503']);
});

C.after(async (ctx) => {
  ctx.tmux.close();
  await ctx.rx.close();
  await ctx.t.drop();
});

for (let run = 0; run < RUNS; run++) {
  C(`run ${run + 1} of ${RUNS}: one report, exit 130, every request recorded`, async (ctx) => {
    const ids = Array.from({ length: PER_RUN }, (_, i) => `cc-${run}-${i}`);
    const before = ctx.rx.arrived;
    const name = ctx.tmux.pane(`redrive${run}`, 160, [
      'replay',
      'redrive',
      ...ids.flatMap((id) => ['--message', id]),
      '--reason',
      'ctrl-c test',
      '--grace-seconds',
      '1',
      '--progress',
      'none',
    ]);
    // every re-driven request is at the receiver, held: the re-drive is mid-delivery
    await ctx.rx.waitFor(before + PER_RUN);
    ctx.tmux.run('send-keys', '-t', name, 'C-c');
    const plain = await ctx.tmux.capture(name, /exit=\d+/);
    ctx.tmux.run('kill-session', '-t', name);
    assert.match(plain, /exit=130/, plain);
    assert.match(plain, /Interrupted: stopped claiming/, plain);
    assert.match(plain, /Finish with: dh replay redrive/, plain);
    // a summary states the true exit code
    assert.not.match(plain, /\(exit (?!130)\d+/, plain);
    const received = ctx.rx.arrived - before;
    const histories = await Promise.all(
      ids.map(async (id) => {
        const h = await ctx.store.getHistory(id)();
        if (E.isLeft(h)) throw new Error(h.left.message);
        return h.right;
      }),
    );
    assert.equal(
      histories.map((h) => h.state.status),
      ids.map(() => 'FAILED'),
      'no message left PROCESSING',
    );
    // the seeded attempt is #1; the re-drive's are the rest
    const recorded = histories.reduce((n, h) => n + h.attempts.length - 1, 0);
    assert.is(recorded, received, `requests received (${received}) == attempts recorded (${recorded})\n${plain}`);
  });
}

C.run();
