// `pnpm --dir infra pack` runs this first (prepack): what the tarball ships besides tsc's
// declarations (dist/*.d.ts, from `pnpm build`).
// - lib/index.js: the construct library as one ESM file, with this workspace's packages
//   (store's table definition, the projector's stream filter, core's decoders), fp-ts and
//   io-ts inside; aws-cdk-lib and constructs are the consumer's (peer dependencies).
// - bundles/<target>/<handler>/index.mjs (+ map): the Lambda bundles for every selectable
//   runtime, built with the same settings as a synth from sources, so a consumer needs no
//   esbuild, pnpm or this repository.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUNDLE_FILE, esbuildOptions, HANDLER_ENTRIES, prebuiltBundleDir } from '../src/lambdaBundling.js';
import { type HandlerName, LAMBDA_RUNTIMES } from '../src/lambdaRuntimes.js';

const infraDir = fileURLToPath(new URL('..', import.meta.url));

/** What the consumer provides: one copy of the CDK in an app, never a bundled one. */
const LIBRARY_EXTERNALS = ['aws-cdk-lib', 'constructs', 'esbuild'] as const;

const libraryBuild = () =>
  build({
    entryPoints: [join(infraDir, 'src', 'index.ts')],
    outfile: join(infraDir, 'lib', 'index.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['source', 'module'],
    mainFields: ['module', 'main'],
    external: [...LIBRARY_EXTERNALS],
    // Readable: a consumer debugging a synth reads this file.
    minify: false,
    logLevel: 'warning',
  });

const bundleBuilds = () =>
  LAMBDA_RUNTIMES.flatMap((runtime) =>
    (Object.keys(HANDLER_ENTRIES) as HandlerName[]).map((handler) =>
      build(esbuildOptions(HANDLER_ENTRIES[handler], join(prebuiltBundleDir(handler, runtime), BUNDLE_FILE), runtime)),
    ),
  );

rmSync(join(infraDir, 'lib'), { recursive: true, force: true });
rmSync(join(infraDir, 'bundles'), { recursive: true, force: true });
await Promise.all([libraryBuild(), ...bundleBuilds()]);
console.error('infra package: lib/index.js and bundles/ built');
