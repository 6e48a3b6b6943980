// The whole system as one construct a team adds to its own CDK app: table, queues, worker,
// projector, operator events, alarms and a dashboard. Bring your own table, delivery queue,
// key, alarm topic, event bus or VPC; everything created is exposed as a property.
import { Annotations, ArnFormat, Duration, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import * as E from 'fp-ts/lib/Either.js';
import {
  OPERATE_KEY_ACTIONS,
  OPERATE_TABLE_ACTIONS,
  READ_KEY_ACTIONS,
  READ_STREAM_ACTIONS,
  READ_TABLE_ACTIONS,
  REDRIVE_DLQ_ACTIONS,
  SEND_KEY_ACTIONS,
  SEND_QUEUE_ACTIONS,
} from './deliveryGrants.js';
import { DeliveryQueues } from './DeliveryQueues.js';
import { DeliveryTable } from './DeliveryTable.js';
import { DrainFunction } from './DrainFunction.js';
import { type EndpointCredentialProps, grantEndpointCredentials } from './endpointCredentialGrants.js';
import type { FunctionOverrides, VpcPlacement } from './LambdaHandler.js';
import { acknowledgeNagFindings, acknowledgePolicyFindings } from './nagAcknowledgements.js';
import { OperatorAlarms } from './OperatorAlarms.js';
import { type EventBusChoice, OperatorEvents } from './OperatorEvents.js';
import { ProjectorFunction } from './ProjectorFunction.js';
import { decodeStackConfig } from './stackConfig.js';
import type { ContextSettings, StackConfig } from './stackSettings.js';
import { WorkerFunction } from './WorkerFunction.js';

export type DeliveryHistoryProps = {
  /**
   * Settings: the keys and rules of the app's CDK context (infra README, "Settings"), decoded
   * the same way; an invalid value throws naming the key. `namePrefix` and `tableName` fix
   * physical names (default `delivery-history-<stage>`); two instances in one account need
   * different ones.
   */
  readonly settings?: Partial<ContextSettings>;
  /** An existing table with a `NEW_IMAGE` stream and store's keys and indexes (`TABLE`). */
  readonly existingTable?: dynamodb.ITable;
  /**
   * An existing delivery queue (its own DLQ and visibility timeout apply: at least 6 x the
   * worker's timeout). Its `encryptionMasterKey`, when it has one, is granted to the worker.
   */
  readonly existingDeliveryQueue?: sqs.IQueue;
  /** An existing customer-managed key for what is created here (its policy must allow CloudWatch Logs for the log groups). */
  readonly existingEncryptionKey?: kms.IKey;
  /** Alarm and OK notifications go here (a `prod` stage without one is refused). */
  readonly alarmTopic?: sns.ITopic;
  /** Operator events: an existing bus, `default`, `own` (a new bus) or `off`. Default: settings `eventBus`. */
  readonly eventBus?: EventBusChoice | 'off';
  /** Run both functions in this VPC (receivers that allow-list sender IPs: private subnets behind a NAT). */
  readonly vpc?: ec2.IVpc;
  readonly vpcSubnets?: ec2.SubnetSelection;
  readonly securityGroups?: readonly ec2.ISecurityGroup[];
  /**
   * What a stack delete does to the table, logs, key and queues. Default: RETAIN (and table
   * deletion protection) for stage `prod`, DESTROY otherwise, so a dev stage can be torn
   * down and deployed again under the same names.
   */
  readonly removalPolicy?: RemovalPolicy;
  /** Tags on every resource (besides `delivery-history:stage`). */
  readonly tags?: Readonly<Record<string, string>>;
  readonly workerFunctionProps?: FunctionOverrides;
  readonly projectorFunctionProps?: FunctionOverrides;
};

export class DeliveryHistory extends Construct {
  readonly config: StackConfig;
  readonly removalPolicy: RemovalPolicy;
  /** The customer-managed key of what this construct created; null: AWS-owned/SQS-managed keys. */
  readonly encryptionKey: kms.IKey | null;
  readonly table: dynamodb.ITable;
  /** Null with `existingTable`. */
  readonly createdTable: DeliveryTable | null;
  readonly queues: DeliveryQueues;
  readonly deliveryQueue: sqs.IQueue;
  readonly worker: WorkerFunction;
  readonly projector: ProjectorFunction;
  /** The drain of held messages (issue 27): a scheduled sweep. */
  readonly drain: DrainFunction;
  readonly alarms: OperatorAlarms;
  readonly alarmTopic: sns.ITopic | null;
  /** Null when operator events are off. */
  readonly events: OperatorEvents | null;

  constructor(scope: Construct, id: string, props: DeliveryHistoryProps = {}) {
    super(scope, id);
    const config = settingsOf(props);
    this.config = config;
    const prod = config.stage === 'prod';
    this.removalPolicy = removalPolicyOf(props, prod);
    const removalPolicy = this.removalPolicy;

    this.encryptionKey = props.existingEncryptionKey ?? this.keyFor(config, removalPolicy);
    const key = this.encryptionKey;

    this.createdTable =
      props.existingTable === undefined
        ? new DeliveryTable(this, 'Deliveries', { tableName: config.tableName, removalPolicy, encryptionKey: key })
        : null;
    // A Table is an ITable; the cast only bridges exactOptionalPropertyTypes over CDK's declarations.
    this.table = this.createdTable === null ? existingTableOf(props) : (this.createdTable.table as dynamodb.ITable);
    this.queues = new DeliveryQueues(this, 'Queues', {
      namePrefix: config.namePrefix,
      removalPolicy,
      existingDeliveryQueue: props.existingDeliveryQueue ?? null,
      encryptionKey: key,
      visibilityTimeoutSeconds: config.queueVisibilityTimeoutSeconds,
      maxReceiveCount: config.maxReceiveCount,
    });
    this.deliveryQueue = this.queues.deliveries;

    const vpc = vpcOf(props);
    const placement = { namePrefix: config.namePrefix, removalPolicy, logKey: key, vpc };
    const tableKey = this.createdTable === null ? (this.table.encryptionKey ?? null) : key;
    const workerKeys = unique([tableKey, this.deliveryQueue.encryptionMasterKey ?? null, key]);

    this.worker = new WorkerFunction(this, 'Worker', {
      ...placement,
      overrides: props.workerFunctionProps ?? {},
      config,
      table: this.table,
      queue: this.deliveryQueue,
      keys: workerKeys,
    });

    this.drain = new DrainFunction(this, 'Drain', {
      ...placement,
      overrides: {},
      config,
      table: this.table,
      queue: this.deliveryQueue,
      keys: workerKeys,
    });

    this.events = this.eventsOf(props.eventBus ?? config.eventBus, config, removalPolicy);
    this.projector = new ProjectorFunction(this, 'Projector', {
      ...placement,
      overrides: props.projectorFunctionProps ?? {},
      config,
      table: this.table,
      failures: this.queues.projectorFailures,
      keys: unique([tableKey, key]),
      eventBus: busOf(this.events),
    });

    this.alarmTopic = props.alarmTopic ?? this.topicFromArn(config.alarmTopicArn);
    if (this.alarmTopic === null && prod)
      Annotations.of(this).addError(
        'DeliveryHistory: stage prod without an alarm topic (alarmTopic, or setting alarmTopicArn): its alarms would notify no one',
      );
    this.alarms = this.alarmsOf(config);

    Tags.of(this).add('delivery-history:stage', config.stage);
    for (const [k, v] of Object.entries(props.tags ?? {})) Tags.of(this).add(k, v);

    this.acknowledge(vpc !== null);
  }

  private eventsOf(
    bus: EventBusChoice | 'off',
    config: StackConfig,
    removalPolicy: RemovalPolicy,
  ): OperatorEvents | null {
    return bus === 'off'
      ? null
      : new OperatorEvents(this, 'Events', { namePrefix: config.namePrefix, eventBus: bus, removalPolicy });
  }

  private alarmsOf(config: StackConfig): OperatorAlarms {
    const events = this.events;
    return new OperatorAlarms(this, 'Alarms', {
      namePrefix: config.namePrefix,
      table: this.table,
      worker: this.worker.handler.fn,
      projector: this.projector.handler.fn,
      drain: this.drain.handler.fn,
      deliveries: this.deliveryQueue,
      deadLetters: this.queues.deadLetters,
      projectorFailures: this.queues.projectorFailures,
      iteratorAgeSeconds: config.iteratorAgeAlarmSeconds,
      transactionConflictsPer5Min: config.transactionConflictAlarmPer5Min,
      queueOldestMessageSeconds: config.queueOldestMessageAlarmSeconds,
      queueBacklogMessages: config.queueBacklogAlarmMessages,
      alarmTopic: this.alarmTopic,
      events: events === null ? null : { ruleName: events.failedRule.ruleName, deadLetters: events.targetDeadLetters },
    });
  }

  private acknowledge(vpc: boolean): void {
    const config = this.config;
    acknowledgeNagFindings({
      table: this.table,
      functions: [this.worker.handler.fn, this.projector.handler.fn, this.drain.handler.fn],
      projectorRole: this.projector.handler.role,
      roles: [this.worker.handler.role, this.projector.handler.role, this.drain.handler.role],
      projectorFailures: this.queues.projectorFailures,
      failedTopic: this.events?.failedTopic ?? null,
      eventTargetDeadLetters: this.events?.targetDeadLetters ?? null,
      tracing: config.tracing,
      vpc,
      runtimeName: config.lambdaRuntime,
    });
    acknowledgePolicyFindings({
      functions: [this.worker.handler.fn, this.projector.handler.fn],
      scheduled: this.drain.handler.fn,
      schedule: this.drain.schedule,
      workerEventSource: this.worker.eventSource,
      logGroups: [this.worker.handler.logGroup, this.projector.handler.logGroup, this.drain.handler.logGroup],
      createdTable: this.createdTable,
      terminalQueues: [this.queues.projectorFailures, ...(this.events === null ? [] : [this.events.targetDeadLetters])],
      deadLetters: this.queues.deadLetters,
      alarms: this.alarms,
      hasKey: this.encryptionKey !== null,
      hasTopic: this.alarmTopic !== null,
      tracing: config.tracing,
      vpc,
      logRetentionDays: config.logRetentionDays,
      runtimeName: config.lambdaRuntime,
    });
  }

  /**
   * Seal request credentials with this KMS key (issue 28, DESIGN "Credentials: sealed, not
   * dropped"): the worker, which creates each message from its SQS record and sends it, is the
   * only role that may make data keys with it and open them (`DELIVERY_SEAL_KEY_ID`). Producers
   * only send to the queue; `grantReadHistory` and `grantOperate` never include this key, so
   * support staff and `dh` see ciphertext only. Call once.
   */
  sealCredentialsWith(key: kms.IKey): void {
    if (this.sealKey !== null) throw new Error('sealCredentialsWith: one seal key per DeliveryHistory');
    this.sealKey = key;
    this.worker.handler.allow('SealCredentials', ['kms:GenerateDataKey', 'kms:Decrypt'], [key.keyArn]);
    this.worker.handler.fn.addEnvironment('DELIVERY_SEAL_KEY_ID', key.keyArn);
  }
  private sealKey: kms.IKey | null = null;

  /**
   * Per-endpoint credentials (issue 28; worker README "Credentials: sealed per message vs per
   * endpoint"): for each endpoint (`host[:port]`), a Secrets Manager secret whose value the
   * worker puts in a header or query parameter at send time. Only the worker's role may read
   * these secrets (`secretsmanager:GetSecretValue` on exactly them); no other role gets any
   * Secrets Manager action. The header or parameter must be one the secret policy redacts (the
   * worker refuses the configuration at cold start otherwise). Call once.
   */
  credentialsForEndpoints(entries: Readonly<Record<string, EndpointCredentialProps>>): void {
    if (this.endpointCredentials) throw new Error('credentialsForEndpoints: call once per DeliveryHistory');
    this.endpointCredentials = true;
    grantEndpointCredentials(this.worker.handler, entries);
  }
  private endpointCredentials = false;

  /** Producers: send delivery requests to the queue (and use its key). */
  grantSendDeliveries(grantee: iam.IGrantable): iam.Grant {
    const grant = this.grantTo(grantee, SEND_QUEUE_ACTIONS, [this.deliveryQueue.queueArn]);
    const key = this.deliveryQueue.encryptionMasterKey;
    return key === undefined ? grant : grant.combine(this.grantTo(grantee, SEND_KEY_ACTIONS, [key.keyArn]));
  }

  /** Support staff and `dh` queries: histories, listings, endpoint health, `dh tail` (read-only). */
  grantReadHistory(grantee: iam.IGrantable): iam.Grant {
    let grant = this.grantTo(grantee, READ_TABLE_ACTIONS, [this.table.tableArn, `${this.table.tableArn}/index/*`]);
    const stream = this.table.tableStreamArn;
    if (stream !== undefined) grant = grant.combine(this.grantTo(grantee, READ_STREAM_ACTIONS, [stream]));
    const key = this.table.encryptionKey;
    return key === undefined ? grant : grant.combine(this.grantTo(grantee, READ_KEY_ACTIONS, [key.keyArn]));
  }

  /** Operators: everything `grantReadHistory` gives, plus replay, re-drive (queue and DLQ) and expunge. */
  grantOperate(grantee: iam.IGrantable): iam.Grant {
    let grant = this.grantReadHistory(grantee)
      .combine(this.grantTo(grantee, OPERATE_TABLE_ACTIONS, [this.table.tableArn, `${this.table.tableArn}/index/*`]))
      .combine(this.grantSendDeliveries(grantee));
    const dlq = this.queues.deadLetters;
    if (dlq !== null) grant = grant.combine(this.grantTo(grantee, REDRIVE_DLQ_ACTIONS, [dlq.queueArn]));
    const keys = unique([this.table.encryptionKey ?? null, this.deliveryQueue.encryptionMasterKey ?? null]);
    return keys.length === 0
      ? grant
      : grant.combine(
          this.grantTo(
            grantee,
            OPERATE_KEY_ACTIONS,
            keys.map((k) => k.keyArn),
          ),
        );
  }

  private topicFromArn(arn: string | null): sns.ITopic | null {
    return arn === null ? null : sns.Topic.fromTopicArn(this, 'AlarmTopic', arn);
  }

  private grantTo(grantee: iam.IGrantable, actions: readonly string[], resourceArns: string[]): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: [...actions], resourceArns });
  }

  private keyFor(config: StackConfig, removalPolicy: RemovalPolicy): kms.IKey | null {
    if (config.kmsKeyArn !== null) return kms.Key.fromKeyArn(this, 'ImportedKey', config.kmsKeyArn);
    if (!config.customerManagedKey) return null;
    const stack = Stack.of(this);
    const key = new kms.Key(this, 'Key', {
      ...(config.namePrefix === undefined ? {} : { alias: `alias/${config.namePrefix}` }),
      description: `delivery-history (${config.stage}): table, stream, queues and logs`,
      enableKeyRotation: true,
      // Deleting the key would make a retained table unreadable; a dev stage goes whole.
      removalPolicy,
      ...(removalPolicy === RemovalPolicy.RETAIN ? {} : { pendingWindow: Duration.days(7) }),
    });
    // CloudWatch Logs encrypts the functions' log groups with it (only log groups of this account and region).
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchLogsOfThisAccount',
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: [
          'kms:Encrypt',
          'kms:Decrypt',
          'kms:ReEncryptFrom',
          'kms:ReEncryptTo',
          'kms:GenerateDataKey',
          'kms:GenerateDataKeyWithoutPlaintext',
          'kms:DescribeKey',
        ],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    // Grants only for AWS services acting for this account's resources (DynamoDB, SQS, Logs):
    // nobody creates a grant that outlives a policy change (Control Tower CT.KMS.PR.3).
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'GrantsOnlyForAwsServices',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: {
          BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
        },
      }),
    );
    return key;
  }
}

const settingsOf = (props: DeliveryHistoryProps): StackConfig => {
  const decoded = decodeStackConfig({ ...props.settings });
  if (E.isLeft(decoded)) throw new Error(decoded.left.message);
  return decoded.right;
};

/** Retained with deletion protection in prod; a dev stage goes whole with its stack. */
const removalPolicyOf = (props: DeliveryHistoryProps, prod: boolean): RemovalPolicy =>
  props.removalPolicy ?? (prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);

const busOf = (events: OperatorEvents | null): { name: string; arn: string } | null =>
  events === null ? null : { name: events.busName, arn: events.busArn };

const existingTableOf = (props: DeliveryHistoryProps): dynamodb.ITable => {
  const t = props.existingTable;
  if (t?.tableStreamArn === undefined)
    throw new Error('DeliveryHistory: existingTable needs its stream (NEW_IMAGE) in its attributes');
  return t;
};

const vpcOf = (props: DeliveryHistoryProps): VpcPlacement | null =>
  props.vpc === undefined
    ? null
    : {
        vpc: props.vpc,
        ...(props.vpcSubnets === undefined ? {} : { subnets: props.vpcSubnets }),
        ...(props.securityGroups === undefined ? {} : { securityGroups: props.securityGroups }),
      };

const unique = (keys: readonly (kms.IKey | null)[]): kms.IKey[] =>
  keys.filter((k, i): k is kms.IKey => k !== null && keys.indexOf(k) === i);
