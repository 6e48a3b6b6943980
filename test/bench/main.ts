// `pnpm bench [--quick] [--only a,b] [--console-large] [--out DIR]`: starts its own DynamoDB Local (in
// memory), runs each section, prints one table and writes the JSON report. Every load is
// bounded in count; everything talks to 127.0.0.1 only.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { type DynamoLocal, startDynamoLocal } from '@delivery-history/devkit';
import { benchAppendPath } from './appendPath.js';
import { benchBreaker } from './breakerBench.js';
import { benchBundles } from './bundles.js';
import { benchCliHistory } from './cliHistory.js';
import { benchConsole } from './console.js';
import { benchProjector } from './projector.js';
import { benchScale } from './scaleBench.js';
import { makeBenchContext } from './support/benchContext.js';
import { describeMachine, machineLine } from './support/machine.js';
import { type BenchReport, formatTable, type Row, type SectionResult, writeReport } from './support/report.js';
import { type BenchSizes, SIZES } from './sizes.js';
import { benchWorkerE2e } from './workerE2e.js';

// The SDK warns at every start that its 2027 releases need Node 22; the pinned ones run here.
const warningListeners = process.listeners('warning');
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (!w.message.includes('NodeVersionSupportWarning')) for (const l of warningListeners) l(w);
});

type Section = {
  readonly name: string;
  readonly run: (
    ctx: ReturnType<typeof makeBenchContext>,
    sizes: BenchSizes,
  ) => Promise<{ rows: Row[]; detail: unknown }>;
};

const SECTIONS: ReadonlyArray<Section> = [
  { name: 'append', run: (ctx, s) => benchAppendPath(ctx, s.append) },
  { name: 'worker', run: (ctx, s) => benchWorkerE2e(ctx, s.worker) },
  { name: 'breaker', run: (ctx, s) => benchBreaker(ctx, s.breaker) },
  { name: 'projector', run: (ctx, s) => benchProjector(ctx, s.projector) },
  { name: 'bundles', run: (ctx, s) => benchBundles(ctx, s.bundles) },
  { name: 'cliHistory', run: (ctx, s) => benchCliHistory(ctx, s.cliHistory) },
  { name: 'console', run: (ctx, s) => benchConsole(ctx, s.console) },
  // the longest (100,000 messages loaded, queried and replayed) goes last
  { name: 'scale', run: (ctx, s) => benchScale(ctx, s.scale) },
];

const root = new URL('../../', import.meta.url).pathname;

const main = async (): Promise<number> => {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      // the console's pages at 100,000 messages too (a longer load; its figures are in the README)
      'console-large': { type: 'boolean', default: false },
      only: { type: 'string' },
      out: { type: 'string', default: `${root}bench-results` },
    },
  });
  const mode = values.quick ? 'quick' : 'default';
  const base = SIZES[mode];
  const sizes = values['console-large']
    ? { ...base, console: { ...base.console, sizes: [...base.console.sizes, 100_000] } }
    : base;
  const only = values.only?.split(',').map((s) => s.trim());
  const chosen = SECTIONS.filter((s) => only === undefined || only.includes(s.name));
  if (chosen.length === 0) {
    console.error(`no such section; sections: ${SECTIONS.map((s) => s.name).join(', ')}`);
    return 2;
  }
  const machine = describeMachine();
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const log = (line: string) =>
    process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(0)}s] ${line}\n`);
  log(`mode ${mode}; ${machineLine(machine)}`);
  // A fresh DynamoDB Local for every section, started on first use (bundles need none):
  // one that served earlier sections gets slower (dropped tables' streams and all), which
  // would charge one section for another's work.
  const results: SectionResult[] = [];
  for (const s of chosen) {
    let dynamo: Promise<DynamoLocal> | undefined;
    const endpoint = async () => {
      dynamo ??= startDynamoLocal();
      return (await dynamo).endpoint;
    };
    const pid = async () => {
      dynamo ??= startDynamoLocal();
      return (await dynamo).pid;
    };
    const ctx = makeBenchContext(endpoint, log, pid);
    log(`section ${s.name}`);
    const s0 = performance.now();
    try {
      const { rows, detail } = await s.run(ctx, sizes);
      results.push({ name: s.name, rows, detail, seconds: (performance.now() - s0) / 1000 });
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      log(`section ${s.name} failed: ${error}`);
      results.push({ name: s.name, rows: [], detail: null, seconds: (performance.now() - s0) / 1000, error });
    } finally {
      if (dynamo !== undefined) await (await dynamo).stop();
    }
  }
  const report: BenchReport = {
    startedAt,
    mode,
    machine,
    totalSeconds: (performance.now() - t0) / 1000,
    sections: results,
  };
  process.stdout.write(`\nBenchmarks (${mode}) on ${machineLine(machine)}\n\n${formatTable(results)}\n\n`);
  const file = writeReport(report, values.out);
  process.stdout.write(
    `total ${report.totalSeconds.toFixed(0)} s; JSON written to ${file} (and latest.json next to it)\n`,
  );
  if (mode === 'default' && only === undefined && report.totalSeconds > 900) {
    process.stdout.write('note: over the 15-minute budget: was the machine busy with other work? (see `uptime`)\n');
  }
  return results.some((r) => r.error !== undefined) ? 1 : 0;
};

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(1);
  },
);
