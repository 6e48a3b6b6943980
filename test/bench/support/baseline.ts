import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

// The code before issue 17, for side-by-side figures in one run: its packages from git
// (`git archive`), third-party dependencies through the workspace's installed node_modules.
// The workspace packages it imports resolve to its own sources where a bundler aliases them
// (bundles.ts) and to today's store/core where node resolves them (projector.ts: the old
// projector over today's store operations, which it still finds by the same names).

/** The commit before issue 17's work on this branch. */
export const BASELINE_COMMIT = '9034883';

export const WORKSPACE = ['core', 'store', 'worker', 'projector', 'devkit', 'cli'] as const;

const root = new URL('../../../', import.meta.url).pathname;

/** The baseline's packages in `dir` (null when git cannot: no history in this copy). */
export const baselineSources = (dir: string): string | null => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const archive = spawnSync(
    'git',
    ['-C', root, 'archive', '--format=tar', BASELINE_COMMIT, 'packages', 'tsconfig.base.json'],
    { maxBuffer: 256 * 1024 * 1024 },
  );
  if (archive.status !== 0) return null;
  const untar = spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout });
  if (untar.status !== 0) return null;
  for (const p of WORKSPACE) {
    const nm = join(root, 'packages', p, 'node_modules');
    if (existsSync(nm) && existsSync(join(dir, 'packages', p)))
      symlinkSync(nm, join(dir, 'packages', p, 'node_modules'));
  }
  return dir;
};

type EsbuildResult = { errors: unknown[]; warnings: unknown[]; metafile?: unknown };
export type Esbuild = { build(options: Record<string, unknown>): Promise<EsbuildResult> };

/** infra's esbuild (the bench adds no dependency of its own). */
export const loadEsbuild = (): Esbuild => createRequire(join(root, 'infra', 'package.json'))('esbuild') as Esbuild;

// The baseline's settings (infra/src/lambdaBundling.ts at BASELINE_COMMIT).
const ESM_REQUIRE_BANNER =
  "import { createRequire as __dhCreateRequire } from 'node:module'; const require = __dhCreateRequire(import.meta.url);";

/**
 * esbuild options that bundle the baseline package `name` (from `baselineSources`) with the
 * baseline's own workspace packages, not today's symlinked ones: its imports keep the names they
 * had then, whatever today's indexes export.
 */
export const baselineBundleOptions = (src: string, name: string, outfile: string): Record<string, unknown> => ({
  entryPoints: [join(src, 'packages', name, 'src', 'index.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  conditions: ['source'],
  mainFields: ['module', 'main'],
  banner: { js: ESM_REQUIRE_BANNER },
  minify: true,
  keepNames: true,
  external: [],
  alias: Object.fromEntries(
    WORKSPACE.map((p) => [`@delivery-history/${p}`, join(src, 'packages', p, 'src', 'index.ts')]),
  ),
  logLevel: 'silent',
});
