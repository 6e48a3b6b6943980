// `dh` as one ESM bundle: packages/cli/dist/dh.js (the package's `bin`) plus a chunk per
// lazily loaded command, built by esbuild from the compiled dist/ (what tsc -b emitted), so
// the binary runs exactly the code the build type-checked. Why: a short command's run time
// is mostly start-up, and most of start-up is node resolving and loading ~150 ESM files and
// the SDK's CommonJS (dh history: ~330 ms unbundled, ~190 ms bundled; the bench's cliHistory).
// The devkit stays external: it finds DynamoDB Local's jar relative to its own package.
// The esbuild settings are the Lambda bundles' (infra/src/lambdaBundling.ts: the ESM require
// banner, the SDK's and fp-ts's ES builds so they tree-shake, minified with names kept) less
// the `source` condition: the input is the compiled dist/, not the sources.
//
// Safe while dh runs (parallel tests): nothing is rebuilt when dist/ has not changed since
// the last bundle; a new bundle is written aside and renamed into place file by file, and
// chunks are content-named, so a running dh never loses a chunk it is about to import (old
// ones are removed only after an hour).
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { LAMBDA_BUNDLE } from '../infra/src/lambdaBundling.js';

const packages = new URL('../packages/', import.meta.url).pathname;
const dist = join(packages, 'cli', 'dist');
const ENTRY = join(dist, 'dh.js');
const OURS = /^(dh|chunk-[A-Z0-9]+)\.js$/;
const STALE_MS = 3_600_000;

/** The newest mtime of the compiled JS the bundle is made of (every package's dist/). */
const newestInput = (dir: string): number => {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestInput(p));
    else if (e.name.endsWith('.js') && !(dir === dist && OURS.test(e.name)))
      newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
};

const mtime = (p: string): number => {
  try {
    return statSync(p).mtimeMs;
  } catch {
    return 0;
  }
};

const inputs = Math.max(
  ...readdirSync(packages)
    .map((p) => join(packages, p, 'dist'))
    .filter((d) => mtime(d) > 0)
    .map(newestInput),
);

// ---------------------------------------------------------------------------
// direct imports: esbuild splits chunks by file, and a file is in a command's graph when any
// file of that graph imports it. Through a package's index (one door, which the sources keep)
// every command reached every file of core and store that any command uses: dh history loaded
// the Streams client, the SSRF guard and the expunge planner. In the bundle only, an import of
// a workspace package's index becomes imports of the files that index re-exports from (what
// `export { a, b as c } from './x.js'` lines say), so a command loads the files it uses.
// ---------------------------------------------------------------------------

type Origin = { readonly file: string; readonly name: string };

const EXPORT_FROM = /^export \{([^}]*)\} from '(\.[^']+)';$/gm;
const IMPORT_INDEX = /^import \{([^}]*)\} from '@delivery-history\/(core|store|projector|worker)';$/gm;

/** `a, b as c` as [local, imported] pairs. */
const namesOf = (list: string): Array<readonly [string, string]> =>
  list
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '')
    .map((n) => {
      const [from, as] = n.split(/\s+as\s+/);
      return [as ?? from ?? n, from ?? n] as const;
    });

/** What a package's dist/index.js re-exports (its `export { ... } from './x.js'` lines), by exported name. */
const indexOf = (pkg: string): Map<string, Origin> => {
  const index = join(packages, pkg, 'dist', 'index.js');
  const out = new Map<string, Origin>();
  for (const m of readFileSync(index, 'utf8').matchAll(EXPORT_FROM))
    for (const [exported, name] of namesOf(m[1] ?? ''))
      out.set(exported, { file: join(dirname(index), m[2] ?? ''), name });
  return out;
};

const directImports = (): Plugin => ({
  name: 'direct-imports',
  setup(b) {
    const indexes = new Map<string, Map<string, Origin>>();
    const index = (pkg: string): Map<string, Origin> => {
      const known = indexes.get(pkg) ?? indexOf(pkg);
      indexes.set(pkg, known);
      return known;
    };
    b.onLoad({ filter: /\/packages\/[^/]+\/dist\/.*\.js$/ }, (args) => {
      const contents = readFileSync(args.path, 'utf8').replace(IMPORT_INDEX, (whole, list: string, pkg: string) => {
        const byFile = new Map<string, string[]>();
        for (const [local, name] of namesOf(list)) {
          const origin = index(pkg).get(name);
          if (origin === undefined) return whole; // not a plain re-export: leave the import as it is
          byFile.set(origin.file, [...(byFile.get(origin.file) ?? []), `${origin.name} as ${local}`]);
        }
        return [...byFile]
          .map(([file, names]) => `import { ${names.join(', ')} } from ${JSON.stringify(file)};`)
          .join(' ');
      });
      return { contents, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
});

if (mtime(ENTRY) < inputs) {
  const aside = join(dist, `.bundle-${process.pid}`);
  rmSync(aside, { recursive: true, force: true });
  mkdirSync(aside);
  await build({
    entryPoints: { dh: join(dist, 'bin.js') },
    outdir: aside,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: 'chunk-[hash]',
    external: ['@delivery-history/devkit'],
    conditions: LAMBDA_BUNDLE.conditions.filter((c) => c !== 'source'),
    mainFields: [...LAMBDA_BUNDLE.mainFields],
    alias: { ...LAMBDA_BUNDLE.alias },
    banner: { js: LAMBDA_BUNDLE.banner },
    minify: LAMBDA_BUNDLE.minify,
    keepNames: LAMBDA_BUNDLE.keepNames,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [directImports()],
  });
  // chunks first, the entry last: the new entry only ever sees its chunks in place
  const written = readdirSync(aside).sort((a, b) => (a === 'dh.js' ? 1 : b === 'dh.js' ? -1 : 0));
  for (const f of written) renameSync(join(aside, f), join(dist, f));
  rmSync(aside, { recursive: true, force: true });
  for (const f of readdirSync(dist)) {
    const p = join(dist, f);
    if (OURS.test(f) && !written.includes(f) && Date.now() - mtime(p) > STALE_MS) rmSync(p);
  }
}
