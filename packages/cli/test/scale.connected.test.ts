// Replay at scale: progress on stderr and flat memory. N then 5N messages (written straight
// with BatchWrite; N = 1,000 unless DH_SCALE_MESSAGES says otherwise), the real
// `dh replay projections --all --dry-run` as a child process each time, with its memory
// report (DH_MEMORY_REPORT=1, node --expose-gc). The 100,000-message run is the bench's
// (measureReplay); here the point is that 5x the messages need no more memory:
// - both runs get the same small old-space cap (a replay that kept a few KB per message
//   would run out of it on 5N), and
// - the heap left after a full GC at the end is the same for N and 5N.
// (The sampled heap peak is reported but not asserted: it measures when V8 chooses to
// collect garbage, not what the replay holds.)
import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { seedSynthetic } from '@delivery-history/cli/testing';
import { stallGuard } from '@delivery-history/devkit/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { dhEnv } from './support/runDh.js';

type Ctx = { t: TestTable; env: NodeJS.ProcessEnv };
const S = suite<Ctx>('replay over thousands of messages');

const N = Number(process.env.DH_SCALE_MESSAGES ?? 1000);
/** Old-space cap for both runs (MB): a live heap of ~16 MB plus in-flight pages fits easily. */
const OLD_SPACE_MB = 48;

S.before(async (ctx) => {
  ctx.t = await useTestTable('cli-scale');
  ctx.env = { ...dhEnv({ endpoint: ctx.t.endpoint, tableName: ctx.t.tableName }), DH_MEMORY_REPORT: '1' };
});
S.after(async (ctx) => {
  await ctx.t.drop();
});

const root = new URL('../../../', import.meta.url).pathname;

type Memory = { heapPeakBytes: number; heapAfterGcBytes: number; rssPeakBytes: number };
type Run = { code: number | null; vmHwmKb: number; memory: Memory; stdout: string; stderr: string };

/** Runs the replay; also samples VmHWM (peak resident set, for the record) until it exits. */
const replay = (env: NodeJS.ProcessEnv): Promise<Run> =>
  new Promise((ok, fail) => {
    const child = spawn(
      process.execPath,
      [
        '--expose-gc',
        `--max-old-space-size=${OLD_SPACE_MB}`,
        '--import',
        'tsx',
        '--conditions=source',
        `${root}packages/cli/src/bin.ts`,
        'replay',
        'projections',
        '--all',
        '--dry-run',
        '--json',
        '--segments',
        '4',
        '--progress',
        'lines',
      ],
      { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let vmHwmKb = 0;
    let stdout = '';
    let stderr = '';
    const sample = () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m !== null) vmHwmKb = Math.max(vmHwmKb, Number(m[1]));
      } catch {
        // exited between samples
      }
    };
    const timer = setInterval(sample, 50);
    // killed only once it stops making progress (a busy machine only slows it down)
    const stopGuard =
      child.pid === undefined ? () => {} : stallGuard(child.pid, { afterMs: 300_000 }, () => child.kill('SIGKILL'));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
    });
    child.on('close', (code) => {
      clearInterval(timer);
      stopGuard();
      const line = /dh-memory (\{.*\})/.exec(stderr);
      if (line === null) return fail(new Error(`no memory report (exit ${code}):\n${stderr}`));
      ok({ code, vmHwmKb, memory: JSON.parse(line[1] ?? '{}') as Memory, stdout, stderr });
    });
  });

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;

S(`${5 * N} messages replay in the memory of ${N}, with progress`, async ({ t, env }) => {
  const now = new Date('2025-06-01T00:00:00.000Z');
  const seed = (prefix: string, count: number) =>
    seedSynthetic({
      doc: t.doc,
      tableName: t.tableName,
      count,
      idPrefix: prefix,
      attemptsOf: () => 1,
      concurrency: 4,
      now,
    });
  assert.is(await seed('a', N), N);
  const small = await replay(env);
  assert.is(small.code, 0, small.stderr);
  assert.is(JSON.parse(small.stdout).scanned, N);

  assert.is(await seed('b', 4 * N), 4 * N);
  const large = await replay(env);
  assert.is(large.code, 0, large.stderr);
  const report = JSON.parse(large.stdout) as { scanned: number; drifted: number };
  assert.is(report.scanned, 5 * N);
  assert.is(report.drifted, 0);
  // progress lines on a pipe: count, percentage, rate and ETA, then the final count
  assert.match(large.stderr, new RegExp(`replay \\(dry run\\): \\d+/${5 * N} \\(\\d+%\\) \\d+/s ETA \\S+`));
  assert.match(large.stderr, new RegExp(`replay \\(dry run\\): ${5 * N}/${5 * N} \\(100%\\)`));

  const s = small.memory;
  const l = large.memory;
  console.log(
    `replay ${N} vs ${5 * N} messages: heap after GC ${mb(s.heapAfterGcBytes)} vs ${mb(l.heapAfterGcBytes)}, ` +
      `heap peak ${mb(s.heapPeakBytes)} vs ${mb(l.heapPeakBytes)}, RSS peak ${mb(small.vmHwmKb * 1024)} vs ${mb(large.vmHwmKb * 1024)}`,
  );
  // nothing per message is retained (and both ran under the same old-space cap)
  assert.ok(l.heapAfterGcBytes - s.heapAfterGcBytes < 4 * 1048576, 'retained heap grew with the table');
  assert.ok(l.heapPeakBytes < (OLD_SPACE_MB + 32) * 1048576, 'the cap held');
});

S.run();
