// One bundled Node.js Lambda with its own role and log group. The role starts empty:
// the owner adds exactly the statements the handler's code needs (no managed policies).
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { KMS_DATA_ACTIONS } from './kmsActions.js';
import { handlerCode } from './lambdaBundling.js';
import type { HandlerName, LambdaRuntimeName } from './lambdaRuntimes.js';

/** Where the functions run when they run in a VPC (receivers that allow-list sender IPs). */
export type VpcPlacement = {
  readonly vpc: ec2.IVpc;
  /** Default: the VPC's private subnets with egress (a NAT gives the fixed sender IPs). */
  readonly subnets?: ec2.SubnetSelection;
  /** Default: one security group per function, all egress allowed. */
  readonly securityGroups?: readonly ec2.ISecurityGroup[];
};

/** What a consumer may change on one function (everything else follows the design). */
export type FunctionOverrides = {
  readonly memorySize?: number;
  readonly timeout?: Duration;
  readonly reservedConcurrentExecutions?: number;
  readonly description?: string;
  /** Added to (and overriding) the function's own variables. */
  readonly environment?: Readonly<Record<string, string>>;
  readonly logRetention?: logs.RetentionDays;
};

export type LambdaHandlerProps = {
  readonly handler: HandlerName;
  readonly runtime: LambdaRuntimeName;
  /** Undefined: CloudFormation names it (and its log group). */
  readonly functionName: string | undefined;
  readonly description: string;
  readonly memorySize: number;
  readonly timeoutSeconds: number;
  readonly logRetentionDays: number;
  readonly tracing: boolean;
  readonly environment: Readonly<Record<string, string>>;
  readonly removalPolicy: RemovalPolicy;
  /** Customer-managed key: the log group is encrypted with it. */
  readonly logKey: kms.IKey | null;
  readonly vpc: VpcPlacement | null;
  readonly overrides: FunctionOverrides;
  /** Lambda's recursive-loop detection (only the worker sends to its own event source). */
  readonly recursiveLoop?: lambda.RecursiveLoop;
};

export type { LambdaRuntimeName };

const RUNTIMES: Record<LambdaRuntimeName, lambda.Runtime> = {
  'nodejs20.x': lambda.Runtime.NODEJS_20_X,
  'nodejs22.x': lambda.Runtime.NODEJS_22_X,
  'nodejs24.x': lambda.Runtime.NODEJS_24_X,
};

export class LambdaHandler extends Construct {
  readonly fn: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: LambdaHandlerProps) {
    super(scope, id);
    const o = props.overrides;
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      ...(props.functionName === undefined ? {} : { logGroupName: `/aws/lambda/${props.functionName}` }),
      retention: o.logRetention ?? (props.logRetentionDays as logs.RetentionDays),
      // Logs hold messageIds and outcomes support may still need after a teardown (prod);
      // a dev stage is destroyed whole, so it can be deployed again under the same names.
      removalPolicy: props.removalPolicy,
      ...(props.logKey === null ? {} : { encryptionKey: props.logKey }),
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.functionName ?? props.handler}: least-privilege execution role`,
    });
    // The log group exists (created above), so no logs:CreateLogGroup.
    this.allow('WriteOwnLogs', ['logs:CreateLogStream', 'logs:PutLogEvents'], [this.logGroup.logGroupArn]);
    this.fn = new lambda.Function(this, 'Function', {
      ...(props.functionName === undefined ? {} : { functionName: props.functionName }),
      description: o.description ?? props.description,
      code: handlerCode(props.handler, props.runtime),
      handler: 'index.handler',
      runtime: RUNTIMES[props.runtime],
      architecture: lambda.Architecture.ARM_64,
      memorySize: o.memorySize ?? props.memorySize,
      timeout: o.timeout ?? Duration.seconds(props.timeoutSeconds),
      ...(o.reservedConcurrentExecutions === undefined
        ? {}
        : { reservedConcurrentExecutions: o.reservedConcurrentExecutions }),
      role: this.role,
      logGroup: this.logGroup,
      // Lambda's own platform lines (START/END/REPORT) as JSON too, so one query reads both.
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: props.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      environment: {
        ...props.environment,
        ...o.environment,
      },
      ...(props.recursiveLoop === undefined ? {} : { recursiveLoop: props.recursiveLoop }),
      ...vpcProps(props.vpc),
    });
  }

  /** One named statement on the role: exactly these actions on exactly these resources. */
  allow(
    sid: string,
    actions: readonly string[],
    resources: readonly string[],
    conditions?: Record<string, Record<string, unknown>>,
  ): void {
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid,
        actions: [...actions],
        resources: [...resources],
        ...(conditions === undefined ? {} : { conditions }),
      }),
    );
  }

  /** The customer-managed key's data actions, when there is a key. */
  allowKey(key: kms.IKey | null, sid = 'TableAndQueueKey'): void {
    if (key !== null) this.allow(sid, KMS_DATA_ACTIONS, [key.keyArn]);
  }
}

const vpcProps = (p: VpcPlacement | null): Pick<lambda.FunctionProps, 'vpc' | 'vpcSubnets' | 'securityGroups'> =>
  p === null
    ? {}
    : {
        vpc: p.vpc,
        ...(p.subnets === undefined ? {} : { vpcSubnets: p.subnets }),
        ...(p.securityGroups === undefined ? {} : { securityGroups: [...p.securityGroups] }),
      };
