// The real stack with default settings, synthesized once for the whole file: table from the
// shared definition, queues, event sources, least-privilege IAM, alarms, cdk-nag.
// Bundling is skipped here (`aws:cdk:bundling-stacks: []`): the template does not depend on
// the bundle's content; synth.test.ts and lambdaBundles.test.ts bundle for real.
import { matchesStreamFilter } from '@delivery-history/store';
import { STREAM_FILTER_CRITERIA } from '@delivery-history/store/testing';
import { TABLE } from '@delivery-history/store';
import { createTableInput } from '@delivery-history/store/testing';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DeliveryHistoryStack } from '../src/DeliveryHistoryStack.js';
import {
  getAtt,
  grantsOf,
  idOf,
  onlyEventRule,
  onlyResource,
  props,
  ref,
  resourcesOf,
  statementsOfRole,
  wildcards,
} from './support/templateQueries.js';

const app = new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [] } });
const stack = new DeliveryHistoryStack(app, 'DeliveryHistory-test');
const template = Template.fromStack(stack);

const [tableId, table] = onlyResource(template, 'AWS::DynamoDB::Table');
const queueId = (name: string) => idOf(template, 'AWS::SQS::Queue', { QueueName: name });
const deliveriesId = queueId('delivery-history-dev-deliveries');
const dlqId = queueId('delivery-history-dev-deliveries-dlq');
const failuresId = queueId('delivery-history-dev-projector-failures');
const fnId = (name: string) => idOf(template, 'AWS::Lambda::Function', { FunctionName: name });
const workerId = fnId('delivery-history-dev-worker');
const projectorId = fnId('delivery-history-dev-projector');
const drainId = fnId('delivery-history-dev-drain');
const fnProps = (id: string) => props(template.toJSON().Resources[id]);
const roleIdOf = (fnLogicalId: string): string =>
  ((fnProps(fnLogicalId).Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'] ?? [])[0];
const logGroupIdOf = (fnLogicalId: string): string =>
  ((fnProps(fnLogicalId).LoggingConfig as { LogGroup: { Ref: string } }).LogGroup ?? { Ref: '' }).Ref;
const mappingOf = (fnLogicalId: string): Record<string, unknown> => {
  const hits = resourcesOf(template, 'AWS::Lambda::EventSourceMapping').filter(
    ([, r]) => JSON.stringify(props(r).FunctionName) === JSON.stringify(ref(fnLogicalId)),
  );
  assert.is(hits.length, 1, `one event source for ${fnLogicalId}`);
  return props((hits[0] as [string, { Type: string }])[1]);
};

// ---------------------------------------------------------------------------

const Table = suite('table: built from the shared definition');

Table('keys and indexes equal what the local table is created from', () => {
  const local = createTableInput('delivery-history-dev', TABLE);
  const p = props(table);
  assert.is(p.TableName, 'delivery-history-dev');
  assert.equal(p.KeySchema, local.KeySchema);
  const byName = (a: unknown) =>
    [...(a as { AttributeName: string }[])].sort((x, y) => x.AttributeName.localeCompare(y.AttributeName));
  assert.equal(byName(p.AttributeDefinitions), byName(local.AttributeDefinitions));
  assert.equal(p.GlobalSecondaryIndexes, local.GlobalSecondaryIndexes);
  assert.is((p.GlobalSecondaryIndexes as unknown[]).length, TABLE.globalSecondaryIndexes.length);
});

Table('on-demand, stream of new images, PITR, TTL on the shared attribute; a dev stage is not retained', () => {
  const p = props(table);
  assert.is(p.BillingMode, 'PAY_PER_REQUEST');
  assert.equal(p.StreamSpecification, { StreamViewType: 'NEW_IMAGE' });
  assert.equal(p.PointInTimeRecoverySpecification, { PointInTimeRecoveryEnabled: true });
  // dev: destroyed with the stack (prod retains it with deletion protection: stackOptions.test.ts)
  assert.is(p.DeletionProtectionEnabled, false);
  assert.is(table.DeletionPolicy, 'Delete');
  assert.is(table.UpdateReplacePolicy, 'Delete');
  // retention: TTL is enabled on the store's attribute; only final messages carry it, and only
  // when retentionDays is set (without it no item has the attribute, so none expires)
  assert.equal(p.TimeToLiveSpecification, { AttributeName: TABLE.timeToLiveAttribute, Enabled: true });
  assert.is(TABLE.timeToLiveAttribute, 'expiresAt');
  // Default encryption: the AWS-owned key (customer-managed is an option, see stackOptions.test.ts).
  assert.is(p.SSESpecification, undefined);
});

Table.run();

// ---------------------------------------------------------------------------

const Queues = suite('queues: delivery queue, DLQ with a way back, projector failures');

Queues('the delivery queue dead-letters after more receives than any message has attempts', () => {
  const q = props(template.toJSON().Resources[deliveriesId]);
  const redrive = q.RedrivePolicy as { deadLetterTargetArn: unknown; maxReceiveCount: number };
  assert.equal(redrive.deadLetterTargetArn, getAtt(dlqId, 'Arn'));
  const env = (fnProps(workerId).Environment as { Variables: Record<string, string> }).Variables;
  assert.ok(redrive.maxReceiveCount > Number(env.DELIVERY_MAX_ATTEMPTS), 'over the default maxAttempts');
  assert.ok(redrive.maxReceiveCount > 100, 'over the largest maxAttempts a request may ask for');
});

Queues('visibility timeout >= 6x the worker timeout plus its batching window (AWS guidance)', () => {
  const q = props(template.toJSON().Resources[deliveriesId]);
  const timeout = fnProps(workerId).Timeout as number;
  const window = mappingOf(workerId).MaximumBatchingWindowInSeconds as number;
  assert.ok((q.VisibilityTimeout as number) >= 6 * timeout + window, `${q.VisibilityTimeout} vs ${timeout}`);
});

Queues('the DLQ accepts only the delivery queue and keeps messages 14 days', () => {
  const d = props(template.toJSON().Resources[dlqId]);
  const allow = d.RedriveAllowPolicy as { redrivePermission: string; sourceQueueArns: unknown[] };
  assert.is(allow.redrivePermission, 'byQueue');
  assert.is(allow.sourceQueueArns.length, 1);
  assert.match(JSON.stringify(allow.sourceQueueArns[0]), /:delivery-history-dev-deliveries"/);
  assert.is(d.MessageRetentionPeriod, 14 * 24 * 3600);
});

Queues('every queue is encrypted and refuses non-TLS requests', () => {
  const queues = resourcesOf(template, 'AWS::SQS::Queue');
  // deliveries, its DLQ, projector failures, the operator-events rule target's DLQ
  assert.is(queues.length, 4);
  for (const [id, q] of queues) {
    assert.is(props(q).SqsManagedSseEnabled, true, id);
    const policies = resourcesOf(template, 'AWS::SQS::QueuePolicy').filter(([, p]) =>
      JSON.stringify(props(p).Queues).includes(id),
    );
    const denies = policies.flatMap(([, p]) =>
      (props(p).PolicyDocument as { Statement: { Effect: string; Condition?: unknown }[] }).Statement.filter(
        (s) => s.Effect === 'Deny' && JSON.stringify(s.Condition).includes('"aws:SecureTransport":"false"'),
      ),
    );
    assert.is(denies.length, 1, `${id} denies plain HTTP`);
  }
});

Queues.run();

// ---------------------------------------------------------------------------

const Worker = suite('worker: bundled Node 22 function on the delivery queue');

Worker('Node 22 ESM bundle, handler export, environment from the stack', () => {
  const f = fnProps(workerId);
  assert.is(f.Runtime, 'nodejs22.x');
  assert.is(f.Handler, 'index.handler');
  const env = (f.Environment as { Variables: Record<string, unknown> }).Variables;
  assert.equal(env.DELIVERY_TABLE_NAME, ref(tableId));
  assert.equal(env.DELIVERY_QUEUE_URL, ref(deliveriesId));
  assert.is(env.DELIVERY_MAX_ATTEMPTS, '8');
  assert.is(env.DELIVERY_TIMEOUT_MS, '15000');
  // retention is off by default: no variable, so the worker writes no TTL
  assert.is(env.DELIVERY_RETENTION_DAYS, undefined);
  assert.ok((f.Timeout as number) * 1000 > Number(env.DELIVERY_TIMEOUT_MS));
  // the breaker is on by default in a deployment: worker and projector both (issue 27)
  const projectorEnv = (fnProps(projectorId).Environment as { Variables: Record<string, unknown> }).Variables;
  assert.equal([env.DELIVERY_BREAKER, projectorEnv.DELIVERY_BREAKER], ['on', 'on']);
});

Worker('SQS event source: partial batch responses, batch size, window, max concurrency', () => {
  const m = mappingOf(workerId);
  assert.equal(m.EventSourceArn, getAtt(deliveriesId, 'Arn'));
  assert.equal(m.FunctionResponseTypes, ['ReportBatchItemFailures']);
  assert.is(m.BatchSize, 10);
  assert.is(m.MaximumBatchingWindowInSeconds, 1);
  assert.equal(m.ScalingConfig, { MaximumConcurrency: 20 });
});

Worker('logs go to its own group with a retention, as JSON (platform lines too)', () => {
  const lg = props(template.toJSON().Resources[logGroupIdOf(workerId)]);
  assert.is(lg.LogGroupName, '/aws/lambda/delivery-history-dev-worker');
  assert.is(lg.RetentionInDays, 30);
  for (const id of [workerId, projectorId])
    assert.is((fnProps(id).LoggingConfig as { LogFormat?: string }).LogFormat, 'JSON', id);
});

Worker('its hand-off to its own queue is allowed to loop (the projector keeps the default)', () => {
  assert.is(fnProps(workerId).RecursiveLoop, 'Allow');
  assert.is(fnProps(projectorId).RecursiveLoop, undefined);
  assert.is(props(template.toJSON().Resources[deliveriesId]).MaximumMessageSize, 1_048_576);
});

Worker('its table statement is limited to message partitions; the projector to messages and health', () => {
  const condition = (fnId: string, sid: string) =>
    statementsOfRole(template, roleIdOf(fnId)).find((st) => st.Sid === sid)?.Condition;
  assert.equal(condition(workerId, 'DeliveryTable'), {
    'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['MSG#*', 'BREAKER', 'HELD#*'] },
  });
  assert.equal(condition(projectorId, 'AuditSegments'), {
    'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['MSG#*', 'HEALTH#*', 'HEALTHIDX#*', 'BREAKER'] },
  });
});

Worker.run();

// ---------------------------------------------------------------------------

const Projector = suite('projector: table stream, attempt inserts only, bounded retries');

Projector('stream event source: filter, bisect, bounded retries and age, partial failures, on-failure queue', () => {
  const m = mappingOf(projectorId);
  assert.equal(m.EventSourceArn, getAtt(tableId, 'StreamArn'));
  assert.is(m.StartingPosition, 'TRIM_HORIZON');
  assert.is(m.BisectBatchOnFunctionError, true);
  assert.equal(m.FunctionResponseTypes, ['ReportBatchItemFailures']);
  const retries = m.MaximumRetryAttempts as number;
  const age = m.MaximumRecordAgeInSeconds as number;
  assert.ok(retries >= 0 && retries <= 20, `bounded retries (${retries})`);
  assert.ok(age > 0 && age < 24 * 3600, `bounded record age under the stream's 24 h (${age})`);
  assert.equal(m.DestinationConfig, { OnFailure: { Destination: getAtt(failuresId, 'Arn') } });
});

Projector("only INSERTs of ATTEMPT and REDRIVE items reach the function (the projector's own filter)", () => {
  const m = mappingOf(projectorId);
  const filters = (m.FilterCriteria as { Filters: { Pattern: string }[] }).Filters;
  assert.equal(filters, STREAM_FILTER_CRITERIA.Filters);
  const record = (eventName: string, sk: string) => ({
    eventName,
    dynamodb: { Keys: { pk: { S: 'MSG#m1' }, sk: { S: sk } } },
  });
  // The deployed patterns, evaluated the way the projector's local poller evaluates them.
  assert.ok(matchesStreamFilter(record('INSERT', 'ATTEMPT#000001')));
  assert.ok(matchesStreamFilter(record('INSERT', 'REDRIVE#0001')));
  assert.not.ok(matchesStreamFilter(record('MODIFY', 'ATTEMPT#000001')));
  assert.not.ok(matchesStreamFilter(record('INSERT', 'STATE')));
  assert.not.ok(matchesStreamFilter(record('INSERT', 'AUDIT#0000')));
  for (const f of filters) assert.match(f.Pattern, /"eventName":\["INSERT"\]/);
});

Projector('Node 22 ESM bundle with the table name', () => {
  const f = fnProps(projectorId);
  assert.is(f.Runtime, 'nodejs22.x');
  assert.is(f.Handler, 'index.handler');
  assert.equal((f.Environment as { Variables: Record<string, unknown> }).Variables.DELIVERY_TABLE_NAME, ref(tableId));
});

Projector.run();

// ---------------------------------------------------------------------------

const Drain = suite('drain: a scheduled sweep over held messages, one at a time');

Drain('Node 22 ESM bundle, table and queue from the stack, one concurrent sweep, a timeout above its margin', () => {
  const f = fnProps(drainId);
  assert.is(f.Runtime, 'nodejs22.x');
  assert.is(f.Handler, 'index.handler');
  const env = (f.Environment as { Variables: Record<string, unknown> }).Variables;
  assert.equal(env.DELIVERY_TABLE_NAME, ref(tableId));
  assert.equal(env.DELIVERY_QUEUE_URL, ref(deliveriesId));
  assert.is(env.POWERTOOLS_SERVICE_NAME, 'delivery-drain');
  // two sweeps side by side would drain an endpoint at twice its cap
  assert.is(f.ReservedConcurrentExecutions, 1);
  // it stops 10 s before its timeout (DRAIN_MARGIN_MS)
  assert.ok((f.Timeout as number) > 10, `timeout ${f.Timeout}`);
  assert.is((f.LoggingConfig as { LogFormat?: string }).LogFormat, 'JSON');
  const lg = props(template.toJSON().Resources[logGroupIdOf(drainId)]);
  assert.is(lg.LogGroupName, '/aws/lambda/delivery-history-dev-drain');
});

Drain('a rule starts it every minute, with no retries (the next sweep redoes a failed one)', () => {
  const schedules = resourcesOf(template, 'AWS::Events::Rule').filter(
    ([, r]) => props(r).ScheduleExpression !== undefined,
  );
  assert.is(schedules.length, 1);
  const r = props((schedules[0] as [string, { Type: string }])[1]);
  assert.is(r.ScheduleExpression, 'rate(1 minute)');
  const targets = r.Targets as Record<string, unknown>[];
  assert.equal(
    targets.map((t) => t.Arn),
    [getAtt(drainId, 'Arn')],
  );
  assert.equal(targets[0]?.RetryPolicy, { MaximumEventAgeInSeconds: 60, MaximumRetryAttempts: 0 });
  // EventBridge may invoke it (and nothing else is granted)
  const perms = resourcesOf(template, 'AWS::Lambda::Permission').filter(
    ([, p]) => json(props(p).FunctionName) === json(getAtt(drainId, 'Arn')),
  );
  assert.is(perms.length, 1);
  assert.is(props((perms[0] as [string, { Type: string }])[1]).Principal, 'events.amazonaws.com');
});

Drain('no event source mapping: only the schedule invokes it', () => {
  const hits = resourcesOf(template, 'AWS::Lambda::EventSourceMapping').filter(
    ([, r]) => json(props(r).FunctionName) === json(ref(drainId)),
  );
  assert.is(hits.length, 0);
});

Drain.run();

// ---------------------------------------------------------------------------

const Events = suite('operator events: a bus, PutEvents on it only, an example rule to SNS');

Events('a bus of the stack, named after the prefix; the projector publishes to it', () => {
  const [, bus] = onlyResource(template, 'AWS::Events::EventBus');
  assert.is(props(bus).Name, 'delivery-history-dev-events');
  const env = (fnProps(projectorId).Environment as { Variables: Record<string, unknown> }).Variables;
  assert.equal(env.DELIVERY_EVENT_BUS_NAME, ref(busId));
  const workerEnv = (fnProps(workerId).Environment as { Variables: Record<string, unknown> }).Variables;
  assert.is(workerEnv.DELIVERY_EVENT_BUS_NAME, undefined, 'only the projector publishes');
});

Events('the example rule routes delivery.failed (source delivery-history) on that bus to an SNS topic', () => {
  const [topicId, topic] = onlyResource(template, 'AWS::SNS::Topic');
  assert.is(props(topic).TopicName, 'delivery-history-dev-delivery-failed');
  const [, rule] = onlyEventRule(template);
  const r = props(rule);
  assert.equal(r.EventBusName, ref(busId));
  assert.equal(r.EventPattern, { source: ['delivery-history'], 'detail-type': ['delivery.failed'] });
  assert.equal(
    (r.Targets as { Arn: unknown }[]).map((t) => t.Arn),
    [ref(topicId)],
  );
  // EventBridge may publish to the topic (topic policy), and only over TLS for everyone else
  const [, policy] = onlyResource(template, 'AWS::SNS::TopicPolicy');
  const doc = json(props(policy).PolicyDocument);
  assert.match(doc, /"Service":"events.amazonaws.com"/);
  assert.match(doc, /"aws:SecureTransport":"false"/);
});

Events.run();

// ---------------------------------------------------------------------------

const Iam = suite('IAM: each function gets exactly what its code calls');

const json = (v: unknown) => JSON.stringify(v);
const tableArn = json(getAtt(tableId, 'Arn'));
const [busId] = onlyResource(template, 'AWS::Events::EventBus');
const busArn = json(getAtt(busId, 'Arn'));

Iam('three roles, assumed by Lambda only, no managed or inline policies', () => {
  const roles = resourcesOf(template, 'AWS::IAM::Role');
  assert.equal(roles.map(([id]) => id).sort(), [roleIdOf(projectorId), roleIdOf(workerId), roleIdOf(drainId)].sort());
  for (const [id, r] of roles) {
    const p = props(r);
    assert.is(p.ManagedPolicyArns, undefined, id);
    assert.is(p.Policies, undefined, id);
    assert.match(json(p.AssumeRolePolicyDocument), /"Service":"lambda.amazonaws.com"/);
  }
});

Iam('worker: table item actions on the table, queue actions on its queue, its own logs', () => {
  const logs = json(getAtt(logGroupIdOf(workerId), 'Arn'));
  const queue = json(getAtt(deliveriesId, 'Arn'));
  assert.equal(grantsOf(statementsOfRole(template, roleIdOf(workerId))), {
    'logs:CreateLogStream': [logs],
    'logs:PutLogEvents': [logs],
    'dynamodb:GetItem': [tableArn],
    'dynamodb:PutItem': [tableArn],
    'dynamodb:UpdateItem': [tableArn],
    'dynamodb:Query': [tableArn],
    'sqs:ReceiveMessage': [queue],
    'sqs:DeleteMessage': [queue],
    'sqs:GetQueueAttributes': [queue],
    'sqs:ChangeMessageVisibility': [queue],
    'sqs:SendMessage': [queue],
  });
});

Iam('projector: audit item actions on the table, stream reads, send to its failure queue, its own logs', () => {
  const logs = json(getAtt(logGroupIdOf(projectorId), 'Arn'));
  const stream = json(getAtt(tableId, 'StreamArn'));
  const failures = json(getAtt(failuresId, 'Arn'));
  const tableStreams = json({ 'Fn::Join': ['', [getAtt(tableId, 'Arn'), '/stream/*']] });
  assert.equal(grantsOf(statementsOfRole(template, roleIdOf(projectorId))), {
    'logs:CreateLogStream': [logs],
    'logs:PutLogEvents': [logs],
    'dynamodb:GetItem': [tableArn],
    'dynamodb:BatchGetItem': [tableArn],
    'dynamodb:PutItem': [tableArn],
    'dynamodb:UpdateItem': [tableArn],
    'dynamodb:BatchWriteItem': [tableArn],
    'dynamodb:Query': [tableArn],
    'dynamodb:DescribeStream': [stream],
    'dynamodb:GetRecords': [stream],
    'dynamodb:GetShardIterator': [stream],
    'dynamodb:ListStreams': [tableStreams],
    'sqs:SendMessage': [failures],
    'events:PutEvents': [busArn],
  });
});

Iam(
  'drain: held-message item actions on the table (no stream, no index), SendMessage on the delivery queue, its own logs',
  () => {
    const logs = json(getAtt(logGroupIdOf(drainId), 'Arn'));
    const queue = json(getAtt(deliveriesId, 'Arn'));
    const statements = statementsOfRole(template, roleIdOf(drainId));
    assert.equal(grantsOf(statements), {
      'logs:CreateLogStream': [logs],
      'logs:PutLogEvents': [logs],
      'dynamodb:GetItem': [tableArn],
      'dynamodb:Query': [tableArn],
      'dynamodb:PutItem': [tableArn],
      'dynamodb:UpdateItem': [tableArn],
      'dynamodb:DeleteItem': [tableArn],
      'sqs:SendMessage': [queue],
    });
    // messages, the breakers (read) and the held registry: not health, audit heads or checkpoints
    assert.equal(statements.find((st) => st.Sid === 'HeldMessages')?.Condition, {
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['MSG#*', 'BREAKER', 'HELD#*'] },
    });
  },
);

Iam('no wildcard action anywhere; the only wildcard resource is ListStreams on this table', () => {
  const all = resourcesOf(template, 'AWS::IAM::Policy').flatMap(
    ([, r]) => (props(r).PolicyDocument as { Statement: Parameters<typeof wildcards>[0] }).Statement,
  );
  assert.ok(all.length > 0);
  const w = wildcards(all);
  assert.equal(w.actions, []);
  assert.equal(w.resources, [
    `dynamodb:ListStreams on ${json({ 'Fn::Join': ['', [getAtt(tableId, 'Arn'), '/stream/*']] })}`,
  ]);
});

Iam('the wildcard scanner sees wildcards (guards against a vacuous pass)', () => {
  const w = wildcards([{ Effect: 'Allow', Action: ['dynamodb:*'], Resource: '*' }]);
  assert.equal(w.actions, ['dynamodb:*']);
  assert.equal(w.resources, ['dynamodb:* on "*"']);
});

Iam.run();

// ---------------------------------------------------------------------------

const Alarms = suite('alarms an operator needs');

type AlarmProps = Record<string, unknown> & {
  MetricName?: string;
  Metrics?: { Expression?: string; MetricStat?: { Metric: { MetricName: string } } }[];
};
const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm').map(([, r]) => props(r) as AlarmProps);
const alarmOn = (metric: string, dimension: unknown): AlarmProps => {
  const hits = alarms.filter(
    (a) =>
      (a.MetricName === metric || (a.Metrics ?? []).some((m) => m.MetricStat?.Metric.MetricName === metric)) &&
      json(a).includes(json(dimension)),
  );
  assert.is(hits.length, 1, `one alarm on ${metric} of ${json(dimension)}`);
  return hits[0] as AlarmProps;
};

Alarms('DLQ depth and projector on-failure depth: one message is enough', () => {
  for (const q of [dlqId, failuresId]) {
    const a = alarmOn('ApproximateNumberOfMessagesVisible', getAtt(q, 'QueueName'));
    assert.is(a.Threshold, 1);
    assert.is(a.ComparisonOperator, 'GreaterThanOrEqualToThreshold');
  }
});

Alarms('projector iterator age, worker errors and throttles, projector errors, drain errors', () => {
  assert.is(alarmOn('IteratorAge', ref(projectorId)).Threshold, 300_000);
  alarmOn('Errors', ref(workerId));
  alarmOn('Throttles', ref(workerId));
  alarmOn('Errors', ref(projectorId));
  // as the others: 3 of 5 minutes with an error
  const drain = alarmOn('Errors', ref(drainId));
  assert.equal([drain.Threshold, drain.DatapointsToAlarm, drain.EvaluationPeriods], [1, 3, 5]);
});

Alarms('held messages the drain could not release or expire: its DrainFailures metric', () => {
  const a = alarmOn('DrainFailures', { Name: 'service', Value: 'delivery-drain' });
  assert.is(a.Namespace, 'DeliveryHistory');
  assert.is(a.Statistic, 'Sum');
  assert.is(a.Threshold, 1);
});

Alarms('DynamoDB throttled requests and system errors across the operations used; transaction conflicts', () => {
  const throttles = alarmOn('ThrottledRequests', ref(tableId));
  const ops = json(throttles.Metrics);
  for (const op of ['GetItem', 'PutItem', 'UpdateItem', 'Query', 'TransactWriteItems'])
    assert.ok(ops.includes(`"${op}"`), op);
  assert.ok(json(alarmOn('SystemErrors', ref(tableId)).Metrics).includes('"GetRecords"'));
  assert.ok((alarmOn('TransactionConflict', ref(tableId)).Threshold as number) > 1, 'a rate, not a single conflict');
});

Alarms("failed operator-event publishes: the projector's EventPublishFailures metric, one is enough", () => {
  const a = alarmOn('EventPublishFailures', { Name: 'service', Value: 'delivery-projector' });
  assert.is(a.Namespace, 'DeliveryHistory');
  assert.is(a.Statistic, 'Sum');
  assert.is(a.Threshold, 1);
});

Alarms('a stalled worker is seen: oldest-message age and visible messages of the delivery queue', () => {
  const age = alarmOn('ApproximateAgeOfOldestMessage', getAtt(deliveriesId, 'QueueName'));
  assert.is(age.Threshold, 3600);
  assert.is(age.Statistic, 'Maximum');
  const backlog = alarmOn('ApproximateNumberOfMessagesVisible', getAtt(deliveriesId, 'QueueName'));
  assert.is(backlog.Threshold, 1000);
  // the lowest count of each 5 minutes stays high for 15 minutes: a backlog, not a burst
  assert.is(backlog.Statistic, 'Minimum');
  assert.is(backlog.EvaluationPeriods, 3);
});

Alarms('a projector that is never invoked while the table takes writes breaches the iterator-age alarm', () => {
  const a = alarmOn('IteratorAge', ref(projectorId));
  const metrics = a.Metrics ?? [];
  const expression = metrics.find((m) => m.Expression !== undefined)?.Expression ?? '';
  // writes but no iterator age: the threshold itself; no writes and no age: 0 (quiet, not breaching)
  assert.is(expression, 'IF(FILL(writes, 0) > 0, FILL(age, 300000), FILL(age, 0))');
  assert.ok(
    metrics.some((m) => m.MetricStat?.Metric.MetricName === 'ConsumedWriteCapacityUnits'),
    "the writes are the table's",
  );
  assert.ok(json(metrics).includes(json(ref(tableId))));
});

Alarms("the worker's outcomes-not-sent metric; the events rule target's failed invocations and its DLQ", () => {
  const notSent = alarmOn('OutcomesNotSent', { Name: 'service', Value: 'delivery-worker' });
  assert.is(notSent.Namespace, 'DeliveryHistory');
  assert.is(notSent.Threshold, 1);
  const [ruleId] = onlyEventRule(template);
  const failed = alarmOn('FailedInvocations', { Name: 'RuleName', Value: ref(ruleId) });
  assert.is(failed.Namespace, 'AWS/Events');
  const targetDlq = queueId('delivery-history-dev-events-target-dlq');
  alarmOn('ApproximateNumberOfMessagesVisible', getAtt(targetDlq, 'QueueName'));
  const target = (props(onlyEventRule(template)[1]).Targets as Record<string, unknown>[])[0] ?? {};
  assert.equal(target.DeadLetterConfig, { Arn: getAtt(targetDlq, 'Arn') });
  assert.equal(target.RetryPolicy, { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 8 });
});

Alarms('seventeen alarms, no actions unless a topic is configured, and a dashboard showing them', () => {
  assert.is(alarms.length, 17);
  for (const a of alarms) {
    // silence is caught by what the alarms measure (age, backlog, writes without a projector),
    // so no data is quiet
    assert.is(a.TreatMissingData, 'notBreaching');
    assert.is(a.AlarmActions, undefined);
  }
  const [, dashboard] = onlyResource(template, 'AWS::CloudWatch::Dashboard');
  const body = json(props(dashboard).DashboardBody);
  for (const [id] of resourcesOf(template, 'AWS::CloudWatch::Alarm')) assert.ok(body.includes(`"${id}"`), id);
});

Alarms('a dev stage can be destroyed and deployed again: nothing is retained, so no fixed name outlives it', () => {
  const retained = Object.entries(template.toJSON().Resources as Record<string, { DeletionPolicy?: string }>)
    .filter(([, r]) => r.DeletionPolicy === 'Retain' || r.DeletionPolicy === 'RetainExceptOnCreate')
    .map(([id]) => id);
  assert.equal(retained, []);
  assert.is(props(table).DeletionProtectionEnabled, false);
});

Alarms.run();

// ---------------------------------------------------------------------------

const Nag = suite('cdk-nag AwsSolutions');

const acknowledged = (): { path: string; id: string; reason: string }[] =>
  stack.node
    .findAll()
    .flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((m) =>
          Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ path: c.node.path, id, reason })),
        ),
    );

Nag('the pack finds nothing that is not acknowledged', () => {
  const report = new AwsSolutionsChecks().validateScope(stack);
  assert.equal(
    report.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.resourceLogicalId).join(',')}`),
    [],
  );
  assert.ok(report.success);
});

Nag('the pack does report findings (guards against a vacuous pass)', () => {
  const bare = new Stack(new App(), 'Bare');
  new sqs.Queue(bare, 'PlainQueue');
  const rules = new AwsSolutionsChecks().validateScope(bare).violations.map((v) => v.ruleName);
  assert.ok(
    rules.some((r) => r.includes('AwsSolutions-SQS4')),
    rules.join(', '),
  );
});

Nag('each acknowledgement has a one-line reason, and there are only the expected ones', () => {
  const acks = acknowledged();
  for (const a of acks) {
    assert.ok(a.reason.length > 20 && !a.reason.includes('\n'), `${a.path} ${a.id}`);
  }
  // (the Serverless pack's and cfn-guard's: policyChecks.test.ts)
  const nagIds = acks.map((a) => a.id.replace(/^Annotation::/, '').replace(/\[.*\]$/, ''));
  assert.equal([...new Set(nagIds.filter((id) => id.startsWith('AwsSolutions-')))].sort(), [
    'AwsSolutions-IAM5',
    'AwsSolutions-L1',
    'AwsSolutions-SNS2',
    'AwsSolutions-SQS3',
  ]);
  // the deprecation warning is acknowledged only where the deprecated runtime is chosen
  assert.not.ok(acks.some((a) => a.id.includes('W2531')));
});

Nag.run();
