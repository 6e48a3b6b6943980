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

// `dh history <id>` as support runs it: the installed binary (dist/dh.js, the bundle of the compiled CLI; a fresh
// node process each time) against this section's DynamoDB Local, wall time from spawn to
// exit, next to the store's own getHistory latency in a warm process and node's bare start.
// The target is under 300 ms wall.

export type CliHistoryOptions = { readonly runs: number };

const TARGET_MS = 300;
const MESSAGE = 'cli-history-1';

type Wall = { readonly ms: number; readonly code: number | null; readonly stdout: string };

export const wall = (args: ReadonlyArray<string>, env: NodeJS.ProcessEnv): Promise<Wall> =>
  new Promise((ok, fail) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      ok({ ms: performance.now() - t0, code, stdout });
    });
  });

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
    const dh = async (): Promise<number> => {
      const r = await wall([BIN, 'history', MESSAGE], env);
      if (r.code !== 0 || !r.stdout.includes('Attempts (5)')) throw new Error(`dh history exited ${r.code}`);
      return r.ms;
    };
    await dh(); // warm the page cache: the measurement is of a command run again, as support does
    ctx.progress(`cliHistory: ${o.runs} runs of dh history`);
    const cli = summarize(await timed(o.runs, dh));
    const node = summarize(await timed(o.runs, async () => (await wall(['-e', '0'], env)).ms));
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
        metric: `dh history <id> wall, median of ${cli.n}`,
        value: round(cli.p50, 0),
        unit: 'ms',
        note: `target < ${TARGET_MS} ms; max ${round(cli.max, 0)} ms; built dist/dh.js, fresh node each run`,
      },
      {
        section: 'cliHistory',
        metric: 'store getHistory (warm process), median',
        value: round(own.p50, 1),
        unit: 'ms',
        note: `p99 ${round(own.p99, 1)} ms, n ${own.n}: the query itself`,
      },
      {
        section: 'cliHistory',
        metric: 'node -e 0 wall, median',
        value: round(node.p50, 0),
        unit: 'ms',
        note: 'the floor: node start-up alone',
      },
    ];
    return { rows, detail: { cli, store: own, node, targetMs: TARGET_MS } };
  } finally {
    await t.drop();
  }
};
