import { performance } from 'node:perf_hooks';
import { createStore } from '@delivery-history/store';
import { BIN, ensureBuilt } from '../../packages/cli/test/support/runDh.js';
import { get, signIn, startConsole } from '../../packages/cli/test/console/consoleRig.js';
import { wall } from './cliHistory.js';
import { seedHealth } from './scaleBench.js';
import type { BenchContext } from './support/benchContext.js';
import { makeFastShaper, type Reply } from './support/benchFixtures.js';
import { bulkLoadRaw } from './support/loader.js';
import type { Row } from './support/report.js';
import { round, summarize } from './support/stats.js';

// `dh console`: each page's server time (its Server-Timing header: from the request's arrival
// to its answer, inside the console) at a table of 10,000 messages (100,000 with
// `--console-large`), next to the wall time of the `dh` command that shows the same (a fresh
// node each run, as support runs it). Messages are bulk-loaded as the store writes them, spread
// over the last 7 days up to now (the console's windows are relative to now); health
// aggregates for the last 24 h as `scale` seeds them. Target: under 300 ms server time a page.

export type ConsoleBenchOptions = { readonly sizes: ReadonlyArray<number>; readonly runs: number };

const TARGET_MS = 300;
const HOUR = 3_600_000;
const SPREAD = 7 * 24 * HOUR;
const replies: ReadonlyArray<ReadonlyArray<Reply>> = [[200], [200], [200], [500], [404], [500, 200]];
const idOf = (i: number) => `cbench-${String(i).padStart(7, '0')}`;

type Page = { readonly path: string; readonly dh: ReadonlyArray<string> };

const pages = (id: string): ReadonlyArray<Page> => [
  { path: '/', dh: ['endpoints', '--since', '-1h'] },
  { path: '/messages', dh: ['failed', '--since', '-1h', '--order', 'newest'] },
  { path: '/messages?category=server_error&code=500', dh: ['failed', '--since', '-1h', '--order', 'newest'] },
  { path: `/messages/${id}`, dh: ['history', id] },
  { path: '/endpoints', dh: ['endpoints'] },
  { path: '/endpoints/hooks-0.example.com', dh: ['endpoints', 'hooks-0.example.com'] },
];

/** The answer's Server-Timing entries (`app` the whole answer, the others one read each), in ms. */
const timingsOf = (h: Headers): Map<string, number> => {
  const out = new Map<string, number>();
  for (const m of (h.get('server-timing') ?? '').matchAll(/([\w-]+);dur=([\d.]+)/g))
    if (m[1] !== undefined) out.set(m[1], Number(m[2]));
  if (!out.has('app')) throw new Error('no Server-Timing header');
  return out;
};

/** Each read's p50 (`health 12, failed 40`): where a page's server time goes. */
const readsOf = (runs: ReadonlyArray<Map<string, number>>): string =>
  [...new Set(runs.flatMap((r) => [...r.keys()]))]
    .filter((k) => k !== 'app')
    .map((k) => `${k} ${round(summarize(runs.map((r) => r.get(k) ?? 0)).p50, 0)}`)
    .join(', ');

export const benchConsole = async (
  ctx: BenchContext,
  o: ConsoleBenchOptions,
): Promise<{ rows: Row[]; detail: unknown }> => {
  ensureBuilt();
  const t = await ctx.table('console', { stream: false });
  const rows: Row[] = [];
  const detail: Record<string, unknown> = {};
  try {
    const shape = makeFastShaper(replies, idOf(0).length);
    const end = Date.now() - 10 * 60_000;
    const itemsOf = (n: number) => (i: number) =>
      shape(idOf(i), new Date(end - SPREAD + Math.floor((i / n) * SPREAD)), i % replies.length);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NO_COLOR: '1',
      AWS_ENDPOINT_URL_DYNAMODB: t.endpoint,
      DELIVERY_TABLE_NAME: t.tableName,
      AWS_REGION: 'local',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    };
    const store = createStore({ doc: t.doc, tableName: t.tableName });
    let loaded = 0;
    for (const size of o.sizes) {
      const t0 = performance.now();
      // each size's messages spread over the same 7 days: the bigger table is denser
      await bulkLoadRaw(t.client, t.tableName, { from: loaded, to: size }, itemsOf(size), 12);
      loaded = size;
      await seedHealth(store, size, Math.floor((Date.now() - 23 * HOUR) / HOUR) * HOUR);
      ctx.progress(`console: ${size} messages loaded in ${round((performance.now() - t0) / 1000, 1)} s`);
      const running = await startConsole([], env);
      try {
        const { cookie } = await signIn(running);
        const k = size >= 1000 ? `${size / 1000}k` : String(size);
        for (const p of pages(idOf(size - 1))) {
          const once = async () => {
            const r = await get(running, p.path, cookie);
            if (r.status !== 200) throw new Error(`${p.path}: HTTP ${r.status}`);
            return timingsOf(r.headers);
          };
          await once(); // warm (JIT, connections)
          const timings: Array<Map<string, number>> = [];
          for (let i = 0; i < o.runs; i++) timings.push(await once());
          const server = summarize(timings.map((t) => t.get('app') ?? 0));
          const reads = readsOf(timings);
          const cli: number[] = [];
          for (let i = 0; i < Math.max(3, Math.ceil(o.runs / 2)); i++) {
            const w = await wall([BIN, ...p.dh], env);
            if (w.code !== 0 && w.code !== 1) throw new Error(`dh ${p.dh.join(' ')} exited ${w.code}`);
            cli.push(w.ms);
          }
          const dh = summarize(cli);
          detail[`${k} ${p.path}`] = { server, reads, dh };
          rows.push({
            section: 'console',
            metric: `${p.path} at ${k}: server p50 / max`,
            value: `${round(server.p50, 1)} / ${round(server.max, 1)}`,
            unit: 'ms',
            note: `dh ${p.dh.join(' ')}: wall p50 ${round(dh.p50, 0)} ms; target < ${TARGET_MS} ms server${reads === '' ? '' : `; reads p50: ${reads}`}`,
          });
        }
      } finally {
        await running.stop();
      }
    }
    return { rows, detail };
  } finally {
    await t.drop();
  }
};
