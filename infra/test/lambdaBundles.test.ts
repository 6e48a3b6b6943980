// The worker and projector bundles, built with esbuild's JS API from the same settings the
// NodejsFunctions use: each is self-contained (loads from a directory with no node_modules
// anywhere above it), exports `handler` in a cold `node`, and stays small.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { esbuildOptions, HANDLER_ENTRIES, type HandlerName } from '../src/lambdaBundling.js';

/** Budget per minified bundle (the AWS SDK clients are inside). Raise it on purpose only. */
const MAX_BUNDLE_BYTES = 2_500_000;

const run = promisify(execFile);

type Built = { readonly file: string; readonly bytes: number };

const Bundles = suite<{ dir: string; built: Partial<Record<HandlerName, Built>> }>('lambda bundles', {
  dir: '',
  built: {},
});

Bundles.before((ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'dh-bundles-'));
});

Bundles.after((ctx) => {
  rmSync(ctx.dir, { recursive: true, force: true });
});

for (const name of Object.keys(HANDLER_ENTRIES) as HandlerName[]) {
  Bundles(`${name}: bundles with the shared settings and stays small`, async (ctx) => {
    const file = join(ctx.dir, name, 'index.mjs');
    const result = await build(esbuildOptions(HANDLER_ENTRIES[name], file));
    assert.equal(result.errors, []);
    const bytes = statSync(file).size;
    ctx.built[name] = { file, bytes };
    console.log(`  ${name}: ${(bytes / 1024).toFixed(0)} KiB minified (${bytes} bytes)`);
    assert.ok(bytes < MAX_BUNDLE_BYTES, `${name} bundle is ${bytes} bytes`);
  });

  Bundles(`${name}: a cold node process imports it and finds the handler`, async (ctx) => {
    const built = ctx.built[name];
    assert.ok(built !== undefined, 'bundled by the previous test');
    const url = pathToFileURL(built.file).href;
    const { stdout } = await run(
      process.execPath,
      ['--input-type=module', '-e', `import(${JSON.stringify(url)}).then((m) => console.log(typeof m.handler))`],
      // What Lambda provides; no AWS credentials, no endpoint: importing must touch nothing.
      { cwd: ctx.dir, env: { PATH: process.env.PATH ?? '', AWS_REGION: 'eu-west-1', NODE_OPTIONS: '' }, timeout: 30_000 },
    );
    assert.is(stdout.trim(), 'function');
  });
}

Bundles.run();
