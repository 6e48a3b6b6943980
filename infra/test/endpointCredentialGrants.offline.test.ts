// Per-endpoint credentials (issue 28) in the real stack: `credentialsForEndpoints` lets the
// worker's role, and no other, call secretsmanager:GetSecretValue, on exactly the configured
// secrets; kms:Decrypt on a secret's own key only through Secrets Manager; the configuration
// reaches the worker as DELIVERY_ENDPOINT_CREDENTIALS (the worker decodes it at cold start).
import { App } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Template } from 'aws-cdk-lib/assertions';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DeliveryHistoryStack } from '../src/DeliveryHistoryStack.js';
import { grantsOf, props, resourcesOf, statementsOfRole } from './support/templateQueries.js';

const IMPORTED = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:partner-b-AbCdEf';

const G = suite('credentialsForEndpoints: Secrets Manager read for the worker only');

G('the worker reads exactly the configured secrets; no other role has any Secrets Manager action', () => {
  const s = new DeliveryHistoryStack(
    new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [] } }),
    'DeliveryHistory-endpoint-creds',
    { env: { account: '123456789012', region: 'eu-west-1' } },
  );
  const key = new kms.Key(s, 'PartnerKey');
  const created = new secretsmanager.Secret(s, 'PartnerA', { encryptionKey: key });
  const imported = secretsmanager.Secret.fromSecretCompleteArn(s, 'PartnerB', IMPORTED);
  s.deliveryHistory.credentialsForEndpoints({
    // (the cast: exactOptionalPropertyTypes over CDK's own declarations)
    'api.partner-a.example': { secret: created as secretsmanager.ISecret, header: 'Authorization', prefix: 'Bearer ' },
    'hooks.partner-b.example:8443': { secret: imported, query: 'api_key' },
  });
  assert.throws(() => s.deliveryHistory.credentialsForEndpoints({}), /call once/);
  const support = new iam.Role(s, 'Support', { assumedBy: new iam.AccountRootPrincipal() });
  s.deliveryHistory.grantOperate(support);
  const producer = new iam.Role(s, 'Producer', { assumedBy: new iam.AccountRootPrincipal() });
  s.deliveryHistory.grantSendDeliveries(producer);

  const t = Template.fromStack(s);
  const fnNamed = (name: string) =>
    resourcesOf(t, 'AWS::Lambda::Function').find(([, r]) => props(r).FunctionName === name)?.[1];
  const worker = fnNamed('delivery-history-dev-worker');
  if (worker === undefined) throw new Error('no worker function');
  const workerRole = (props(worker).Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
  const grants = grantsOf(statementsOfRole(t, workerRole));
  const createdArn = JSON.stringify({ Ref: s.getLogicalId(created.node.defaultChild as secretsmanager.CfnSecret) });
  assert.equal(grants['secretsmanager:GetSecretValue'], [createdArn, JSON.stringify(IMPORTED)].sort());
  const keyArn = JSON.stringify({ 'Fn::GetAtt': [s.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] });
  assert.ok(grants['kms:Decrypt']?.includes(keyArn), "kms:Decrypt on the secret's key");
  const decrypt = statementsOfRole(t, workerRole).find((st) => st.Sid === 'DecryptEndpointCredentials');
  assert.equal(
    (decrypt as { Condition?: unknown } | undefined)?.Condition,
    { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
    'only through Secrets Manager',
  );
  // nothing else: every other policy in the template (projector, drain, support, producer...)
  const others = [
    ...resourcesOf(t, 'AWS::IAM::Policy').filter(
      ([, r]) => JSON.stringify(props(r).Roles) !== JSON.stringify([{ Ref: workerRole }]),
    ),
    ...resourcesOf(t, 'AWS::IAM::Role'),
    ...resourcesOf(t, 'AWS::IAM::ManagedPolicy'),
  ];
  assert.ok(others.length >= 4, 'the other roles and policies are there to check');
  for (const [id, r] of others)
    assert.not.match(JSON.stringify(r), /secretsmanager:/i, `${id} has a Secrets Manager action`);
  // the worker's configuration (tokens resolved by CloudFormation): the decoded shape, keys as given
  const env = (props(worker).Environment as { Variables: Record<string, unknown> }).Variables;
  const text = JSON.stringify(env.DELIVERY_ENDPOINT_CREDENTIALS);
  assert.match(text, /api\.partner-a\.example/);
  assert.match(text, /"query\\":\\"api_key\\"/);
  assert.ok(text.includes(IMPORTED));
});

G('no call, no grant and no variable', () => {
  const bare = new DeliveryHistoryStack(
    new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [] } }),
    'DeliveryHistory-no-creds',
  );
  const t = JSON.stringify(Template.fromStack(bare).toJSON());
  assert.not.match(t, /secretsmanager:|DELIVERY_ENDPOINT_CREDENTIALS/);
});

G.run();
