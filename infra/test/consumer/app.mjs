// A team's own CDK app, as it would use the packed package: plain JavaScript, imports
// `@delivery-history/infra` by name, and adds DeliveryHistory twice to one stack: once
// creating everything, once on the team's own table, queue and key, with the grant helpers
// for a producer, support staff and operators. packedPackage.test.ts copies this file out of
// the workspace, next to a node_modules holding only the tarball's contents and the CDK.
import { App, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { DeliveryHistory } from '@delivery-history/infra';

const app = new App({ outdir: process.argv[2] });
const stack = new Stack(app, 'Consumer');

new DeliveryHistory(stack, 'Created', { settings: { namePrefix: 'team-a', tableName: 'team-a' } });

const key = new kms.Key(stack, 'TeamKey', { enableKeyRotation: true });
const table = new dynamodb.Table(stack, 'TeamTable', {
  partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
  billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
  stream: dynamodb.StreamViewType.NEW_IMAGE,
  encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
  encryptionKey: key,
});
const queue = new sqs.Queue(stack, 'TeamQueue', { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: key });
const byo = new DeliveryHistory(stack, 'Byo', {
  settings: { namePrefix: 'team-b', lambdaRuntime: 'nodejs24.x' },
  existingTable: table,
  existingDeliveryQueue: queue,
  existingEncryptionKey: key,
  alarmTopic: new sns.Topic(stack, 'TeamAlarms'),
  eventBus: 'off',
  tags: { team: 'payments' },
  workerFunctionProps: { memorySize: 1024 },
});

const role = (id) => new iam.Role(stack, id, { assumedBy: new iam.AccountRootPrincipal() });
byo.grantSendDeliveries(role('Producer'));
byo.grantReadHistory(role('Support'));
byo.grantOperate(role('Operator'));

app.synth();
