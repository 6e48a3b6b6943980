import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig, readConfig } from '../src/config/readConfig.js';

const Config = suite('readConfig');

Config('defaults from an empty environment', () => {
  const c = loadConfig({});
  assert.is(c.tableName, 'delivery-history');
  assert.is(c.region, null);
  assert.is(c.dynamoEndpoint, null);
  assert.is(c.timeoutMs, 15_000);
  assert.is(c.connectTimeoutMs, 5_000);
  assert.is(c.responseTimeoutMs, 15_000);
  assert.is(c.responseBodyCapBytes, 65_536);
  assert.is(c.snippetBytes, 4_096);
  assert.is(c.signingKeys, null);
  assert.equal(c.allowTargets, { cidrs: [], hosts: [], suffixes: [] });
  assert.ok(c.maxAttempts >= 1);
  assert.ok(c.leaseMs > c.timeoutMs);
});

Config('reads every variable; empty strings count as unset', () => {
  const c = loadConfig({
    DELIVERY_TABLE_NAME: 'dh-t1',
    AWS_REGION: 'eu-west-1',
    AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
    AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:9324',
    DELIVERY_QUEUE_URL: 'http://127.0.0.1:9324/000000000000/q',
    DELIVERY_ALLOW_TARGETS: '127.0.0.1,hooks.internal',
    DELIVERY_MAX_ATTEMPTS: '5',
    DELIVERY_TIMEOUT_MS: '800',
    DELIVERY_CONNECT_TIMEOUT_MS: '2000',
    DELIVERY_RESPONSE_TIMEOUT_MS: '',
    DELIVERY_BACKOFF_BASE_MS: '10',
    DELIVERY_BACKOFF_MAX_MS: '100',
    DELIVERY_RESPONSE_BODY_CAP_BYTES: '1024',
    DELIVERY_SIGNING_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  });
  assert.is(c.tableName, 'dh-t1');
  assert.is(c.region, 'eu-west-1');
  assert.is(c.sqsEndpoint, 'http://127.0.0.1:9324');
  assert.is(c.queueUrl, 'http://127.0.0.1:9324/000000000000/q');
  assert.equal(c.allowTargets.hosts, ['hooks.internal']);
  assert.is(c.maxAttempts, 5);
  assert.is(c.connectTimeoutMs, 800, 'connect timeout never exceeds the total');
  assert.is(c.responseTimeoutMs, 800);
  assert.is(c.backoffBaseMs, 10);
  assert.is(c.backoffMaxMs, 100);
  assert.is(c.snippetBytes, 1024, 'the snippet never exceeds the read cap');
  assert.is(c.signingKeys?.length, 1);
});

Config('one clear error naming every bad variable, secrets masked', () => {
  const r = readConfig({
    DELIVERY_MAX_ATTEMPTS: '0',
    DELIVERY_TIMEOUT_MS: 'soon',
    AWS_ENDPOINT_URL_DYNAMODB: 'localhost:8000',
    DELIVERY_ALLOW_TARGETS: '127.0.0.1, not a host',
    DELIVERY_SIGNING_SECRET: 'whsec_tooshort',
  });
  assert.ok(E.isLeft(r));
  if (E.isRight(r)) return;
  const m = r.left.message;
  for (const v of [
    'DELIVERY_MAX_ATTEMPTS',
    'DELIVERY_TIMEOUT_MS',
    'AWS_ENDPOINT_URL_DYNAMODB',
    'DELIVERY_ALLOW_TARGETS',
    'DELIVERY_SIGNING_SECRET',
  ]) {
    assert.match(m, v);
  }
  assert.match(m, '"not a host"');
  assert.not.match(m, 'tooshort');
  assert.throws(() => loadConfig({ DELIVERY_TIMEOUT_MS: '-1' }), /worker configuration: .*DELIVERY_TIMEOUT_MS/);
});

Config.run();
