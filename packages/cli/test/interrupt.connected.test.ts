// Ctrl-C (SIGINT) on the long commands that had no summary: `replay redrive` while it goes
// through its selection, and `expunge` part way through an endpoint's messages. Each prints
// one line saying what was done and how to finish, and exits 130. Built `dh` binary.
import { seedSynthetic } from '@delivery-history/cli/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { dhEnv, spawnDh } from './support/runDh.js';

type Ctx = { t: TestTable; env: NodeJS.ProcessEnv };
const I = suite<Ctx>('dh Ctrl-C summaries');

const COUNT = 1400;
const id = (i: number) => `int-${String(i).padStart(7, '0')}`;

I.before(async (ctx) => {
  ctx.t = await useTestTable('cli-interrupt');
  ctx.env = dhEnv({ endpoint: ctx.t.endpoint, tableName: ctx.t.tableName, extra: { DH_OPERATOR: 'test' } });
  const written = await seedSynthetic({
    doc: ctx.t.doc,
    tableName: ctx.t.tableName,
    count: COUNT,
    idPrefix: 'int',
    attemptsOf: () => 1,
    concurrency: 4,
    now: new Date(Date.now() - 3_600_000),
  });
  assert.is(written, COUNT);
});
I.after(async (ctx) => {
  await ctx.t.drop();
});

type Ended = { code: number | null; stdout: string; stderr: string };

/** Runs dh, sends SIGINT once `started` shows on its output (or after that many ms), and collects what it said. */
const interrupted = (args: ReadonlyArray<string>, env: NodeJS.ProcessEnv, started: RegExp | number): Promise<Ended> =>
  new Promise((ok) => {
    const child = spawnDh(args, env);
    if (typeof started === 'number') setTimeout(() => child.kill('SIGINT'), started);
    let stdout = '';
    let stderr = '';
    let sent = false;
    const check = () => {
      if (!sent && typeof started !== 'number' && started.test(stdout + stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    };
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
      check();
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
      check();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      ok({ code, stdout, stderr });
    });
  });

I('replay redrive: Ctrl-C while going through the selection says how far it got, exit 130', async ({ env }) => {
  const ids = Array.from({ length: COUNT }, (_, i) => ['--message', id(i)]).flat();
  // it prints nothing before its report: Ctrl-C after a delay, longer when the signal came
  // before the command had started (a loaded machine starts node slowly)
  // (or when it had not reached the first message yet: "0 messages considered")
  const summary = /dh replay redrive: interrupted; (\d+) messages considered, 0 reopened .*run the same command again/;
  let r: Ended = { code: null, stdout: '', stderr: '' };
  for (const delay of [1500, 3000, 5000]) {
    r = await interrupted(
      ['replay', 'redrive', ...ids, '--reason', 'interrupt test', '--progress', 'none'],
      env,
      delay,
    );
    if (Number(summary.exec(r.stderr)?.[1] ?? 0) > 0) break;
  }
  assert.is(r.code, 130, `${r.stdout}\n${r.stderr}`);
  const line = summary.exec(r.stderr);
  assert.ok(line !== null, r.stderr);
  const considered = Number(line?.[1]);
  assert.ok(considered > 0 && considered < COUNT, `${considered} considered`);
});

I('expunge: Ctrl-C part way says how many of the selection are done, exit 130', async ({ env }) => {
  const r = await interrupted(
    ['expunge', '--endpoint', 'hooks0.example.com', '--since', '-1d', '--reason', 'interrupt test', '--dry-run'],
    env,
    /would-expunge/,
  );
  assert.is(r.code, 130, `${r.stdout}\n${r.stderr}`);
  const line = /dh expunge: interrupted; (\d+) of (\d+) messages done/.exec(r.stderr);
  assert.ok(line !== null, r.stderr);
  assert.ok(Number(line?.[1]) < Number(line?.[2]), r.stderr);
  assert.is(Number(line?.[2]), COUNT / 7);
});

I.run();
