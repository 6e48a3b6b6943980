// Per-endpoint credentials through the deployed entry point (`handler`, configured only by
// environment) against DynamoDB Local and a real receiver on 127.0.0.1. No real Secrets Manager
// is reachable from a test, so a local HTTP server on 127.0.0.1 speaks its AWS JSON 1.1
// protocol (`X-Amz-Target: secretsmanager.GetSecretValue`) and the SDK client is pointed at it
// with AWS_ENDPOINT_URL_SECRETS_MANAGER: the request the real client signs and sends, and the
// answer it parses, are the service's wire format.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handler, secretsManagerSource } from '@delivery-history/worker/testing';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { sqsEvent, sqsRecord, testStore, run, uniqueId } from './support/workerRig.js';

const T = randomBytes(18).toString('hex');
const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:partner-token-AbCdEf';

type SmCall = { readonly target: string; readonly secretId: string; readonly signed: boolean };
type FakeSecretsManager = { url: string; calls: SmCall[]; close(): Promise<void> };

/** GetSecretValue over the AWS JSON 1.1 protocol: the ARN's value, or ResourceNotFoundException. */
const startFakeSecretsManager = async (): Promise<FakeSecretsManager> => {
  const calls: SmCall[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      const secretId = String((JSON.parse(body || '{}') as { SecretId?: unknown }).SecretId ?? '');
      const headers: IncomingHttpHeaders = req.headers;
      calls.push({
        target: String(headers['x-amz-target'] ?? ''),
        secretId,
        signed: String(headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256'),
      });
      const json = { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'fake' };
      if (secretId !== ARN) {
        res.writeHead(400, json).end(
          JSON.stringify({
            __type: 'ResourceNotFoundException',
            message: "Secrets Manager can't find the specified secret.",
          }),
        );
        return;
      }
      res.writeHead(200, json).end(
        JSON.stringify({
          ARN,
          Name: 'partner-token',
          VersionId: 'v1',
          SecretString: T,
          VersionStages: ['AWSCURRENT'],
          CreatedDate: 1.7e9,
        }),
      );
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
};

type Receiver = { port: number; auth: Array<string | undefined>; close(): Promise<void> };

/** 200 only with `Authorization: Bearer T`, else 401. */
const startReceiver = async (): Promise<Receiver> => {
  const auth: Array<string | undefined> = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      auth.push(req.headers.authorization);
      res.writeHead(req.headers.authorization === `Bearer ${T}` ? 200 : 401).end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    port: (server.address() as AddressInfo).port,
    auth,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
};

type Ctx = { t: TestTable; sm: FakeSecretsManager; rx: Receiver; gone: Receiver };
const GONE = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:deleted-XyZ123';
const S = suite<Ctx>('per-endpoint credentials from Secrets Manager (the deployed handler)');

S.before(async (ctx) => {
  ctx.t = await useTestTable('worker-endpoint-creds');
  ctx.sm = await startFakeSecretsManager();
  ctx.rx = await startReceiver();
  ctx.gone = await startReceiver();
  Object.assign(process.env, {
    DELIVERY_TABLE_NAME: ctx.t.tableName,
    AWS_ENDPOINT_URL_DYNAMODB: ctx.t.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: ctx.sm.url,
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    DELIVERY_ALLOW_TARGETS: '127.0.0.1',
    DELIVERY_TIMEOUT_MS: '3000',
    DELIVERY_ENDPOINT_CREDENTIALS: JSON.stringify({
      [`127.0.0.1:${ctx.rx.port}`]: { secret: ARN, header: 'Authorization', prefix: 'Bearer ' },
      [`127.0.0.1:${ctx.gone.port}`]: { secret: GONE, header: 'Authorization', prefix: 'Bearer ' },
    }),
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
});
S.after(async (ctx) => {
  await ctx.gone.close();
  await ctx.rx.close();
  await ctx.sm.close();
  await ctx.t.drop();
});

S('the first delivery reads the secret once (signed GetSecretValue); the next ones use the cache', async (ctx) => {
  const store = testStore(ctx.t);
  const url = `http://127.0.0.1:${ctx.rx.port}/hook`;
  const ids = [uniqueId('sm-1'), uniqueId('sm-2'), uniqueId('sm-3')];
  for (const messageId of ids) {
    const r = await handler(sqsEvent([sqsRecord({ messageId, url, headers: {}, body: '{}' })]));
    assert.equal(r.batchItemFailures, []);
  }
  assert.equal(
    ctx.rx.auth,
    ids.map(() => `Bearer ${T}`),
  );
  for (const id of ids) assert.is((await run(store.getState(id))).status, 'SUCCESS');
  assert.equal(ctx.sm.calls, [{ target: 'secretsmanager.GetSecretValue', secretId: ARN, signed: true }]);
});

S('a secret that cannot be read: an attempt that sent nothing, CREDENTIALS_UNAVAILABLE (retryable)', async (ctx) => {
  const store = testStore(ctx.t);
  const messageId = uniqueId('sm-gone');
  const url = `http://127.0.0.1:${ctx.gone.port}/hook`;
  const r = await handler(sqsEvent([sqsRecord({ messageId, url, headers: {}, body: '{}', maxAttempts: 1 })]));
  assert.equal(r.batchItemFailures, [], 'final: maxAttempts 1');
  assert.equal(ctx.gone.auth, [], 'nothing sent');
  const h = await run(store.getHistory(messageId));
  const result = h.attempts[0]?.deliveryResult;
  assert.is(result?.errorDetails?.code, 'CREDENTIALS_UNAVAILABLE');
  assert.is(result?.category, 'network');
  assert.match(result?.errorDetails?.message ?? '', /ResourceNotFoundException/);
  assert.ok(ctx.sm.calls.some((c) => c.secretId === GONE));
});

S('secretsManagerSource: the value, or the service error by name (never a value)', async (ctx) => {
  const source = secretsManagerSource(
    new SecretsManagerClient({
      endpoint: ctx.sm.url,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    }),
  );
  assert.equal(await source(ARN), E.right(T));
  const missing = await source('arn:aws:secretsmanager:eu-west-1:123456789012:secret:gone-XyZ123');
  assert.ok(E.isLeft(missing) && missing.left.startsWith('Secrets Manager GetSecretValue: ResourceNotFoundException'));
});

S.run();
