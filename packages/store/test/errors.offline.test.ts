// Error codes are unique and documented; AWS errors map to the right StoreError by name and
// cancellation code (no DynamoDB needed); keys and shards are stable.
import { readFileSync } from 'node:fs';
import { marshall } from '@aws-sdk/util-dynamodb';
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Logger } from '@delivery-history/core';
import { describeStoreError, isRetryable, tableKeys } from '@delivery-history/store';
import { toStoreError } from '@delivery-history/store/testing';
import {
  STORE_ERROR_CODES,
  STORE_ERROR_TAGS,
  failedIndexKeys,
  failedShardOf,
  isConditionFailure,
  isStoreError,
  messageIdOfIndexSk,
  NotFound,
} from '@delivery-history/store/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const Codes = suite('store error codes');

Codes('every tag has a unique code, documented in the README', () => {
  const codes = Object.values(STORE_ERROR_CODES);
  assert.is(new Set(codes).size, codes.length, 'codes are unique');
  assert.is(codes.length, STORE_ERROR_TAGS.length);
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  for (const [tag, code] of Object.entries(STORE_ERROR_CODES)) {
    assert.ok(readme.includes(`| ${tag} | ${code} |`), `${code} documented`);
  }
});

Codes('constructors carry their code and render one line', () => {
  const e = NotFound({ op: 'getState', messageId: 'm1' });
  assert.ok(isStoreError(e));
  assert.is(e.code, 'STORE_NOT_FOUND');
  assert.is(describeStoreError(e), 'STORE_NOT_FOUND getState: message m1 not found');
  assert.not.ok(isRetryable(e));
});

Codes.run();

const Mapping = suite('toStoreError');
const map = toStoreError({ op: 'appendAttempt', messageId: 'm1', attemptNumber: 3 }, [tableKeys.attemptSk(3), 'STATE']);
const aws = (name: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: 400 }, ...extra });

Mapping('TransactionCanceled with ConditionalCheckFailed: Conflict, reasons unmarshalled, item named', () => {
  const e = map(
    aws('TransactionCanceledException', {
      CancellationReasons: [
        { Code: 'None' },
        {
          Code: 'ConditionalCheckFailed',
          Message: 'The conditional request failed',
          Item: marshall({ attempts: 4, status: 'PROCESSING' }),
        },
      ],
    }),
  );
  assert.is(e._tag, 'Conflict');
  assert.is(e.item, 'STATE');
  assert.is(e.awsCode, 'ConditionalCheckFailed');
  assert.ok(isConditionFailure(e));
  if (isConditionFailure(e)) assert.equal(e.reasons[1]?.item, { attempts: 4, status: 'PROCESSING' });
  assert.ok(e.message.includes('STATE: ConditionalCheckFailed'));
});

Mapping('cancellation codes and error names map to the documented tags', () => {
  const cancel = (code: string, message?: string) =>
    map(
      aws('TransactionCanceledException', {
        CancellationReasons: [{ Code: 'None' }, { Code: code, Message: message }],
      }),
    );
  assert.is(cancel('ThrottlingError')._tag, 'Throttled');
  assert.is(cancel('ProvisionedThroughputExceeded')._tag, 'Throttled');
  assert.is(cancel('TransactionConflict')._tag, 'Transient');
  assert.is(cancel('ValidationError', 'Item size has exceeded the maximum allowed size')._tag, 'TooLarge');
  assert.is(cancel('ValidationError', 'bad expression')._tag, 'Invalid');
  assert.is(cancel('ItemCollectionSizeLimitExceeded')._tag, 'TooLarge');
  assert.is(map(aws('IdempotentParameterMismatchException'))._tag, 'Conflict');
  assert.is(map(aws('ThrottlingException'))._tag, 'Throttled');
  assert.is(map(aws('ProvisionedThroughputExceededException'))._tag, 'Throttled');
  assert.is(map(aws('InternalServerError', { $metadata: { httpStatusCode: 500 } }))._tag, 'Transient');
  assert.is(map(aws('SomethingNew', { $metadata: { httpStatusCode: 503 } }))._tag, 'Transient');
  assert.is(map(aws('TransactionInProgressException'))._tag, 'Transient');
  assert.is(
    map(aws('ValidationException', { message: 'Item size has exceeded the maximum allowed size' }))._tag,
    'TooLarge',
  );
  assert.is(map(aws('ValidationException', { message: 'Invalid UpdateExpression' }))._tag, 'Invalid');
  assert.is(map(aws('ResourceNotFoundException'))._tag, 'Unexpected');
  const reset = map(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
  assert.is(reset._tag, 'Transient');
  assert.is(reset.awsCode, 'ECONNRESET');
  assert.is(map(Object.assign(new Error('timed out'), { name: 'TimeoutError' }))._tag, 'Transient');
  assert.is(map('not even an error')._tag, 'Unexpected');
  assert.is(map(aws('ThrottlingException')).messageId, 'm1');
  assert.is(map(aws('ThrottlingException')).attemptNumber, 3);
});

Mapping.run();

const Keys = suite('keys');

Keys('shards are stable and index sort keys carry the messageId', () => {
  assert.is(failedShardOf('msg-1'), failedShardOf('msg-1'));
  assert.equal(failedIndexKeys('msg-1', '2026-01-02T03:04:05.000Z'), {
    gsi1pk: `FAILED#2026-01-02#${failedShardOf('msg-1')}`,
    gsi1sk: '2026-01-02T03:04:05.000Z#msg-1',
  });
  assert.is(messageIdOfIndexSk('2026-01-02T03:04:05.000Z#a:b.c-d'), 'a:b.c-d');
  assert.is(tableKeys.attemptSk(7), 'ATTEMPT#000007');
  // pinned values: a change would move existing items to other shards
  assert.equal(['a', 'b', 'msg-1', 'order:42'].map(failedShardOf), [4, 5, 4, 1]);
});

Keys('a Powertools Logger is a Logger', () => {
  const logger: Logger = new PowertoolsLogger({ serviceName: 'store-test', logLevel: 'SILENT' });
  logger.info('typed', { messageId: 'm1' });
  assert.ok(logger);
});

Keys.run();
