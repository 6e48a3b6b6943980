// The real stack with its options on (customer-managed key, X-Ray tracing, alarm topic, a
// stage), synthesized once: encryption follows the key, each grant stays scoped, and the
// only new wildcard is X-Ray's (which has no resource-level permissions).
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DeliveryHistory } from '../src/DeliveryHistory.js';
import { DeliveryHistoryStack } from '../src/DeliveryHistoryStack.js';
import {
  getAtt,
  grantsOf,
  eventRules,
  onlyEventRule,
  onlyResource,
  props,
  resourcesOf,
  statementsOfRole,
  wildcards,
} from './support/templateQueries.js';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:delivery-ops';
const app = new App({
  builtinCloudFormationValidation: false,
  context: {
    'aws:cdk:bundling-stacks': [],
    stage: 'prod',
    customerManagedKey: 'true',
    tracing: 'true',
    alarmTopicArn: TOPIC,
    lambdaRuntime: 'nodejs22.x',
    retentionDays: '30',
    breaker: 'false',
  },
});
const stack = new DeliveryHistoryStack(app, 'DeliveryHistory-prod');
const template = Template.fromStack(stack);
const [keyId, key] = onlyResource(template, 'AWS::KMS::Key');
const keyArn = getAtt(keyId, 'Arn');
const json = (v: unknown) => JSON.stringify(v);

const Options = suite('stack options: customer-managed key, tracing, alarm topic, stage');

Options('the key rotates and outlives the stack (the retained table needs it)', () => {
  assert.is(props(key).EnableKeyRotation, true);
  assert.is(key.DeletionPolicy, 'Retain');
});

Options('prod keeps the table (deletion protection, retained) and the log groups', () => {
  const [, table] = onlyResource(template, 'AWS::DynamoDB::Table');
  assert.is(props(table).DeletionProtectionEnabled, true);
  assert.is(table.DeletionPolicy, 'Retain');
  assert.is(table.UpdateReplacePolicy, 'Retain');
  for (const [id, lg] of resourcesOf(template, 'AWS::Logs::LogGroup')) assert.is(lg.DeletionPolicy, 'Retain', id);
});

Options('customer-key mode encrypts the log groups too; the key lets CloudWatch Logs of this account use it', () => {
  const groups = resourcesOf(template, 'AWS::Logs::LogGroup');
  assert.is(groups.length, 3, 'worker, projector, drain');
  for (const [id, lg] of groups) assert.equal(props(lg).KmsKeyId, keyArn, id);
  const statements = (
    props(key).KeyPolicy as { Statement: { Sid?: string; Principal?: unknown; Condition?: unknown }[] }
  ).Statement;
  const logs = statements.find((st) => st.Sid === 'CloudWatchLogsOfThisAccount');
  assert.ok(logs !== undefined);
  assert.match(json(logs?.Principal), /"logs\./);
  assert.match(json(logs?.Condition), /kms:EncryptionContext:aws:logs:arn/);
});

Options('the table and the three queues of deliveries are encrypted with the key', () => {
  const [, table] = onlyResource(template, 'AWS::DynamoDB::Table');
  assert.equal(props(table).SSESpecification, { KMSMasterKeyId: keyArn, SSEEnabled: true, SSEType: 'KMS' });
  assert.is(props(table).TableName, 'delivery-history-prod');
  // The operator-events rule target's DLQ is SQS-managed: EventBridge sends to it with no key policy of ours.
  const queues = resourcesOf(template, 'AWS::SQS::Queue').filter(
    ([, q]) => props(q).QueueName !== 'delivery-history-prod-events-target-dlq',
  );
  assert.is(queues.length, 3);
  for (const [id, q] of queues) {
    assert.equal(props(q).KmsMasterKeyId, keyArn, id);
    assert.match(String(props(q).QueueName), /^delivery-history-prod-/);
  }
});

Options('each role may use the key (named actions, this key only) and write X-Ray traces', () => {
  const roles = resourcesOf(template, 'AWS::IAM::Role');
  assert.is(roles.length, 3, 'worker, projector, drain');
  for (const [roleId] of roles) {
    const grants = grantsOf(statementsOfRole(template, roleId));
    for (const a of ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'])
      assert.equal(grants[a], [json(keyArn)], `${roleId} ${a}`);
    assert.equal(grants['xray:PutTraceSegments'], [json('*')]);
    assert.equal(grants['xray:PutTelemetryRecords'], [json('*')]);
    assert.equal(
      Object.keys(grants)
        .filter((a) => a.startsWith('kms:'))
        .sort(),
      ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
    );
  }
});

Options('the only wildcards are X-Ray (no resource scoping exists) and ListStreams on this table', () => {
  const all = resourcesOf(template, 'AWS::IAM::Policy').flatMap(
    ([, r]) => (props(r).PolicyDocument as { Statement: Parameters<typeof wildcards>[0] }).Statement,
  );
  const w = wildcards(all);
  assert.equal(w.actions, []);
  const unexpected = w.resources.filter(
    (r) => r !== 'xray:PutTraceSegments,xray:PutTelemetryRecords on "*"' && !r.startsWith('dynamodb:ListStreams on '),
  );
  assert.equal(unexpected, []);
});

Options('functions trace actively and run the chosen runtime', () => {
  for (const [id, f] of resourcesOf(template, 'AWS::Lambda::Function')) {
    assert.equal(props(f).TracingConfig, { Mode: 'Active' }, id);
    assert.is(props(f).Runtime, 'nodejs22.x', id);
  }
});

Options('retentionDays reaches both functions as DELIVERY_RETENTION_DAYS; the table has TTL on', () => {
  const fns = resourcesOf(template, 'AWS::Lambda::Function').map(
    ([, f]) => (props(f).Environment as { Variables: Record<string, unknown> } | undefined)?.Variables ?? {},
  );
  const withRetention = fns.filter((v) => v.DELIVERY_RETENTION_DAYS === '30');
  assert.ok(withRetention.length >= 2, 'worker and projector');
  // breaker: false turns the endpoint breaker off in both
  assert.equal(
    fns.filter((v) => v.DELIVERY_BREAKER !== undefined).map((v) => v.DELIVERY_BREAKER),
    ['off', 'off'],
  );
  const [, table] = onlyResource(template, 'AWS::DynamoDB::Table');
  assert.equal(props(table).TimeToLiveSpecification, { AttributeName: 'expiresAt', Enabled: true });
});

Options('every alarm notifies the topic on alarm and on recovery', () => {
  const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm');
  assert.is(alarms.length, 17);
  for (const [id, a] of alarms) {
    assert.equal(props(a).AlarmActions, [TOPIC], id);
    assert.equal(props(a).OKActions, [TOPIC], id);
  }
});

Options('cdk-nag passes with the options on', () => {
  const report = new AwsSolutionsChecks().validateScope(stack);
  assert.equal(
    report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.resourceLogicalId).join(',')}`),
    [],
  );
});

Options('a prod stage without an alarm topic is refused (its alarms would notify no one)', () => {
  const bare = new DeliveryHistoryStack(
    new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [], stage: 'prod' } }),
    'DeliveryHistory-prod-silent',
  );
  Annotations.fromStack(bare).hasError('*', Match.stringLikeRegexp('stage prod without an alarm topic'));
  // and a stage other than prod is not
  assert.equal(
    Annotations.fromStack(
      new DeliveryHistoryStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Dev'),
    ).findError('*', Match.anyValue()),
    [],
  );
});

Options(
  'sealCredentialsWith: data keys and decrypt on the seal key for the worker only, its id in the worker env',
  () => {
    const s = new DeliveryHistoryStack(
      new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [] } }),
      'DeliveryHistory-seal',
    );
    const seal = new kms.Key(s, 'SealKey');
    s.deliveryHistory.sealCredentialsWith(seal);
    // support roles read ciphertext only: neither grant may name the seal key
    const reader = new iam.Role(s, 'Support', { assumedBy: new iam.AccountRootPrincipal() });
    s.deliveryHistory.grantOperate(reader);
    const t = Template.fromStack(s);
    const sealArn = json(getAtt(s.getLogicalId(seal.node.defaultChild as kms.CfnKey), 'Arn'));
    const roleOf = (name: string) => {
      const [, f] = resourcesOf(t, 'AWS::Lambda::Function').find(([, r]) => props(r).FunctionName === name) ?? [];
      return ((f?.Properties?.Role as { 'Fn::GetAtt': [string] }) ?? { 'Fn::GetAtt': [''] })['Fn::GetAtt'][0];
    };
    const worker = grantsOf(statementsOfRole(t, roleOf('delivery-history-dev-worker')));
    assert.equal(worker['kms:Decrypt'], [sealArn]);
    assert.equal(worker['kms:GenerateDataKey'], [sealArn]);
    assert.is(worker['kms:Encrypt'], undefined);
    const projector = grantsOf(statementsOfRole(t, roleOf('delivery-history-dev-projector')));
    assert.is(projector['kms:Decrypt'], undefined);
    const [, fn] =
      resourcesOf(t, 'AWS::Lambda::Function').find(
        ([, r]) => props(r).FunctionName === 'delivery-history-dev-worker',
      ) ?? [];
    const env = (fn?.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
    assert.equal(json(env.DELIVERY_SEAL_KEY_ID), sealArn);
    const support = grantsOf(statementsOfRole(t, s.getLogicalId(reader.node.defaultChild as iam.CfnRole)));
    assert.ok(!JSON.stringify(support).includes(JSON.stringify(sealArn)), 'no support grant names the seal key');
  },
);

Options('vpc: every function in its private subnets, each with its own security group; cdk-nag passes', () => {
  const s = new Stack(
    new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [] } }),
    'DeliveryHistory-vpc',
  );
  const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 2, natGateways: 1 });
  // (the cast: exactOptionalPropertyTypes over CDK's own declarations, as for any IVpc prop)
  new DeliveryHistory(s, 'Dh', {
    vpc: vpc as ec2.IVpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
  });
  const t = Template.fromStack(s);
  const fns = resourcesOf(t, 'AWS::Lambda::Function');
  assert.is(fns.length, 3, 'worker, projector, drain');
  const privateSubnets = vpc.privateSubnets.map((n) =>
    json({ Ref: s.getLogicalId(n.node.defaultChild as ec2.CfnSubnet) }),
  );
  for (const [id, f] of fns) {
    const config = props(f).VpcConfig as { SubnetIds: unknown[]; SecurityGroupIds: unknown[] };
    assert.equal(config.SubnetIds.map(json).sort(), [...privateSubnets].sort(), id);
    assert.is(config.SecurityGroupIds.length, 1, id);
  }
  assert.equal(
    new AwsSolutionsChecks()
      .validateScope(s)
      .violations.map((v) => v.ruleName)
      .filter((r) => r.includes('IAM4') || r.includes('L1') || r.includes('SQS')),
    [],
  );
});

Options.run();

// ---------------------------------------------------------------------------

const EventBus = suite('context eventBus: default (the account default bus) and off');

const stackWith = (eventBus: string) => {
  const s = new DeliveryHistoryStack(
    new App({
      builtinCloudFormationValidation: false,
      context: { 'aws:cdk:bundling-stacks': [], stage: eventBus, eventBus },
    }),
    `DeliveryHistory-${eventBus}`,
  );
  return { s, t: Template.fromStack(s) };
};

const projectorOf = (t: Template) => {
  const fns = resourcesOf(t, 'AWS::Lambda::Function').filter(([, f]) =>
    String(props(f).FunctionName).endsWith('-projector'),
  );
  const [id, f] = fns[0] ?? ['', { Type: '' }];
  const role = (props(f).Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return { id, env: (props(f).Environment as { Variables: Record<string, unknown> }).Variables, role };
};

EventBus('default: no bus resource; the rule and PutEvents are on the default bus', () => {
  const { s, t } = stackWith('default');
  assert.is(resourcesOf(t, 'AWS::Events::EventBus').length, 0);
  const p = projectorOf(t);
  assert.is(p.env.DELIVERY_EVENT_BUS_NAME, 'default');
  const grants = grantsOf(statementsOfRole(t, p.role));
  assert.match(json(grants['events:PutEvents']), /:event-bus\/default/);
  const [, rule] = onlyEventRule(t);
  assert.is(props(rule).EventBusName, 'default');
  assert.is(resourcesOf(t, 'AWS::CloudWatch::Alarm').length, 17);
  // the VPC's own findings are the test's; nothing of DeliveryHistory's (IAM4 of the VPC policy acknowledged)
  const ours = new AwsSolutionsChecks()
    .validateScope(s)
    .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName}: ${r.resourceLogicalId}`))
    .filter((v) => v.includes(': Dh'));
  assert.equal(ours, []);
});

EventBus('off: no bus, rule, topic or PutEvents; the variable is unset; no publish alarm', () => {
  const { s, t } = stackWith('off');
  for (const type of ['AWS::Events::EventBus', 'AWS::SNS::Topic']) assert.is(resourcesOf(t, type).length, 0, type);
  assert.is(eventRules(t).length, 0, 'only the drain schedule');
  const p = projectorOf(t);
  assert.is(p.env.DELIVERY_EVENT_BUS_NAME, undefined);
  assert.is(grantsOf(statementsOfRole(t, p.role))['events:PutEvents'], undefined);
  // no publish-failure, target-failure or target-DLQ alarm
  assert.is(resourcesOf(t, 'AWS::CloudWatch::Alarm').length, 14);
  assert.equal(new AwsSolutionsChecks().validateScope(s).violations, []);
});

EventBus('an existing bus: none created; the rule, PutEvents and the variable use it', () => {
  const s = new Stack(
    new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [] } }),
    'DeliveryHistory-bus',
  );
  const bus = events.EventBus.fromEventBusName(s, 'TeamBus', 'team-bus');
  new DeliveryHistory(s, 'Dh', { eventBus: bus });
  const t = Template.fromStack(s);
  assert.is(resourcesOf(t, 'AWS::Events::EventBus').length, 0);
  const [, rule] = onlyEventRule(t);
  assert.is(props(rule).EventBusName, 'team-bus');
  const p = projectorOf(t);
  assert.is(p.env.DELIVERY_EVENT_BUS_NAME, 'team-bus');
  assert.match(json(grantsOf(statementsOfRole(t, p.role))['events:PutEvents']), /:event-bus\/team-bus/);
});

EventBus.run();
