// Replay at scale: progress on stderr and flat memory. 1,000 then 5,000 messages (written
// straight with BatchWrite), the real `dh replay projections --all --dry-run` as a child
// process each time, its peak RSS read from /proc. The 100,000-message run is the bench's
// (measureReplay); here the point is the ratio: 5x the messages, not 5x the memory.
import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { seedSynthetic } from '@delivery-history/cli';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type TestTable, useTestTable } from '../support/testTable.js';
import { dhEnv } from './support/runDh.js';

type Ctx = { t: TestTable; env: NodeJS.ProcessEnv };
const S = suite<Ctx>('replay over thousands of messages');

S.before(async (ctx) => {
  ctx.t = await useTestTable('cli-scale');
  ctx.env = dhEnv({ endpoint: ctx.t.endpoint, tableName: ctx.t.tableName });
});
S.after(async (ctx) => {
  await ctx.t.drop();
});

const root = new URL('../../', import.meta.url).pathname;

/** Runs dh and samples its VmHWM (peak resident set) until it exits. */
const replayPeak = (env: NodeJS.ProcessEnv): Promise<{ code: number | null; peakKb: number; stdout: string; stderr: string }> =>
  new Promise((ok) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=source', `${root}packages/cli/src/bin.ts`, 'replay', 'projections', '--all', '--dry-run', '--json', '--segments', '4', '--progress', 'lines'],
      { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let peakKb = 0;
    let stdout = '';
    let stderr = '';
    const sample = () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m !== null) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        // exited between samples
      }
    };
    const timer = setInterval(sample, 25);
    const limit = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
      sample();
    });
    child.on('close', (code) => {
      clearInterval(timer);
      clearTimeout(limit);
      ok({ code, peakKb, stdout, stderr });
    });
  });

S('5x the messages, flat memory, progress with rate and ETA', async ({ t, env }) => {
  const now = new Date('2025-06-01T00:00:00.000Z');
  const seed = (from: number, count: number) =>
    seedSynthetic({ doc: t.doc, tableName: t.tableName, count, idPrefix: `s${from}`, attemptsOf: () => 1, concurrency: 4, now });
  assert.is(await seed(0, 1000), 1000);
  const small = await replayPeak(env);
  assert.is(small.code, 0, small.stderr);
  assert.is(JSON.parse(small.stdout).scanned, 1000);

  assert.is(await seed(1, 4000), 4000);
  const large = await replayPeak(env);
  assert.is(large.code, 0, large.stderr);
  const report = JSON.parse(large.stdout) as { scanned: number; drifted: number };
  assert.is(report.scanned, 5000);
  assert.is(report.drifted, 0);
  // progress lines: count, percentage, rate and ETA
  assert.match(large.stderr, /replay \(dry run\): \d+\/5000 \(\d+%\) \d+\/s ETA \S+/);
  assert.match(large.stderr, /replay \(dry run\): 5000\/5000 \(100%\)/);
  const ratio = large.peakKb / small.peakKb;
  console.log(`peak RSS: 1,000 messages ${Math.round(small.peakKb / 1024)} MB, 5,000 messages ${Math.round(large.peakKb / 1024)} MB (x${ratio.toFixed(2)})`);
  // a replay that kept what it read would grow with the table; this one must not
  assert.ok(large.peakKb - small.peakKb < 24 * 1024, `peak grew by ${Math.round((large.peakKb - small.peakKb) / 1024)} MB`);
});

S.run();
