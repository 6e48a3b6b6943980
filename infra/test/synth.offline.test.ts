// `pnpm synth` end to end, in a child process the way the root script runs it: no AWS
// credentials or region, Docker unusable (CDK_DOCKER points nowhere, so a Docker fallback
// would fail the run), esbuild's API bundles both handlers in the synth's process, cdk-nag
// runs as a synth plugin.
// CloudFormation's built-in schema validation is off here for speed (`pnpm synth` runs it).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { esbuildOptions, HANDLER_ENTRIES } from '../src/lambdaBundling.js';
import type { HandlerName } from '../src/lambdaRuntimes.js';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;

const offlineEnv = (): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_') && !k.startsWith('CDK_'))),
  CDK_DOCKER: '/nonexistent/docker',
  CDK_VALIDATION: 'false',
  NO_COLOR: '1',
});

const synth = (args: string[]) =>
  run(process.execPath, ['--import', 'tsx', '--conditions=source', 'infra/bin/app.ts', ...args], {
    cwd: root,
    env: offlineEnv(),
    timeout: 180_000,
    maxBuffer: 64 * 1024 * 1024,
  });

type Template = { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };

const Synth = suite<{ outdir: string; stdout: string; stderr: string }>('pnpm synth (offline)', {
  outdir: '',
  stdout: '',
  stderr: '',
});

Synth.before(async (ctx) => {
  ctx.outdir = mkdtempSync(join(tmpdir(), 'dh-synth-'));
  const r = await synth(['--outdir', ctx.outdir, '--print', '-c', 'stage=citest']);
  ctx.stdout = r.stdout;
  ctx.stderr = r.stderr;
});

Synth.after((ctx) => {
  rmSync(ctx.outdir, { recursive: true, force: true });
});

Synth('writes the template where it says, and prints the same template', (ctx) => {
  const file = join(ctx.outdir, 'DeliveryHistory-citest.template.json');
  assert.ok(existsSync(file));
  assert.match(ctx.stderr, /DeliveryHistory-citest\.template\.json/);
  assert.equal(JSON.parse(ctx.stdout), JSON.parse(readFileSync(file, 'utf8')));
});

Synth('stage from context names the resources', (ctx) => {
  const t = JSON.parse(ctx.stdout) as Template;
  const names = Object.values(t.Resources)
    .filter((r) => r.Type === 'AWS::SQS::Queue' || r.Type === 'AWS::DynamoDB::Table')
    .map((r) => String(r.Properties.QueueName ?? r.Properties.TableName))
    .sort();
  assert.equal(names, [
    'delivery-history-citest',
    'delivery-history-citest-deliveries',
    'delivery-history-citest-deliveries-dlq',
    'delivery-history-citest-events-target-dlq',
    'delivery-history-citest-projector-failures',
  ]);
});

const assetOf = (ctx: { outdir: string; stdout: string }, handler: HandlerName): string => {
  const t = JSON.parse(ctx.stdout) as Template;
  const fn = Object.values(t.Resources).find(
    (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.FunctionName === `delivery-history-citest-${handler}`,
  );
  assert.ok(fn !== undefined, `${handler} function`);
  const key = String((fn.Properties.Code as { S3Key: string }).S3Key);
  return join(ctx.outdir, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs');
};

Synth('every function is bundled locally into ESM assets, without Docker', (ctx) => {
  for (const handler of Object.keys(HANDLER_ENTRIES) as HandlerName[]) {
    const bundle = assetOf(ctx, handler);
    assert.ok(existsSync(bundle), `${handler}: ${bundle}`);
    assert.ok(statSync(bundle).size > 0);
  }
  assert.not.match(ctx.stderr, /docker/i);
});

Synth("CDK's bundle is byte for byte the one the bundle test builds with esbuild's JS API", async (ctx) => {
  for (const handler of Object.keys(HANDLER_ENTRIES) as HandlerName[]) {
    const outfile = join(ctx.outdir, 'js-api', handler, 'index.mjs');
    await build(esbuildOptions(HANDLER_ENTRIES[handler], outfile));
    assert.ok(readFileSync(outfile).equals(readFileSync(assetOf(ctx, handler))), `${handler} bundles differ`);
  }
});

/** A synth that must be refused: its exit code and stderr (a synth that passes gives code 0). */
const refused = async (args: string[]): Promise<{ code: number; stderr: string }> => {
  try {
    await synth(args);
    return { code: 0, stderr: '' };
  } catch (e) {
    const err = e as { code?: number; stderr?: string };
    return { code: err.code ?? -1, stderr: String(err.stderr) };
  }
};

Synth('a bad context value stops the synth with the key and the value', async (ctx) => {
  const r = await refused(['--outdir', join(ctx.outdir, 'rejected'), '-c', 'workerBatchSize=50']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /workerBatchSize: expected integer 1\.\.10, got "50"/);
});

Synth('a prod stage without an alarm topic stops the synth', async (ctx) => {
  const r = await refused(['--outdir', join(ctx.outdir, 'prod'), '-c', 'stage=prod']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /stage prod without an alarm topic/);
});

Synth.run();
