import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { esbuildOptions, HANDLER_ENTRIES } from '../../infra/src/lambdaBundling.js';
import {
  BASELINE_COMMIT,
  baselineBundleOptions,
  baselineSources,
  type Esbuild,
  loadEsbuild,
} from './support/baseline.js';
import type { BenchContext } from './support/benchContext.js';
import type { Row } from './support/report.js';
import { median, round } from './support/stats.js';

// The Lambda bundles, side by side with the bundles of the code before issue 17 (its
// sources from git, its bundling settings), built in the same run with infra's pinned
// esbuild and imported cold in fresh node processes, alternating old and new.
// "now" = infra/src/lambdaBundling.ts's `esbuildOptions` (what CDK deploys: handler-only
// entries, `source`+`module` conditions, fp-ts's ES build, undici's parts, no Streams client).

export type BundleOptions = { readonly coldRuns: number };

const root = new URL('../../', import.meta.url).pathname;

type Name = keyof typeof HANDLER_ENTRIES;

const IMPORT_ENV = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'eu-west-1',
  DELIVERY_TABLE_NAME: 'delivery-history',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
};

/** Wall time of a fresh `node` importing `file`, and the import alone as timed inside it. */
const coldImport = (file: string | null): { wallMs: number; importMs: number } => {
  const code =
    file === null
      ? 'console.log(JSON.stringify({ importMs: 0 }))'
      : `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(JSON.stringify({ importMs: performance.now() - t }))`;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    encoding: 'utf8',
    env: IMPORT_ENV,
    timeout: 60_000,
  });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`cold import of ${file} failed: ${r.stderr.slice(-500)}`);
  const { importMs } = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { importMs: number };
  return { wallMs, importMs };
};

const currentOptions = (name: Name, outfile: string): Record<string, unknown> => ({
  ...esbuildOptions(HANDLER_ENTRIES[name], outfile),
  sourcemap: false,
  logLevel: 'silent',
});

type Variant = { readonly label: 'today' | 'baseline'; readonly name: Name; readonly file: string };

const buildAll = async (esbuild: Esbuild, out: string): Promise<Variant[]> => {
  const variants: Variant[] = [];
  const src = baselineSources(join(out, 'baseline-src'));
  for (const name of Object.keys(HANDLER_ENTRIES) as Name[]) {
    const file = join(out, `${name}.mjs`);
    const r = await esbuild.build(currentOptions(name, file));
    if (r.errors.length > 0) throw new Error(`esbuild ${name}: ${JSON.stringify(r.errors[0])}`);
    variants.push({ label: 'today', name, file });
    if (src === null) continue;
    const old = join(out, `${name}-baseline.mjs`);
    const b = await esbuild.build(baselineBundleOptions(src, name, old));
    if (b.errors.length > 0) throw new Error(`esbuild baseline ${name}: ${JSON.stringify(b.errors[0])}`);
    variants.push({ label: 'baseline', name, file: old });
  }
  return variants;
};

const kib = (bytes: number): number => round(bytes / 1024, 1);

export const benchBundles = async (ctx: BenchContext, o: BundleOptions): Promise<{ rows: Row[]; detail: unknown }> => {
  const esbuild = loadEsbuild();
  const out = join(root, 'bench-results', 'bundles');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const variants = await buildAll(esbuild, out);
  const rows: Row[] = [];
  const detail: Record<string, unknown> = { baselineCommit: BASELINE_COMMIT };
  // node startup alone, measured the same way, so the import's share can be read off
  const startup = Array.from({ length: o.coldRuns }, () => coldImport(null).wallMs);
  for (const v of variants) coldImport(v.file); // page cache warm for every file
  // alternate the variants run by run, so drift on the machine falls on all alike
  const runs = new Map<Variant, Array<{ wallMs: number; importMs: number }>>(variants.map((v) => [v, []]));
  for (let i = 0; i < o.coldRuns; i++) for (const v of variants) runs.get(v)?.push(coldImport(v.file));
  const importOf = (v: Variant | undefined): number =>
    v === undefined ? Number.NaN : median((runs.get(v) ?? []).map((x) => x.importMs));
  for (const name of Object.keys(HANDLER_ENTRIES) as Name[]) {
    const now = variants.find((v) => v.name === name && v.label === 'today');
    const old = variants.find((v) => v.name === name && v.label === 'baseline');
    if (now === undefined) continue;
    const bytes = statSync(now.file).size;
    const oldBytes = old === undefined ? Number.NaN : statSync(old.file).size;
    const gz = gzipSync(readFileSync(now.file)).length;
    const imp = importOf(now);
    const oldImp = importOf(old);
    const wall = median((runs.get(now) ?? []).map((x) => x.wallMs));
    detail[name] = {
      bytes,
      gzipBytes: gz,
      baselineBytes: oldBytes,
      runs: runs.get(now),
      baselineRuns: old && runs.get(old),
    };
    rows.push({
      section: 'lambda bundles',
      metric: `${name}: minified size, now / before issue 17`,
      value: kib(bytes),
      unit: 'KiB',
      note: `before: ${kib(oldBytes)} KiB (${round(bytes / oldBytes, 2)}x); now ${kib(gz)} KiB gzipped`,
    });
    rows.push({
      section: 'lambda bundles',
      metric: `${name}: cold import, now (median of ${o.coldRuns}, alternating with before)`,
      value: round(imp, 1),
      unit: 'ms',
      note: `before: ${round(oldImp, 1)} ms, ratio ${round(imp / oldImp, 2)}x; whole \`node\` process ${round(wall, 0)} ms (node alone ${round(median(startup), 0)} ms)`,
    });
    ctx.progress(`bundle ${name} measured`);
  }
  detail.startupMs = startup;
  return { rows, detail };
};
