import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createStore } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import { BIN, ensureBuilt } from '../../packages/cli/test/support/runDh.js';
import type { BenchContext } from './support/benchContext.js';
import { shapeMessage } from './support/benchFixtures.js';
import { bulkLoad } from './support/loader.js';
import type { Row } from './support/report.js';
import { round, summarize } from './support/stats.js';

// `dh history <id>` as support runs it: the installed binary (dist/dh.js, which runs the CLI
// bundle through its code cache; a fresh node process each time) against this section's
// DynamoDB Local, paired with node's bare start (`node -e 0`, run in turn: dh, node, dh, ...,
// so a change in the machine's load moves both), wall time from spawn to exit and each
// process's CPU (user + system of the whole process, exit included, as the kernel accounts a
// reaped child: bash's `times` after it), next to the store's own getHistory latency in a
// warm process. On a busy machine wall is mostly waiting for a core; CPU is the figure.
// Target: within ~100 ms CPU of `node -e 0`.

export type CliHistoryOptions = { readonly runs: number };

const TARGET_OVER_NODE_MS = 100;
const MESSAGE = 'cli-history-1';
/** Runs node with the arguments, then prints the children's CPU (`times`' second line) on fd 3. */
const WITH_TIMES = '"$0" "$@"; s=$?; times >&3; exit $s';

/** Seconds of `times`' children line (`0m0.146s 0m0.020s`: user, system) as ms, summed. */
const childrenCpuMs = (times: string): number => {
  const line = times.trim().split('\n')[1] ?? '';
  const parts = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60_000 + Number(m[2]) * 1000);
  return parts.length === 2 ? (parts[0] ?? 0) + (parts[1] ?? 0) : Number.NaN;
};

type Wall = { readonly ms: number; readonly cpuMs: number; readonly code: number | null; readonly stdout: string };

/** One node process: wall from spawn to exit, and its own CPU (NaN when it did not say). */
export const wall = (args: ReadonlyArray<string>, env: NodeJS.ProcessEnv): Promise<Wall> =>
  new Promise((ok, fail) => {
    const t0 = performance.now();
    const child = spawn('bash', ['-c', WITH_TIMES, process.execPath, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'ignore', 'pipe'],
    });
    let stdout = '';
    let cpu = '';
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
    });
    child.stdio[3]?.on('data', (d: Buffer) => {
      cpu += d.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      ok({ ms: performance.now() - t0, cpuMs: childrenCpuMs(cpu), code, stdout });
    });
  });

const spread = (s: { min: number; max: number }): string => `${round(s.min, 0)}-${round(s.max, 0)} ms`;

const timed = async (runs: number, once: () => Promise<number>): Promise<number[]> => {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) out.push(await once());
  return out;
};

export const benchCliHistory = async (
  ctx: BenchContext,
  o: CliHistoryOptions,
): Promise<{ rows: Row[]; detail: unknown }> => {
  ensureBuilt();
  const t = await ctx.table('cli-history');
  try {
    const shaped = shapeMessage(MESSAGE, new Date(Date.now() - 3_600_000), [500, 500, 500, 500, 200]);
    await bulkLoad(t.doc, t.tableName, { from: 0, to: 1 }, () => shaped.items);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_ENDPOINT_URL_DYNAMODB: t.endpoint,
      DELIVERY_TABLE_NAME: t.tableName,
      AWS_REGION: 'local',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    };
    const dh = async (): Promise<Wall> => {
      const r = await wall([BIN, 'history', MESSAGE], env);
      if (r.code !== 0 || !r.stdout.includes('Attempts (5)')) throw new Error(`dh history exited ${r.code}`);
      return r;
    };
    // warm the page cache and make the code cache: the measurement is of a command run again, as support does
    await dh();
    ctx.progress(`cliHistory: ${o.runs} pairs of dh history and node -e 0`);
    const pairs: Array<{ dh: Wall; node: Wall }> = [];
    for (let i = 0; i < o.runs; i++) pairs.push({ dh: await dh(), node: await wall(['-e', '0'], env) });
    const cli = summarize(pairs.map((p) => p.dh.ms));
    const node = summarize(pairs.map((p) => p.node.ms));
    const cliCpu = summarize(pairs.map((p) => p.dh.cpuMs));
    const nodeCpu = summarize(pairs.map((p) => p.node.cpuMs));
    const overCpu = summarize(pairs.map((p) => p.dh.cpuMs - p.node.cpuMs));
    const overWall = summarize(pairs.map((p) => p.dh.ms - p.node.ms));
    const store = createStore({ doc: t.doc, tableName: t.tableName });
    const history = async (): Promise<number> => {
      const t0 = performance.now();
      const h = await store.getHistory(MESSAGE)();
      if (E.isLeft(h) || h.right.attempts.length !== 5) throw new Error('getHistory did not read the probe');
      return performance.now() - t0;
    };
    await history();
    const own = summarize(await timed(o.runs * 3, history));
    const rows: Row[] = [
      {
        section: 'cliHistory',
        metric: `dh history <id> CPU over node -e 0, median of ${overCpu.n} pairs`,
        value: round(overCpu.p50, 0),
        unit: 'ms',
        note: `target < ${TARGET_OVER_NODE_MS} ms; spread ${spread(overCpu)}; CPU ${round(cliCpu.p50, 0)} (${spread(cliCpu)}) against ${round(nodeCpu.p50, 0)} (${spread(nodeCpu)})`,
      },
      {
        section: 'cliHistory',
        metric: `dh history <id> wall over node -e 0, median of ${overWall.n} pairs`,
        value: round(overWall.p50, 0),
        unit: 'ms',
        note: `spread ${spread(overWall)}; wall ${round(cli.p50, 0)} (${spread(cli)}) against ${round(node.p50, 0)} (${spread(node)}); built dist/dh.js, fresh node each run`,
      },
      {
        section: 'cliHistory',
        metric: 'store getHistory (warm process), median',
        value: round(own.p50, 1),
        unit: 'ms',
        note: `p99 ${round(own.p99, 1)} ms, n ${own.n}: the query itself`,
      },
    ];
    return {
      rows,
      detail: { cli, node, cliCpu, nodeCpu, overCpu, overWall, store: own, targetOverNodeMs: TARGET_OVER_NODE_MS },
    };
  } finally {
    await t.drop();
  }
};
