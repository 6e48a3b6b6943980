// One bundled Node.js Lambda with its own role and log group. The role starts empty:
// the owner adds exactly the statements the handler's code needs (no managed policies).
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { KMS_DATA_ACTIONS } from './kmsActions.js';
import {
  DEPS_LOCK_FILE,
  HANDLER_ENTRIES,
  type HandlerName,
  type LambdaRuntimeName,
  nodejsBundling,
  REPO_ROOT,
} from './lambdaBundling.js';

export type LambdaHandlerProps = {
  readonly handler: HandlerName;
  readonly runtime: LambdaRuntimeName;
  readonly functionName: string;
  readonly description: string;
  readonly memorySize: number;
  readonly timeoutSeconds: number;
  readonly logRetentionDays: number;
  readonly tracing: boolean;
  readonly environment: Readonly<Record<string, string>>;
};

export type { LambdaRuntimeName };

const RUNTIMES: Record<LambdaRuntimeName, lambda.Runtime> = {
  'nodejs20.x': lambda.Runtime.NODEJS_20_X,
  'nodejs22.x': lambda.Runtime.NODEJS_22_X,
};

export class LambdaHandler extends Construct {
  readonly fn: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: LambdaHandlerProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: props.logRetentionDays as logs.RetentionDays,
      // Logs hold messageIds and outcomes support may still need after a teardown.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.functionName}: least-privilege execution role`,
    });
    // The log group exists (created above), so no logs:CreateLogGroup.
    this.allow('WriteOwnLogs', ['logs:CreateLogStream', 'logs:PutLogEvents'], [this.logGroup.logGroupArn]);
    this.fn = new NodejsFunction(this, 'Function', {
      functionName: props.functionName,
      description: props.description,
      entry: HANDLER_ENTRIES[props.handler],
      handler: 'handler',
      runtime: RUNTIMES[props.runtime],
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: Duration.seconds(props.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      tracing: props.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      environment: { ...props.environment },
      projectRoot: REPO_ROOT,
      depsLockFilePath: DEPS_LOCK_FILE,
      bundling: nodejsBundling(props.runtime),
    });
  }

  /** One named statement on the role: exactly these actions on exactly these resources. */
  allow(sid: string, actions: readonly string[], resources: readonly string[]): void {
    this.role.addToPolicy(new iam.PolicyStatement({ sid, actions: [...actions], resources: [...resources] }));
  }

  /** The customer-managed key's data actions, when there is a key. */
  allowKey(key: kms.IKey | null): void {
    if (key !== null) this.allow('TableAndQueueKey', KMS_DATA_ACTIONS, [key.keyArn]);
  }
}
