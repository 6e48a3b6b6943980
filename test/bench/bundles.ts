import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { BenchContext } from './support/context.js';
import type { Row } from './support/report.js';
import { median, round } from './support/stats.js';

// The Lambda bundles: built with the esbuild JS API (infra's pinned esbuild) with the
// deployment's settings (infra/src/lambdaBundling.ts: node20, ESM, `source` condition,
// minified, nothing external), then imported cold in fresh node processes.

export type BundleOptions = { readonly coldRuns: number };

type EsbuildResult = { errors: unknown[]; warnings: unknown[] };
type Esbuild = { build(options: Record<string, unknown>): Promise<EsbuildResult> };

const root = new URL('../../', import.meta.url).pathname;

/** infra's esbuild (the bench adds no dependency of its own). */
const loadEsbuild = (): Esbuild => createRequire(join(root, 'infra', 'package.json'))('esbuild') as Esbuild;

// Mirrors LAMBDA_BUNDLE in infra/src/lambdaBundling.ts (sourcemaps aside: size is the code).
const ESM_REQUIRE_BANNER =
  "import { createRequire as __dhCreateRequire } from 'node:module'; const require = __dhCreateRequire(import.meta.url);";

const ENTRIES = {
  worker: join(root, 'packages', 'worker', 'src', 'index.ts'),
  projector: join(root, 'packages', 'projector', 'src', 'index.ts'),
} as const;

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

export const benchBundles = async (ctx: BenchContext, o: BundleOptions): Promise<{ rows: Row[]; detail: unknown }> => {
  const esbuild = loadEsbuild();
  const out = join(root, 'bench-results', 'bundles');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const rows: Row[] = [];
  const detail: Record<string, unknown> = {};
  const built: Array<[string, string]> = [];
  for (const [name, entry] of Object.entries(ENTRIES)) {
    const outfile = join(out, `${name}.mjs`);
    const r = await esbuild.build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      conditions: ['source'],
      mainFields: ['module', 'main'],
      banner: { js: ESM_REQUIRE_BANNER },
      minify: true,
      keepNames: true,
      external: [],
      logLevel: 'silent',
    });
    if (r.errors.length > 0) throw new Error(`esbuild ${name}: ${JSON.stringify(r.errors[0])}`);
    built.push([name, outfile]);
  }
  // node startup alone, measured the same way, so the import's share can be read off
  const baseline = Array.from({ length: o.coldRuns }, () => coldImport(null).wallMs);
  for (const [name, file] of built) {
    const bytes = statSync(file).size;
    const gz = gzipSync(readFileSync(file)).length;
    // one untimed run first: the page cache, not the bundle, would dominate the first
    coldImport(file);
    const runs = Array.from({ length: o.coldRuns }, () => coldImport(file));
    const wall = median(runs.map((x) => x.wallMs));
    const imp = median(runs.map((x) => x.importMs));
    detail[name] = { bytes, gzipBytes: gz, runs };
    rows.push({
      section: 'lambda bundles',
      metric: `${name}: minified size`,
      value: round(bytes / 1024, 1),
      unit: 'KiB',
      note: `${round(gz / 1024, 1)} KiB gzipped`,
    });
    rows.push({
      section: 'lambda bundles',
      metric: `${name}: cold import (median of ${o.coldRuns})`,
      value: round(imp, 1),
      unit: 'ms',
      note: `whole \`node\` process ${round(wall, 0)} ms (node alone ${round(median(baseline), 0)} ms)`,
    });
    ctx.progress(`bundle ${name} measured`);
  }
  detail.baselineMs = baseline;
  return { rows, detail };
};
