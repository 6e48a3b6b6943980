import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { attributeValueSize, DYNAMODB_ITEM_LIMIT_BYTES, itemSize, utf8Bytes } from '../src/size/itemSize.js';
import { numberSize, truncateUtf8 } from '../src/testing.js';

const Size = suite('itemSize');

Size('strings and names count UTF-8 bytes', () => {
  assert.is(itemSize({ a: 'bc' }), 3);
  assert.is(itemSize({ é: '€😀' }), 2 + 3 + 4);
  assert.is(itemSize({ pk: 'MSG#1', sk: 'STATE' }), 2 + 5 + 2 + 5);
  assert.is(itemSize({ empty: '' }), 5);
});

Size('booleans and null are 1 byte; undefined is skipped', () => {
  assert.is(itemSize({ t: true, f: false, n: null, u: undefined }), 2 + 2 + 2);
});

Size('lists and maps: 3 bytes + 1 per element + contents, nested names counted', () => {
  assert.is(attributeValueSize([]), 3);
  assert.is(attributeValueSize({}), 3);
  assert.is(attributeValueSize(['a']), 3 + 1 + 1);
  assert.is(attributeValueSize(['a', 'b']), 3 + 2 + 2);
  assert.is(attributeValueSize({ a: 'b' }), 3 + 1 + 1 + 1);
  // measured against DynamoDB Local: { v: { a: { b: [1, 'x'] } } } costs 19
  assert.is(itemSize({ v: { a: { b: [1, 'x'] } } }), 19);
  assert.is(attributeValueSize({ a: undefined, b: 'c' }), 3 + 1 + 1 + 1);
});

Size('sets are the sum of their members; binary counts raw bytes', () => {
  assert.is(attributeValueSize(new Set(['a', 'bc'])), 3);
  assert.is(attributeValueSize(new Set([1, 23])), 4);
  assert.is(attributeValueSize(new Uint8Array([1, 2, 3])), 3);
  assert.is(attributeValueSize(new Uint8Array(10).buffer), 10);
});

Size('numbers: base-100 digit pairs aligned on the point + 1, + 1 when negative (measured on DynamoDB Local)', () => {
  const measured: Array<[number | string, number]> = [
    [0, 1],
    [1, 2],
    [12, 2],
    [123, 3],
    [1234, 3],
    [100, 2],
    [1_000_000, 2],
    [-1, 3],
    [-12, 3],
    [-123, 4],
    [0.5, 2],
    [0.05, 2],
    [1.5, 3],
    [-1.5, 4],
    [12.25, 3],
    [0.125, 3],
    [10.5, 3],
    [1.25, 3],
    [123.456, 5],
    [1e-7, 2],
    [5e-8, 2],
    [-0.5, 3],
    [-99, 3],
    [-0.001, 3],
    [123456789012345, 9],
    [-123456789012345, 10],
    ['12345678901234567890123456789012345678', 20],
    ['-12345678901234567890123456789012345678', 21],
    ['1E+100', 2],
    ['-1234567890123456789012345678901234567', 21],
    ['0.12345678901234567890123456789012345678', 20],
  ];
  for (const [n, size] of measured) assert.is(numberSize(n), size, String(n));
  assert.is(numberSize(12n), 2);
});

Size('lib-dynamodb NumberValue is sized as the number it holds', () => {
  class NumberValue {
    constructor(readonly value: string) {}
  }
  assert.is(attributeValueSize(new NumberValue('-1.5')), 4);
});

Size('the limit is 400 KB', () => {
  assert.is(DYNAMODB_ITEM_LIMIT_BYTES, 409_600);
});

Size('truncateUtf8 never splits a character', () => {
  assert.is(truncateUtf8('a€b', 1), 'a');
  assert.is(truncateUtf8('a€b', 2), 'a');
  assert.is(truncateUtf8('a€b', 3), 'a');
  assert.is(truncateUtf8('a€b', 4), 'a€');
  assert.is(truncateUtf8('😀😀', 7), '😀');
  assert.is(truncateUtf8('😀😀', 8), '😀😀');
  assert.is(truncateUtf8('abc', 0), '');
  assert.is(utf8Bytes(truncateUtf8('é'.repeat(10), 9)), 8);
});

Size.run();
