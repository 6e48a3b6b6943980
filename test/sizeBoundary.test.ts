// core's size.item against the real thing: for several item shapes, an item whose
// size.item is exactly 400 KB is accepted by DynamoDB Local and one byte more is
// rejected with a ValidationException about item size.
import { GetCommand, NumberValue, PutCommand } from '@aws-sdk/lib-dynamodb';
import { size } from '@delivery-history/core';
import * as assert from 'uvu/assert';
import { tableSuite } from '@delivery-history/testkit/suiteWith';
import type { TestTable } from '@delivery-history/testkit/testTable';

type Item = Record<string, unknown>;
const Boundary = tableSuite('itemSize at the 400 KB boundary (DynamoDB Local)', 'size-boundary');

/** `shape(pad)` must grow by exactly one byte per pad char; returns the item of size `target`. */
const sized = (shape: (pad: string) => Item, target: number): Item => {
  const empty = size.item(shape(''));
  const item = shape('a'.repeat(target - empty));
  assert.is(size.item(item), target, 'the builder reaches the target size exactly');
  return item;
};

const put = async (t: TestTable, item: Item): Promise<unknown> => {
  try {
    await t.doc.send(new PutCommand({ TableName: t.tableName, Item: item }));
    return undefined;
  } catch (e) {
    return e;
  }
};

const pk = 'pk';

const assertBoundary = async (t: TestTable, name: string, shape: (pad: string) => Item) => {
  const fits = sized(shape, size.ITEM_LIMIT_BYTES);
  const over = sized(shape, size.ITEM_LIMIT_BYTES + 1);
  const accepted = await put(t, fits);
  assert.is(accepted, undefined, `${name}: an item of exactly 400 KB is accepted (${String(accepted)})`);
  const stored = await t.doc.send(
    new GetCommand({ TableName: t.tableName, Key: { pk: fits.pk, sk: fits.sk }, ProjectionExpression: pk }),
  );
  assert.equal(stored.Item, { pk: fits.pk }, `${name}: stored`);
  const error = await put(t, over);
  assert.ok(error instanceof Error, `${name}: 400 KB + 1 byte is rejected`);
  assert.is((error as Error).name, 'ValidationException', name);
  assert.match((error as Error).message, /item size/i, name);
};

Boundary('one long ASCII string', async ({ t }) => {
  await assertBoundary(t, 'long string', (pad) => ({ pk: 'MSG#long', sk: 'STATE', body: pad }));
});

Boundary('multi-byte UTF-8 text (2, 3 and 4 byte characters)', async ({ t }) => {
  const text = 'é€😀'.repeat(20_000); // 9 bytes per repeat
  await assertBoundary(t, 'utf8', (pad) => ({ pk: 'MSG#utf8', sk: 'STATE', text, 'näme€': pad }));
});

Boundary('many attributes', async ({ t }) => {
  const many: Item = {};
  for (let i = 0; i < 2_000; i++) many[`attr${String(i).padStart(5, '0')}`] = `v${i}`;
  await assertBoundary(t, 'many attributes', (pad) => ({ pk: 'MSG#many', sk: 'STATE', ...many, pad }));
});

Boundary('nested maps and lists', async ({ t }) => {
  await assertBoundary(t, 'nested', (pad) => ({
    pk: 'MSG#nested',
    sk: 'STATE',
    deliveryResult: {
      errorDetails: { code: 'HTTP_500', message: 'm', responseSnippet: null, tags: ['a', 'bb', [1, { x: true }]] },
      empty: {},
      none: [],
    },
    response: { headers: { 'content-type': 'text/plain', 'x-pad': pad } },
  }));
});

Boundary('numbers of every shape', async ({ t }) => {
  const values: unknown[] = [
    0,
    1,
    12,
    123,
    1234,
    100,
    1_000_000,
    -1,
    -12,
    -123,
    0.5,
    0.05,
    1.5,
    -1.5,
    12.25,
    123.456,
    1e-7,
    5e-8,
    123456789012345,
    -123456789012345,
    Number.MAX_SAFE_INTEGER,
    NumberValue.from('12345678901234567890123456789012345678'),
    NumberValue.from('-12345678901234567890123456789012345678'),
    NumberValue.from('0.12345678901234567890123456789012345678'),
    NumberValue.from('1E+100'),
  ];
  const numbers: Item = {};
  // many copies so a 1-byte error in any rule would be visible many times over
  for (let i = 0; i < 4_000; i++) numbers[`n${i}`] = values[i % values.length];
  await assertBoundary(t, 'numbers', (pad) => ({
    pk: 'MSG#numbers',
    sk: 'STATE',
    ...numbers,
    list: [3.25, -7, 42],
    pad,
  }));
});

Boundary('sets, booleans, nulls and binary', async ({ t }) => {
  await assertBoundary(t, 'scalars', (pad) => ({
    pk: 'MSG#scalars',
    sk: 'STATE',
    ok: true,
    no: false,
    nothing: null,
    tags: new Set(['a', 'bc', 'déf']),
    counts: new Set([1, 23, 456]),
    blob: new Uint8Array(1000).fill(7),
    pad,
  }));
});

Boundary.run();
