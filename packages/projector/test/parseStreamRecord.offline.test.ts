import { marshall } from '@aws-sdk/util-dynamodb';
import { parseStreamRecord, readConfig } from '@delivery-history/projector/testing';
import { matchesStreamFilter, STREAM_FILTER_PATTERNS } from '@delivery-history/store';
import { STREAM_FILTER_CRITERIA } from '@delivery-history/store/testing';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  attempt,
  attemptKeyed,
  attemptRecord,
  insertRecord,
  redrive,
  redriveRecord,
} from './support/projectorFixtures.js';

const record = (eventName: string, item: Record<string, unknown>, seq = '100') => ({
  eventName,
  dynamodb: { Keys: marshall({ pk: item.pk, sk: item.sk }), NewImage: marshall(item), SequenceNumber: seq },
});

const Filter = suite('stream filter');

Filter('only INSERTs of ATTEMPT#, REDRIVE#, HOLD#, REQUEUE# and MOVE# items pass', () => {
  const a = attemptKeyed(attempt('m', 1, 'success'));
  assert.ok(matchesStreamFilter(record('INSERT', a)));
  assert.ok(matchesStreamFilter(record('INSERT', { pk: 'MSG#m', sk: 'REDRIVE#0001' })));
  assert.ok(matchesStreamFilter(record('INSERT', { pk: 'MSG#m', sk: 'HOLD#0001' })));
  assert.ok(matchesStreamFilter(record('INSERT', { pk: 'MSG#m', sk: 'REQUEUE#2025-01-01T00:00:00.000Z#ab12cd34' })));
  assert.ok(matchesStreamFilter(record('INSERT', { pk: 'EPMOVE#h', sk: 'MOVE#0000000001' })));
  assert.not.ok(matchesStreamFilter(record('MODIFY', { pk: 'BREAKER', sk: 'EP#h' })), 'breaker state writes');
  assert.not.ok(matchesStreamFilter(record('INSERT', { pk: 'HELD#h', sk: 'x#m' })), 'the held registry');
  assert.not.ok(matchesStreamFilter(record('MODIFY', a)), 'attempts are immutable: a MODIFY is not new');
  assert.not.ok(matchesStreamFilter(record('REMOVE', a)));
  assert.not.ok(matchesStreamFilter(record('MODIFY', { pk: 'MSG#m', sk: 'STATE' })));
  assert.not.ok(matchesStreamFilter(record('INSERT', { pk: 'MSG#m', sk: 'AUDIT#0000' })), 'its own writes');
  assert.not.ok(matchesStreamFilter(record('INSERT', { pk: 'PROJECTOR#arn', sk: 'SHARD#x' })), 'its checkpoints');
  assert.not.ok(matchesStreamFilter(null));
});

Filter('the criteria for infra are the same patterns as JSON strings', () => {
  assert.is(STREAM_FILTER_CRITERIA.Filters.length, STREAM_FILTER_PATTERNS.length);
  assert.equal(JSON.parse(STREAM_FILTER_CRITERIA.Filters[0]?.Pattern ?? '{}'), {
    eventName: ['INSERT'],
    dynamodb: {
      Keys: {
        sk: {
          S: [
            { prefix: 'ATTEMPT#' },
            { prefix: 'REDRIVE#' },
            { prefix: 'HOLD#' },
            { prefix: 'REQUEUE#' },
            { prefix: 'MOVE#' },
          ],
        },
      },
    },
  });
});

Filter.run();

const Parse = suite('parseStreamRecord');

Parse('decodes an attempt and a redrive', () => {
  const a = attempt('m-1', 3, 'retry');
  const p = parseStreamRecord(attemptRecord(a, '123'));
  assert.equal(p, { _tag: 'Change', change: { kind: 'attempt', sequenceNumber: '123', messageId: 'm-1', attempt: a } });
  const r = redrive('m-1', 1, 3, 6);
  const q = parseStreamRecord(redriveRecord(r, '124'));
  assert.equal(q, { _tag: 'Change', change: { kind: 'redrive', sequenceNumber: '124', messageId: 'm-1', redrive: r } });
});

Parse('decodes a hold event (a Change of its message) and an endpoint move (its own tag)', () => {
  const hold = {
    type: 'HOLD',
    messageId: 'm-1',
    holdNumber: 2,
    kind: 'expired',
    afterAttempt: 1,
    afterRedrive: 0,
    mode: 'retention',
    reason: 'held past 7 days',
    by: 'ops',
    at: '2026-12-01T00:00:00.000Z',
  } as const;
  const p = parseStreamRecord(insertRecord({ pk: 'MSG#m-1', sk: 'HOLD#0002', ...hold }, '130'));
  assert.equal(p, { _tag: 'Change', change: { kind: 'hold', sequenceNumber: '130', messageId: 'm-1', hold } });
  const wrong = parseStreamRecord(insertRecord({ pk: 'MSG#m-1', sk: 'HOLD#0003', ...hold }, '131'));
  assert.is(wrong._tag, 'Malformed', 'keys must agree with the hold number');
  const move = {
    type: 'MOVE',
    endpoint: 'hooks.example.com',
    from: 'closed',
    to: 'paused',
    reason: 'INC-1',
    by: 'ops',
    at: '2026-12-01T00:00:00.000Z',
    version: 3,
  } as const;
  const m = parseStreamRecord(insertRecord({ pk: 'EPMOVE#hooks.example.com', sk: 'MOVE#0000000003', ...move }, '132'));
  assert.equal(m, { _tag: 'Move', sequenceNumber: '132', move });
  const other = parseStreamRecord(insertRecord({ pk: 'EPMOVE#other', sk: 'MOVE#0000000003', ...move }, '133'));
  assert.is(other._tag, 'Malformed', 'keys must agree with the endpoint');
});

Parse('SDK-shaped records: an empty map deserialized as {} by the streams client still decodes', () => {
  const a = attempt('m-2', 1, 'success');
  const image = marshall(attemptKeyed(a)) as Record<string, unknown>;
  const sdkLike = { ...image, truncated: {}, request: { M: { ...(image.request as { M: object }).M, headers: {} } } };
  const p = parseStreamRecord({
    eventName: 'INSERT',
    dynamodb: { Keys: marshall({ pk: 'MSG#m-2', sk: 'ATTEMPT#000001' }), NewImage: sdkLike, SequenceNumber: '1' },
  });
  assert.is(p._tag, 'Change');
});

Parse('other changes are Ignored with their sequence number', () => {
  assert.equal(parseStreamRecord(record('MODIFY', { pk: 'MSG#m', sk: 'STATE' }, '9')), {
    _tag: 'Ignored',
    sequenceNumber: '9',
  });
});

Parse('an attempt image that does not decode is Malformed with its sequence number and a reason', () => {
  const p = parseStreamRecord(insertRecord({ pk: 'MSG#m', sk: 'ATTEMPT#000001', type: 'ATTEMPT', junk: true }, '77'));
  assert.is(p._tag, 'Malformed');
  if (p._tag === 'Malformed') {
    assert.is(p.sequenceNumber, '77');
    assert.match(p.reason, /invalid AttemptItem/);
  }
});

Parse('keys that disagree with the item are Malformed', () => {
  const a = attemptKeyed(attempt('m', 2, 'success'));
  const p = parseStreamRecord(insertRecord({ ...a, sk: 'ATTEMPT#000005' }, '5'));
  assert.is(p._tag, 'Malformed');
});

Parse('missing NewImage (wrong stream view) and bad attribute values are Malformed', () => {
  const noImage = {
    eventName: 'INSERT',
    dynamodb: { Keys: marshall({ pk: 'MSG#m', sk: 'ATTEMPT#000001' }), SequenceNumber: '8' },
  };
  assert.equal(parseStreamRecord(noImage)._tag, 'Malformed');
  const bad = {
    eventName: 'INSERT',
    dynamodb: { Keys: marshall({ pk: 'MSG#m', sk: 'ATTEMPT#000001' }), NewImage: { x: { Q: 1 } }, SequenceNumber: '8' },
  };
  assert.equal(parseStreamRecord(bad)._tag, 'Malformed');
});

Parse.run();

const Config = suite('readConfig');

Config('defaults', () => {
  const c = readConfig({});
  assert.ok(E.isRight(c));
  if (E.isRight(c)) {
    assert.is(c.right.tableName, 'delivery-history');
    assert.equal(c.right.budget, { headBytes: 16 * 1024, segmentBytes: 64 * 1024 });
    assert.is(c.right.endpoint, undefined);
  }
});

Config('reads the shared variables and the budget', () => {
  const c = readConfig({
    DELIVERY_TABLE_NAME: 'dh-t1',
    AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: 'http://127.0.0.1:8001',
    DELIVERY_AUDIT_SEGMENT_BYTES: '8192',
  });
  assert.ok(E.isRight(c));
  if (E.isRight(c)) {
    assert.is(c.right.tableName, 'dh-t1');
    assert.is(c.right.streamsEndpoint, 'http://127.0.0.1:8001');
    assert.equal(c.right.budget, { headBytes: 8192, segmentBytes: 8192 });
  }
});

Config('rejects a budget over the cap with a message naming the variable', () => {
  const c = readConfig({ DELIVERY_AUDIT_SEGMENT_BYTES: '500000', DELIVERY_PROJECTOR_CONCURRENCY: 'x' });
  assert.ok(E.isLeft(c));
  if (E.isLeft(c)) {
    assert.match(c.left.message, /DELIVERY_AUDIT_SEGMENT_BYTES/);
    assert.match(c.left.message, /DELIVERY_PROJECTOR_CONCURRENCY/);
  }
});

Config.run();
