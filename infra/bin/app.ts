// `pnpm synth [-c key=value ...] [--outdir DIR] [--print]`: the CloudFormation template,
// offline (no AWS credentials, no network, no Docker). The example app a team's own app
// looks like: one stack with one DeliveryHistory. cdk-nag's AwsSolutions and Serverless
// packs and cfn-guard with the Control Tower rules run on every synth; a finding that is
// not acknowledged fails it.
// Also usable as a CDK CLI app: `cdk synth --app 'node --import tsx --conditions=source infra/bin/app.ts'`.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { App, Validations } from 'aws-cdk-lib';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { AnyString, AwsRegion, optionalVar, readEnv } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { DeliveryHistoryStack } from '../src/index.js';
import { readStackConfig } from '../src/stackConfig.js';

const infraDir = fileURLToPath(new URL('..', import.meta.url));

const { values } = parseArgs({
  options: {
    context: { type: 'string', short: 'c', multiple: true, default: [] },
    outdir: { type: 'string' },
    print: { type: 'boolean', default: false },
  },
});

const context: Record<string, string> = {};
for (const pair of values.context) {
  const eq = pair.indexOf('=');
  if (eq <= 0) {
    console.error(`synth: context must be key=value, got '${pair}'`);
    process.exit(2);
  }
  context[pair.slice(0, eq)] = pair.slice(eq + 1);
}

// What the CDK CLI passes (none of it when run standalone), through core's reader: blank is absent.
const AccountId = new t.Type<string, string, unknown>(
  'AWS account id (12 digits)',
  (u): u is string => typeof u === 'string' && /^\d{12}$/.test(u),
  (u, c) => (typeof u === 'string' && /^\d{12}$/.test(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);
const cdkEnv = readEnv('CDK environment', {
  CDK_OUTDIR: optionalVar(AnyString),
  CDK_DEFAULT_ACCOUNT: optionalVar(AccountId),
  CDK_DEFAULT_REGION: optionalVar(AwsRegion),
})(process.env);
if (E.isLeft(cdkEnv)) {
  console.error(`synth: ${cdkEnv.left.message}`);
  process.exit(2);
}
const { CDK_OUTDIR, CDK_DEFAULT_ACCOUNT, CDK_DEFAULT_REGION } = cdkEnv.right;

// The CDK CLI passes its output directory in CDK_OUTDIR; standalone, write under infra/.
const outdir = values.outdir ?? CDK_OUTDIR ?? join(infraDir, 'cdk.out');
const app = new App({ outdir, context });

const config = readStackConfig(app);
if (E.isLeft(config)) {
  console.error(`synth: ${config.left.message}`);
  process.exit(2);
}

const stack = new DeliveryHistoryStack(app, `DeliveryHistory-${config.right.stage}`, {
  settings: config.right,
  description: `Delivery history (${config.right.stage}): table, queues, worker, projector, alarms`,
  // Account and region stay unresolved unless the CDK CLI provides them: synth needs neither.
  ...(CDK_DEFAULT_ACCOUNT !== undefined && CDK_DEFAULT_REGION !== undefined
    ? { env: { account: CDK_DEFAULT_ACCOUNT, region: CDK_DEFAULT_REGION } }
    : {}),
});
Validations.of(app).addPlugins(
  new AwsSolutionsChecks(app),
  new ServerlessChecks(app),
  // The cfn-guard binary ships in the package: no download, offline.
  new CfnGuardValidator({ maxBuffer: 64 * 1024 * 1024 }),
);

const assembly = app.synth();
const artifact = assembly.getStackByName(stack.stackName);
// Error annotations (a prod stage without an alarm topic) fail the synth, as the CDK CLI does.
const errors = artifact.messages.filter((m) => m.level === 'error');
for (const e of errors) console.error(`synth: ${e.id}: ${String(e.entry.data)}`);
if (errors.length > 0) process.exit(2);
const templatePath = join(assembly.directory, artifact.templateFile);
/** Relative to the working directory when under it, else absolute. */
const shown = (p: string): string => {
  const r = relative(process.cwd(), p);
  return r === '' ? '.' : r.startsWith('..') ? p : r;
};
if (values.print) process.stdout.write(readFileSync(templatePath, 'utf8'));
console.error(`synth: ${stack.stackName} -> ${shown(templatePath)} (assets in ${shown(assembly.directory)})`);
