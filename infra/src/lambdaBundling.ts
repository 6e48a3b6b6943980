// How the Lambda handlers are bundled: one set of esbuild settings, used by the CDK
// `NodejsFunction`s (esbuild CLI, through CDK) and by the bundle test (esbuild JS API), so
// the test loads exactly what would be deployed.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LogLevel, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

// ---------------------------------------------------------------------------
// paths
// ---------------------------------------------------------------------------

/** The workspace root (holds pnpm-lock.yaml); NodejsFunction's project root. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const DEPS_LOCK_FILE = join(REPO_ROOT, 'pnpm-lock.yaml');

/**
 * Handler entry points: modules that export the Lambda `handler` and nothing else (the
 * packages' indexes, `import { handler } from '@delivery-history/worker'`, re-export it with
 * everything else a test or a tool needs).
 */
export const HANDLER_ENTRIES = {
  worker: join(REPO_ROOT, 'packages', 'worker', 'src', 'lambda.ts'),
  projector: join(REPO_ROOT, 'packages', 'projector', 'src', 'lambda.ts'),
} as const;

export type HandlerName = keyof typeof HANDLER_ENTRIES;

/**
 * The directory of infra's own esbuild binary. CDK finds esbuild with `require` (it is
 * hoisted next to aws-cdk-lib) and then runs `pnpm exec -- esbuild` from the workspace
 * root, which has no esbuild of its own; putting this directory first on the bundling
 * PATH makes that command run this pinned esbuild, with no Docker fallback.
 */
export const esbuildBinDir = (): string =>
  join(dirname(createRequire(import.meta.url).resolve('esbuild/package.json')), 'bin');

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
export const FP_TS_ES6 = join(
  dirname(createRequire(join(REPO_ROOT, 'packages', 'core', 'package.json')).resolve('fp-ts/package.json')),
  'es6',
);

/** Lambda runtimes the stack can select (context `lambdaRuntime`). */
export type LambdaRuntimeName = 'nodejs20.x' | 'nodejs22.x';

/** New deployments get Node 22; nodejs20.x is deprecated on AWS and stays selectable. */
export const DEFAULT_LAMBDA_RUNTIME: LambdaRuntimeName = 'nodejs22.x';

/** The esbuild target follows the runtime, so the bundle uses what that Node supports. */
export const bundleTarget = (runtime: LambdaRuntimeName): string => (runtime === 'nodejs22.x' ? 'node22' : 'node20');

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

/** The NodejsFunction bundling props for the shared settings. */
export const nodejsBundling = (runtime: LambdaRuntimeName = DEFAULT_LAMBDA_RUNTIME): BundlingOptions => ({
  forceDockerBundling: false,
  environment: { PATH: `${esbuildBinDir()}:${process.env.PATH ?? ''}` },
  format: OutputFormat.ESM,
  target: bundleTarget(runtime),
  mainFields: [...LAMBDA_BUNDLE.mainFields],
  // NodejsFunction has no `conditions` prop: pass the esbuild flag through.
  esbuildArgs: {
    '--conditions': LAMBDA_BUNDLE.conditions.join(','),
    ...Object.fromEntries(Object.entries(LAMBDA_BUNDLE.alias).map(([from, to]) => [`--alias:${from}`, to])),
  },
  banner: LAMBDA_BUNDLE.banner,
  minify: LAMBDA_BUNDLE.minify,
  keepNames: LAMBDA_BUNDLE.keepNames,
  sourceMap: LAMBDA_BUNDLE.sourcemap,
  sourcesContent: LAMBDA_BUNDLE.sourcesContent,
  externalModules: [...LAMBDA_BUNDLE.external],
  logLevel: LogLevel.WARNING,
});

/** esbuild JS API options that produce the same bundle as `nodejsBundling()`. */
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
