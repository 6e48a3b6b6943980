import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  AwsRegion,
  envValue,
  intString,
  isTableName,
  optionalVar,
  parsedString,
  readEnv,
  sharedVars,
  TableName,
  withDefault,
} from '../src/index.js';
import { MaxAttempts } from '../src/testing.js';

const Env = suite('readEnv');

const read = readEnv('test environment', {
  DELIVERY_TABLE_NAME: withDefault(sharedVars.DELIVERY_TABLE_NAME, 'delivery-history'),
  AWS_REGION: optionalVar(sharedVars.AWS_REGION),
  AWS_ENDPOINT_URL_DYNAMODB: optionalVar(sharedVars.AWS_ENDPOINT_URL_DYNAMODB),
  AWS_ENDPOINT_URL_SQS: optionalVar(sharedVars.AWS_ENDPOINT_URL_SQS),
  DELIVERY_MAX_ATTEMPTS: withDefault(sharedVars.DELIVERY_MAX_ATTEMPTS, 8),
  DELIVERY_TIMEOUT_MS: withDefault(sharedVars.DELIVERY_TIMEOUT_MS, 15_000),
  DELIVERY_SIGNING_SECRET: optionalVar(
    parsedString('secret', (s) => (s.startsWith('whsec_') ? E.right(s) : E.left('no whsec_ prefix'))),
  ),
});

const failure = (env: Record<string, string | undefined>): string => {
  const r = read(env);
  if (E.isRight(r)) throw new Error(`expected ${JSON.stringify(env)} to be rejected`);
  assert.is(r.left._tag, 'DecodeError');
  assert.not.match(r.left.message, /\n/, 'one line');
  return r.left.message;
};

const decoded = (env: Record<string, string | undefined>) => {
  const r = read(env);
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

Env('absent variables take the reader defaults', () => {
  assert.equal(decoded({}), {
    DELIVERY_TABLE_NAME: 'delivery-history',
    AWS_REGION: undefined,
    AWS_ENDPOINT_URL_DYNAMODB: undefined,
    AWS_ENDPOINT_URL_SQS: undefined,
    DELIVERY_MAX_ATTEMPTS: 8,
    DELIVERY_TIMEOUT_MS: 15_000,
    DELIVERY_SIGNING_SECRET: undefined,
  });
});

Env('blank means absent: empty and whitespace-only values are unset; others are trimmed', () => {
  const blank = decoded({
    DELIVERY_TABLE_NAME: '',
    AWS_REGION: '   ',
    AWS_ENDPOINT_URL_DYNAMODB: '\t',
    DELIVERY_MAX_ATTEMPTS: ' \n ',
  });
  assert.is(blank.DELIVERY_TABLE_NAME, 'delivery-history');
  assert.is(blank.AWS_REGION, undefined);
  assert.is(blank.AWS_ENDPOINT_URL_DYNAMODB, undefined);
  assert.is(blank.DELIVERY_MAX_ATTEMPTS, 8);
  const padded = decoded({ DELIVERY_TABLE_NAME: ' t-1 ', DELIVERY_MAX_ATTEMPTS: ' 5 ', AWS_REGION: 'eu-west-1 ' });
  assert.is(padded.DELIVERY_TABLE_NAME, 't-1');
  assert.is(padded.DELIVERY_MAX_ATTEMPTS, 5);
  assert.is(padded.AWS_REGION, 'eu-west-1');
  assert.is(envValue(' x '), 'x');
  assert.is(envValue(' '), undefined);
  assert.is(envValue(undefined), undefined);
});

Env('endpoint URLs: absolute http(s) with a host, checked with URL', () => {
  assert.is(
    decoded({ AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000' }).AWS_ENDPOINT_URL_DYNAMODB,
    'http://127.0.0.1:8000',
  );
  assert.is(
    decoded({ AWS_ENDPOINT_URL_SQS: 'https://sqs.eu-west-1.amazonaws.com' }).AWS_ENDPOINT_URL_SQS,
    'https://sqs.eu-west-1.amazonaws.com',
  );
  for (const bad of ['localhost:8000', 'ftp://h/x', 'http://', '127.0.0.1', 'file:///etc/passwd']) {
    assert.match(
      failure({ AWS_ENDPOINT_URL_DYNAMODB: bad }),
      /\.AWS_ENDPOINT_URL_DYNAMODB: expected http\(s\) URL, got /,
      bad,
    );
  }
});

Env("table names follow DynamoDB's rule: 3..255 chars of [A-Za-z0-9_.-]", () => {
  for (const ok of ['abc', 'delivery-history', 'a.b_c-D9', 'x'.repeat(255)]) assert.ok(isTableName(ok), ok);
  for (const bad of ['ab', 'x'.repeat(256), 'has space', 'sl/ash', 'ümlaut']) {
    assert.not.ok(TableName.is(bad), bad);
    assert.match(failure({ DELIVERY_TABLE_NAME: bad }), /\.DELIVERY_TABLE_NAME: expected DynamoDB table name/, bad);
  }
});

Env('integers: digits only, inside their bounds', () => {
  assert.is(decoded({ DELIVERY_MAX_ATTEMPTS: '1' }).DELIVERY_MAX_ATTEMPTS, 1);
  assert.is(decoded({ DELIVERY_MAX_ATTEMPTS: '100' }).DELIVERY_MAX_ATTEMPTS, 100);
  for (const bad of ['0', '101', '-1', '1.5', '1e2', 'five', '0x10']) {
    assert.match(
      failure({ DELIVERY_MAX_ATTEMPTS: bad }),
      /\.DELIVERY_MAX_ATTEMPTS: expected integer 1\.\.100, got /,
      bad,
    );
  }
  assert.match(failure({ DELIVERY_TIMEOUT_MS: '99' }), /expected integer 100\.\.900000 \(ms\), got "99"/);
  const c = intString(0, 10);
  assert.ok(E.isRight(c.decode('10')) && E.isLeft(c.decode('11')) && E.isLeft(c.decode(10)));
});

Env('the shared attempt limit has the bounds of a request maxAttempts', () => {
  for (const n of [0, 1, 100, 101]) assert.is(sharedVars.DELIVERY_MAX_ATTEMPTS.is(n), MaxAttempts.is(n), String(n));
});

Env('regions: a host label', () => {
  for (const ok of ['eu-west-1', 'us-gov-west-1', 'local']) assert.ok(AwsRegion.is(ok), ok);
  for (const bad of ['eu west 1', '-eu', 'eu-', 'a'.repeat(64), 'eu_west_1']) {
    assert.match(failure({ AWS_REGION: bad }), /\.AWS_REGION: expected AWS region/, bad);
  }
});

Env('every bad variable in one line, values bounded and secrets redacted', () => {
  const m = failure({
    DELIVERY_TABLE_NAME: 'no',
    AWS_ENDPOINT_URL_DYNAMODB: 'localhost:8000',
    AWS_ENDPOINT_URL_SQS: `ftp://user:pa55word@${'h'.repeat(200)}`,
    DELIVERY_MAX_ATTEMPTS: '0',
    DELIVERY_TIMEOUT_MS: 'soon',
    DELIVERY_SIGNING_SECRET: 'topsecretvalue',
  });
  assert.ok(m.startsWith('invalid test environment: '), m);
  for (const name of [
    'DELIVERY_TABLE_NAME',
    'AWS_ENDPOINT_URL_DYNAMODB',
    'AWS_ENDPOINT_URL_SQS',
    'DELIVERY_MAX_ATTEMPTS',
    'DELIVERY_TIMEOUT_MS',
    'DELIVERY_SIGNING_SECRET',
  ]) {
    assert.match(m, `.${name}: expected `);
  }
  assert.match(m, '"localhost:8000"');
  assert.match(m, '"soon"');
  assert.match(m, 'secret (no whsec_ prefix)');
  assert.not.match(m, 'topsecretvalue');
  assert.not.match(m, 'pa55word');
  assert.not.match(m, 'h'.repeat(100), 'long values are cut');
  assert.is(m.split('; ').length, 6);
});

Env('only declared variables are read; unknown ones are ignored', () => {
  assert.ok(E.isRight(read({ SOMETHING_ELSE: 'x y z', PATH: '' })));
});

Env.run();
