// How the Lambda handlers are bundled: one set of esbuild settings, used by the CDK
// `NodejsFunction`s (esbuild CLI, through CDK) and by the bundle test (esbuild JS API), so
// the test loads exactly what would be deployed.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { BuildOptions } from 'esbuild';
import { DEFAULT_LAMBDA_RUNTIME, type HandlerName, type LambdaRuntimeName } from './lambdaRuntimes.js';

// ---------------------------------------------------------------------------
// paths
// ---------------------------------------------------------------------------

/** The workspace root (holds pnpm-lock.yaml); NodejsFunction's project root. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Handler entry points: modules that export the Lambda `handler` and nothing else (the
 * packages' indexes, `import { handler } from '@delivery-history/worker'`, re-export it with
 * everything else a test or a tool needs).
 */
export const HANDLER_ENTRIES: Readonly<Record<HandlerName, string>> = {
  worker: join(REPO_ROOT, 'packages', 'worker', 'src', 'lambda.ts'),
  projector: join(REPO_ROOT, 'packages', 'projector', 'src', 'lambda.ts'),
};

// ---------------------------------------------------------------------------
// settings
// ---------------------------------------------------------------------------

/**
 * ESM output bundles CommonJS dependencies (undici's parts) whose `require` of
 * Node built-ins esbuild cannot rewrite; a real `require` in module scope serves them.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __dhCreateRequire } from 'node:module'; const require = __dhCreateRequire(import.meta.url);";

/**
 * fp-ts's ES build, as an absolute path: esbuild resolves an alias's target from its working
 * directory (CDK's and the tests' differ), and the workspace root has no fp-ts of its own.
 * Resolved from core, so it is the very fp-ts the packages use.
 */
const fpTsEs6 = (): string => {
  const core = join(REPO_ROOT, 'packages', 'core', 'package.json');
  // Installed from a tarball there are no sources and nothing is bundled: the alias is unused.
  if (!existsSync(core)) return 'fp-ts/es6';
  return join(dirname(createRequire(core).resolve('fp-ts/package.json')), 'es6');
};
export const FP_TS_ES6 = fpTsEs6();

/** The esbuild target follows the runtime, so the bundle uses what that Node supports. */
export const bundleTarget = (runtime: LambdaRuntimeName): string =>
  `node${runtime.slice('nodejs'.length, -'.x'.length)}`;

/** The settings both bundlers share (the target comes from `bundleTarget`). */
export const LAMBDA_BUNDLE = {
  format: 'esm',
  /**
   * `source`: workspace packages resolve to their TypeScript sources (their exports map);
   * `module`: dependencies with an ESM build in their exports map (the AWS SDK's smithy and
   * its helpers) get it instead of the CommonJS one, which esbuild cannot tree-shake.
   */
  conditions: ['source', 'module'],
  /** ESM builds of dependencies first: they tree-shake (the AWS SDK v3 in particular). */
  mainFields: ['module', 'main'],
  /**
   * fp-ts's ES build for the codebase's `fp-ts/lib/...` (CommonJS, not tree-shaken) imports:
   * io-ts's ES build already imports `fp-ts/es6/...`, so one copy, tree-shaken, is bundled.
   */
  alias: { 'fp-ts/lib': FP_TS_ES6 } as Record<string, string>,
  banner: ESM_REQUIRE_BANNER,
  minify: true,
  /** Error and class names survive minification (logs, `_tag`-less SDK errors matched by name). */
  keepNames: true,
  /** An external map ships next to the bundle; Node reads it only with --enable-source-maps. */
  sourcemap: true,
  sourcesContent: false,
  /**
   * Nothing external: the SDK version the tests ran with is the one deployed (the runtime's
   * bundled SDK lags and would change under us), and one file loads faster than many.
   */
  external: [] as string[],
} as const;

/** esbuild JS API options of one handler's bundle (synth from sources, the package build, the bundle test). */
export const esbuildOptions = (
  entry: string,
  outfile: string,
  runtime: LambdaRuntimeName = DEFAULT_LAMBDA_RUNTIME,
): BuildOptions => ({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  target: bundleTarget(runtime),
  format: LAMBDA_BUNDLE.format,
  conditions: [...LAMBDA_BUNDLE.conditions],
  alias: { ...LAMBDA_BUNDLE.alias },
  mainFields: [...LAMBDA_BUNDLE.mainFields],
  banner: { js: LAMBDA_BUNDLE.banner },
  minify: LAMBDA_BUNDLE.minify,
  keepNames: LAMBDA_BUNDLE.keepNames,
  sourcemap: LAMBDA_BUNDLE.sourcemap,
  sourcesContent: LAMBDA_BUNDLE.sourcesContent,
  external: [...LAMBDA_BUNDLE.external],
  logLevel: 'warning',
});

// ---------------------------------------------------------------------------
// code
// ---------------------------------------------------------------------------

/** The file name of every bundle: the functions' handler is `index.handler`. */
export const BUNDLE_FILE = 'index.mjs';

/**
 * Prebuilt bundles shipped in the package (`bundles/<target>/<handler>/index.mjs`, written by
 * `scripts/buildBundles.ts`); `src/` and `dist/` are both one level below the package root.
 */
export const prebuiltBundleDir = (handler: HandlerName, runtime: LambdaRuntimeName): string =>
  fileURLToPath(new URL(`../bundles/${bundleTarget(runtime)}/${handler}`, import.meta.url));

/** esbuild, loaded only to bundle from sources (an installed package ships its bundles). */
const esbuildSync = (): typeof import('esbuild').buildSync =>
  (createRequire(import.meta.url)('esbuild') as typeof import('esbuild')).buildSync;

/**
 * A handler's code. In this repository (the sources exist) it is bundled at synth with the
 * shared settings, by esbuild's API in this process (no Docker, no `pnpm exec`); installed
 * from the package it is the prebuilt bundle, so a consumer needs neither esbuild nor sources.
 */
export const handlerCode = (handler: HandlerName, runtime: LambdaRuntimeName): lambda.Code => {
  const entry = HANDLER_ENTRIES[handler];
  if (existsSync(entry))
    return lambda.Code.fromAsset(dirname(entry), {
      // The bundle also holds other packages' code: hash what is deployed, not the entry's directory.
      assetHashType: AssetHashType.OUTPUT,
      bundling: {
        // Never used: local bundling always succeeds or throws.
        image: DockerImage.fromRegistry('local-bundling-only'),
        local: {
          tryBundle: (outputDir) => {
            esbuildSync()(esbuildOptions(entry, join(outputDir, BUNDLE_FILE), runtime));
            return true;
          },
        },
      },
    });
  const prebuilt = prebuiltBundleDir(handler, runtime);
  if (existsSync(join(prebuilt, BUNDLE_FILE))) return lambda.Code.fromAsset(prebuilt);
  throw new Error(`no ${handler} bundle for ${runtime}: neither ${entry} nor ${join(prebuilt, BUNDLE_FILE)} exists`);
};
