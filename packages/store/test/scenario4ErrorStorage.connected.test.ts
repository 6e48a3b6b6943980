// Seed scenario 4: each failure category is stored structured; secrets never reach the
// table; oversized details are truncated under the budget with a marker and byte count.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type OutcomeInput, size } from '@delivery-history/core';
import { TRUNCATION_MARKER } from '@delivery-history/core/testing';
import { DEFAULT_BUDGETS, tableKeys } from '@delivery-history/store';
import * as assert from 'uvu/assert';
import { deliver, foldMismatch, request, right, storeSuite } from './support/storeFixtures.js';

const Storage = storeSuite('scenario 4: error information storage', 's4-errors');

const response = (
  statusCode: number,
  statusText: string,
  snippet: string,
  headers: Record<string, string> = {},
): OutcomeInput => ({
  kind: 'response',
  statusCode,
  statusText,
  headers,
  responseTimeMs: 30,
  bodySnippet: snippet,
  bodyBytes: Buffer.byteLength(snippet),
});
const transport = (
  code: 'ECONNRESET' | 'CONNECT_TIMEOUT' | 'RESPONSE_TOO_LARGE' | 'BLOCKED_TARGET' | 'ENOTFOUND',
  message: string,
): OutcomeInput => ({
  kind: 'error',
  code,
  message,
  responseTimeMs: 5,
});

const CASES: Array<[string, OutcomeInput, string, string, boolean]> = [
  ['client', response(400, 'Bad Request', '{"error":"bad field"}'), 'HTTP_400', 'client_error', false],
  [
    'ratelimit',
    response(429, 'Too Many Requests', 'slow down', { 'retry-after': '30' }),
    'HTTP_429',
    'rate_limited',
    true,
  ],
  ['server', response(500, 'Internal Server Error', 'boom'), 'HTTP_500', 'server_error', true],
  ['redirect', response(302, 'Found', ''), 'HTTP_302', 'redirect', true],
  ['reset', transport('ECONNRESET', 'socket hang up'), 'ECONNRESET', 'network', true],
  ['dns', transport('ENOTFOUND', 'getaddrinfo ENOTFOUND hooks.example.com'), 'ENOTFOUND', 'network', true],
  ['connect', transport('CONNECT_TIMEOUT', 'connect timed out after 3000 ms'), 'CONNECT_TIMEOUT', 'timeout', true],
  [
    'toolarge',
    transport('RESPONSE_TOO_LARGE', 'response over 1 MiB'),
    'RESPONSE_TOO_LARGE',
    'response_too_large',
    false,
  ],
  ['blocked', transport('BLOCKED_TARGET', '10.0.0.1 is a private address'), 'BLOCKED_TARGET', 'blocked_target', false],
];

Storage('every failure category is stored as structured error details, on STATE and attempt', async ({ store }) => {
  for (const [name, input, code, category, retryable] of CASES) {
    const req = request(`s4-${name}`);
    await right(store.createMessage(req));
    await deliver(store, req, input);
    const h = await right(store.getHistory(req.messageId));
    const details = h.state.deliveryResult?.errorDetails;
    assert.ok(details, `${name}: details stored`);
    assert.is(details?.code, code, name);
    assert.is(details?.category, category, name);
    assert.ok((details?.message ?? '').length > 0, `${name}: message`);
    assert.is(h.state.retryEligible, retryable, `${name}: retryEligible`);
    assert.equal(h.attempts[0]?.deliveryResult, h.state.deliveryResult, `${name}: attempt carries the same result`);
    assert.equal(await foldMismatch(store, req.messageId), [], name);
  }
  const limited = await right(store.getState('s4-ratelimit'));
  const delay = Date.parse(limited.nextAttemptAt ?? '') - Date.parse(limited.deliveryResult?.timestamp ?? '');
  assert.is(delay, 30_000, 'Retry-After honoured');
});

Storage('credentials in headers, URL and response headers are never stored', async ({ t, store }) => {
  const req = request('s4-secrets', {
    url: 'https://user:hunter2@hooks.example.com/in?token=tok-SECRET-1&plain=yes',
    headers: { authorization: 'Bearer SECRET-2', 'x-api-key': 'SECRET-3', 'content-type': 'application/json' },
  });
  await right(store.createMessage(req));
  await deliver(store, req, response(401, 'Unauthorized', 'who are you'), {
    responseHeaders: { 'set-cookie': 'session=SECRET-4', 'www-authenticate': 'Bearer' },
  });
  const raw = await t.doc.send(
    new QueryCommand({
      TableName: t.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': tableKeys.messagePk(req.messageId) },
    }),
  );
  const text = JSON.stringify(raw.Items);
  for (const secret of ['hunter2', 'tok-SECRET-1', 'SECRET-2', 'SECRET-3', 'SECRET-4']) {
    assert.not.ok(text.includes(secret), `${secret} leaked`);
  }
  assert.ok(text.includes('[REDACTED]'));
  assert.ok(text.includes('plain=yes'), 'harmless parameters kept');
});

Storage(
  'an oversized response snippet is truncated under budget with a marker and original size',
  async ({ t, store }) => {
    const req = request('s4-huge');
    await right(store.createMessage(req));
    const huge = 'x'.repeat(600_000);
    await deliver(store, req, response(500, 'Internal Server Error', huge));
    const h = await right(store.getHistory(req.messageId));
    const attempt = h.attempts[0];
    const snippet = attempt?.deliveryResult.errorDetails?.responseSnippet ?? '';
    assert.ok(snippet.endsWith(TRUNCATION_MARKER), 'marker');
    assert.ok(snippet.length < huge.length);
    assert.is(attempt?.truncated['deliveryResult.errorDetails.responseSnippet'], 600_000);
    assert.equal(h.state.deliveryResult, attempt?.deliveryResult, 'STATE holds the same truncated result');
    const rawAttempt = await t.doc.send(
      new GetCommand({ TableName: t.tableName, Key: tableKeys.attemptKey(req.messageId, 1) }),
    );
    const rawState = await t.doc.send(
      new GetCommand({ TableName: t.tableName, Key: tableKeys.stateKey(req.messageId) }),
    );
    assert.ok(size.item(rawAttempt.Item ?? {}) <= DEFAULT_BUDGETS.itemBytes, 'attempt under budget');
    assert.ok(size.item(rawState.Item ?? {}) <= DEFAULT_BUDGETS.itemBytes, 'state under budget');
    assert.ok(size.item(attempt?.deliveryResult ?? {}) <= DEFAULT_BUDGETS.resultBytes);
  },
);

Storage('an oversized request body is not kept on STATE (null, size recorded)', async ({ t, store }) => {
  const req = request('s4-bigbody', { body: 'y'.repeat(500_000) });
  await right(store.createMessage(req));
  await deliver(store, req, response(503, 'Service Unavailable', 'later'));
  const state = await right(store.getState(req.messageId));
  assert.is(state.request.body, null);
  assert.is(state.request.bodyBytes, 500_000);
  assert.is(state.truncated['request.body'], 500_000);
  const raw = await t.doc.send(new GetCommand({ TableName: t.tableName, Key: tableKeys.stateKey(req.messageId) }));
  assert.ok(size.item(raw.Item ?? {}) <= DEFAULT_BUDGETS.itemBytes);
});

Storage.run();
