// Issue 29: the worker's hand-off (request + observed exchange) is bounded below the queue's
// limit: the observed copies are trimmed in order, and a request that leaves no room is refused.
import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { DeliveryRequest, ObservedExchange } from '../src/index.js';
import { boundHandoffBody } from '../src/size/handoffBody.js';
import { TRUNCATION_MARKER } from '../src/size/truncateUtf8.js';

const request = (body: string): DeliveryRequest => ({
  messageId: 'm-1',
  url: 'https://receiver.example/hook',
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body,
  correlationId: 'c-1',
  maxAttempts: null,
});

const observed = (snippet: string): ObservedExchange => ({
  attemptNumber: 1,
  leaseId: 'l-1',
  attemptId: 'a-1',
  startedAt: '2026-12-07T10:00:00.000Z',
  completedAt: '2026-12-07T10:00:01.000Z',
  observation: {
    kind: 'response',
    statusCode: 429,
    statusText: 'Too Many Requests',
    headers: { 'retry-after': '30', 'content-type': 'text/plain', 'x-request-id': 'r'.repeat(200) },
    responseTimeMs: 1000,
    bodySnippet: snippet,
    bodyBytes: 100_000,
  },
  responseHeaders: { 'retry-after': '30', 'x-request-id': 'r'.repeat(200) },
  sentHeaders: { 'webhook-id': 'm-1', 'user-agent': 'delivery-history-worker/0.1' },
});

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const Handoff = suite('hand-off body bound');

Handoff('under the bound: the body is the request plus the observed exchange, untouched', () => {
  const r = boundHandoffBody(request('{}'), observed('ok'), 10_000);
  assert.ok(E.isRight(r));
  if (E.isLeft(r)) return;
  assert.is(r.right.trimmed, false);
  assert.equal(JSON.parse(r.right.body), { ...request('{}'), observed: observed('ok') });
});

Handoff('over it: the snippet is cut first (marked), Retry-After and the sent headers kept', () => {
  const req = request('x'.repeat(2_000));
  const full = bytes(JSON.stringify({ ...req, observed: observed('é'.repeat(2_000)) }));
  const r = boundHandoffBody(req, observed('é'.repeat(2_000)), full - 1_000);
  assert.ok(E.isRight(r));
  if (E.isLeft(r)) return;
  assert.ok(r.right.bytes <= full - 1_000 && bytes(r.right.body) === r.right.bytes);
  const back = JSON.parse(r.right.body);
  assert.ok(back.observed.observation.bodySnippet.endsWith(TRUNCATION_MARKER));
  assert.is(back.observed.observation.headers['retry-after'], '30');
  assert.is(back.observed.sentHeaders['webhook-id'], 'm-1');
  assert.is(back.body, req.body, 'the request is never cut');
});

Handoff('then the headers go (Retry-After kept), then the sent headers; a request alone too big is refused', () => {
  const req = request('x'.repeat(2_000));
  // room for everything but the snippet, the other headers and the sent headers
  const o = observed('');
  const minimal = {
    ...o,
    observation: { ...o.observation, headers: { 'retry-after': '30' } },
    responseHeaders: { 'retry-after': '30' },
    sentHeaders: undefined,
  };
  const room = bytes(JSON.stringify({ ...req, observed: minimal })) + 5;
  const r = boundHandoffBody(req, observed('s'.repeat(500)), room);
  assert.ok(E.isRight(r));
  if (E.isLeft(r)) return;
  const back = JSON.parse(r.right.body);
  assert.equal(back.observed.observation.headers, { 'retry-after': '30' });
  assert.equal(back.observed.responseHeaders, { 'retry-after': '30' });
  assert.is(back.observed.sentHeaders, undefined);
  const refused = boundHandoffBody(req, observed('s'), 1_500);
  assert.ok(E.isLeft(refused));
  if (E.isRight(refused)) return;
  assert.match(refused.left, /exceeds the queue's 1500 .*the request alone is \d+ bytes/);
});

Handoff(
  'property: any body and snippet, any bound: within it, or refused only when the bare request exceeds it',
  () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 3_000 }),
        fc.string({ maxLength: 3_000 }),
        fc.integer({ min: 200, max: 9_000 }),
        (body, snippet, max) => {
          const req = request(body);
          const r = boundHandoffBody(req, observed(snippet), max);
          if (E.isRight(r)) return r.right.bytes <= max && bytes(r.right.body) === r.right.bytes;
          // the observed skeleton (ids, times, status, Retry-After) is under 500 bytes
          return bytes(JSON.stringify(req)) > max - 500;
        },
      ),
    );
  },
);

Handoff.run();
