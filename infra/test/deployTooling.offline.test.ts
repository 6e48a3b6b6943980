// The deploy path: `pnpm cdk diff|deploy|destroy` runs the pinned CDK CLI on cdk.json's app,
// which is the same program `pnpm synth` runs (the example app, bin/app.ts).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const run = promisify(execFile);
const infraDir = new URL('..', import.meta.url).pathname;
const rootDir = new URL('../../', import.meta.url).pathname;
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

const Deploy = suite('deploy tooling');

Deploy("cdk.json's app is the program `pnpm synth` runs, from infra/", () => {
  const cdk = readJson(`${infraDir}cdk.json`);
  const scripts = readJson(`${rootDir}package.json`).scripts as Record<string, string>;
  assert.is(cdk.app, 'node --import tsx --conditions=source bin/app.ts');
  assert.is(scripts.synth, 'node --import tsx --conditions=source infra/bin/app.ts');
  assert.is(scripts.cdk, 'pnpm --dir infra exec cdk');
  // no notice lookups (they need the network)
  assert.is(cdk.notices, false);
});

Deploy('the CDK CLI is pinned, and the pinned one is what runs', async () => {
  const pinned = (readJson(`${infraDir}package.json`).devDependencies as Record<string, string>)['aws-cdk'];
  assert.match(String(pinned), /^\d+\.\d+\.\d+$/);
  const { stdout } = await run('pnpm', ['exec', 'cdk', '--version'], { cwd: infraDir, timeout: 120_000 });
  assert.match(stdout, new RegExp(`^${String(pinned).replaceAll('.', '\\.')}\\b`));
});

Deploy.run();
