// cdk-nag (AwsSolutions pack) and CloudFormation-validation findings this design accepts,
// each on the one construct it concerns, each with its one-line reason.
import { Stack, Validations } from 'aws-cdk-lib';
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
    Validations.of(s.eventTargetDeadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the operator-events rule target; it alarms when not empty.',
    });
  if (s.vpc)
    for (const role of s.roles)
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
        reason:
          'Lambda in a VPC manages its network interfaces with this AWS policy (ec2 actions that take no resource scoping).',
      });
  if (s.tracing)
    for (const role of s.roles)
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level scoping (tracing=true only).',
      });
};
