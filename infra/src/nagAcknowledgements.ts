// The policy findings this design accepts: cdk-nag (AwsSolutions and Serverless packs),
// cfn-guard with the AWS Control Tower proactive controls, CloudFormation validation. Each
// on the one construct it concerns, each with its one-line reason; the rest are fixed.
import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';

export type NagSubjects = {
  readonly table: dynamodb.ITable;
  readonly functions: readonly lambda.IFunction[];
  readonly projectorRole: iam.Role;
  readonly roles: readonly iam.Role[];
  readonly projectorFailures: sqs.IQueue;
  readonly failedTopic: sns.ITopic | null;
  readonly eventTargetDeadLetters: sqs.IQueue | null;
  readonly tracing: boolean;
  readonly vpc: boolean;
  readonly runtimeName: string;
};

/** The one IAM5 finding id of `<table ARN>/stream/*` (the id embeds the table's logical id). */
export const streamWildcardFinding = (table: dynamodb.ITable): string => {
  const cfn = table.node.defaultChild;
  // A table of this app: the ARN is a GetAtt of its logical id; an imported one: its literal ARN.
  const arn = cfn instanceof CfnTable ? `<${Stack.of(table).getLogicalId(cfn)}.Arn>` : table.tableArn;
  return `AwsSolutions-IAM5[Resource::${arn}/stream/*]`;
};

const ack = (scopes: readonly IConstruct[], id: string, reason: string): void => {
  for (const scope of scopes) Validations.of(scope).acknowledge({ id, reason });
};

export const acknowledgeNagFindings = (s: NagSubjects): void => {
  for (const fn of s.functions) {
    Validations.of(fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason: `${s.runtimeName} on purpose: CI proves the code on Node 20 and the bundle targets the runtime; context lambdaRuntime moves all functions at once.`,
    });
    if (s.runtimeName === 'nodejs20.x')
      Validations.of(fn).acknowledge({
        id: 'CloudFormation-Validate::W2531',
        reason: 'nodejs20.x is deprecated but still deployable when selected by context; the default is nodejs22.x.',
      });
  }
  Validations.of(s.projectorFailures).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: 'This queue is itself the on-failure destination of the projector; failures end here and alarm.',
  });
  if (s.failedTopic !== null)
    Validations.of(s.failedTopic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Example topic of operator events (ids, hosts, codes; no payload); EventBridge cannot publish to a topic under the AWS-managed SNS key.',
    });
  Validations.of(s.projectorRole).acknowledge({
    id: streamWildcardFinding(s.table),
    reason: 'dynamodb:ListStreams names no stream; it is scoped to this table streams, as in the AWS example policy.',
  });
  if (s.eventTargetDeadLetters !== null)
    ack(
      [s.eventTargetDeadLetters],
      'AwsSolutions-SQS3',
      'This queue is itself the dead-letter queue of the operator-events rule target; it alarms when not empty.',
    );
  if (s.vpc)
    ack(
      s.roles,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
      'Lambda in a VPC manages its network interfaces with this AWS policy (ec2 actions that take no resource scoping).',
    );
  if (s.tracing)
    ack(
      s.roles,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level scoping (tracing=true only).',
    );
};

/** cfn-guard's namespace for acknowledgements (CDK derives it from the plugin's name). */
const GUARD = 'cdk-validator-cfnguard';

export type PolicySubjects = {
  /** Functions invoked by event source mappings only. */
  readonly functions: readonly lambda.IFunction[];
  /** The drain: invoked by its schedule (asynchronously), on purpose without a DLQ. */
  readonly scheduled: lambda.IFunction;
  /** Its schedule's rule (a target without a DLQ, on purpose). */
  readonly schedule: IConstruct;
  /** The worker's SQS event source (its failure path is the queue's DLQ). */
  readonly workerEventSource: IConstruct;
  readonly logGroups: readonly IConstruct[];
  /** The table this construct created (null: brought by the consumer, their findings). */
  readonly createdTable: IConstruct | null;
  /** Queues that are themselves a failure destination (no DLQ of their own). */
  readonly terminalQueues: readonly IConstruct[];
  /** The delivery DLQ (null with an existing delivery queue). */
  readonly deadLetters: IConstruct | null;
  readonly alarms: IConstruct;
  readonly hasKey: boolean;
  readonly hasTopic: boolean;
  readonly tracing: boolean;
  readonly vpc: boolean;
  readonly logRetentionDays: number;
  readonly runtimeName: string;
};

/** The Serverless pack's and the Control Tower rules' findings this design accepts (when they apply). */
export const acknowledgePolicyFindings = (s: PolicySubjects): void => {
  ack(
    s.functions,
    'Serverless::Serverless-LambdaDLQ',
    'Only event source mappings invoke the functions (never asynchronously): failures go to the delivery DLQ and the projector on-failure queue.',
  );
  ack(
    [s.scheduled],
    'Serverless::Serverless-LambdaDLQ',
    'A scheduled sweep with nothing to keep: a failed one is not retried, the next minute sweeps again (idempotent), and its errors alarm.',
  );
  ack(
    [s.schedule],
    'Serverless::Serverless-EventBusDLQ',
    'A schedule carries no data: a tick that is not delivered is replaced by the next one a minute later.',
  );
  ack(
    [s.workerEventSource],
    'Serverless::Serverless-LambdaEventSourceMappingDestination',
    'An SQS event source has no on-failure destination; the delivery queue redrive policy (maxReceiveCount) moves failures to its DLQ.',
  );
  ack(
    [...s.terminalQueues, ...(s.deadLetters === null ? [] : [s.deadLetters])],
    'Serverless::Serverless-SQSRedrivePolicy',
    'This queue is itself a failure destination (delivery DLQ, projector on-failure, events target DLQ); it alarms when not empty.',
  );
  ack(
    s.terminalQueues,
    `${GUARD}::sqs_dlq_check`,
    'This queue is itself a failure destination; it alarms when not empty.',
  );
  if (s.runtimeName !== 'nodejs24.x')
    ack(
      [...s.functions, s.scheduled],
      'Serverless::Serverless-LambdaLatestVersion',
      `${s.runtimeName} on purpose (setting lambdaRuntime; nodejs24.x selectable): CI proves the code on Node 20 and 22.`,
    );
  if (!s.tracing)
    ack(
      [...s.functions, s.scheduled],
      'Serverless::Serverless-LambdaTracing',
      'X-Ray is opt-in (setting tracing): structured logs and metrics carry ids.',
    );
  if (!s.vpc)
    ack(
      [...s.functions, s.scheduled],
      `${GUARD}::lambda_inside_vpc_check`,
      'A VPC is opt-in (vpc prop): the worker calls internet receivers and would need a NAT; AWS calls are TLS and IAM-scoped.',
    );
  if (s.logRetentionDays < 365)
    ack(
      s.logGroups,
      `${GUARD}::cloudwatch_log_group_retention_period_check`,
      `Logs are operational, kept ${s.logRetentionDays} days (setting logRetentionDays); the delivery record is the table, with PITR.`,
    );
  if (!s.hasKey) {
    const reason =
      'A customer-managed key is opt-in (customerManagedKey, kmsKeyArn, existingEncryptionKey); without one AWS-owned keys encrypt at rest.';
    ack(s.logGroups, `${GUARD}::cloudwatch_log_group_encrypted_check`, reason);
    if (s.createdTable !== null) ack([s.createdTable], `${GUARD}::dynamodb_table_encrypted_kms_check`, reason);
  }
  if (!s.hasTopic)
    ack(
      [s.alarms],
      `${GUARD}::cloudwatch_alarm_action_check`,
      'No alarm topic outside prod (a prod stage without one is refused); subscribe one with alarmTopic or alarmTopicArn.',
    );
};
