import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  AttemptItem,
  attemptRequestOf,
  buildAttemptItem,
  createStateItem,
  type DeliveryRequest,
  defaultRetryPolicy,
  decodeWith,
  determineDeliveryOutcome,
  endpointOf,
  StateItem,
  transition,
} from '../src/index.js';
import { REDACTED } from '../src/redaction/names.js';
import { requestFingerprint, sha256Hex } from '../src/testing.js';
import { DEFAULT_BODY_BUDGET_BYTES } from '../src/request/createStateItem.js';

const Build = suite('createStateItem, buildAttemptItem, fingerprint');

const req: DeliveryRequest = {
  messageId: 'msg-7',
  url: 'https://user:pw@Hooks.Example.com:8443/in?token=abc&x=1',
  method: 'POST',
  headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
  body: '{"n":"é"}',
  correlationId: 'corr-7',
  maxAttempts: null,
};
const now = new Date('2025-05-05T05:05:05.000Z');

Build('createStateItem: PENDING, redacted, decodable', () => {
  const s = createStateItem(req, { now, defaultMaxAttempts: 8 });
  assert.ok(E.isRight(decodeWith(StateItem, s)));
  assert.is(s.status, 'PENDING');
  assert.is(s.attempts, 0);
  assert.is(s.maxAttempts, 8);
  assert.is(s.retryEligible, true);
  assert.is(s.endpoint, 'hooks.example.com:8443');
  assert.is(s.request.url, `https://hooks.example.com:8443/in?token=${REDACTED}&x=1`);
  assert.equal(s.request.headers, { Authorization: REDACTED, 'Content-Type': 'application/json' });
  assert.is(s.request.body, req.body);
  assert.is(s.request.bodyBytes, 10);
  assert.is(s.request.bodySha256, sha256Hex(req.body));
  assert.is(s.request.fingerprint, requestFingerprint(req));
  assert.is(s.createdAt, now.toISOString());
  assert.equal(s.truncated, {});
  assert.not.ok(JSON.stringify(s).includes('Bearer t'));
  assert.is(createStateItem({ ...req, maxAttempts: 3 }, { now, defaultMaxAttempts: 8 }).maxAttempts, 3);
});

Build('createStateItem: a body over its budget is stored as null and recorded', () => {
  const body = 'x'.repeat(DEFAULT_BODY_BUDGET_BYTES + 1);
  const s = createStateItem({ ...req, body }, { now, defaultMaxAttempts: 8 });
  assert.is(s.request.body, null);
  assert.is(s.request.bodyBytes, body.length);
  assert.equal(s.truncated, { 'request.body': body.length });
  assert.is(
    createStateItem({ ...req, body: 'abcd' }, { now, defaultMaxAttempts: 8, bodyBudgetBytes: 3 }).request.body,
    null,
  );
});

Build('fingerprint: same delivery -> same, any difference -> different, secrets do not matter', () => {
  const f = requestFingerprint(req);
  assert.match(f, /^[0-9a-f]{64}$/);
  assert.is(
    requestFingerprint({ ...req, headers: { 'content-type': 'application/json', authorization: 'Bearer t' } }),
    f,
    'header name case and order',
  );
  assert.is(
    requestFingerprint({ ...req, headers: { ...req.headers, Authorization: 'Bearer rotated' } }),
    f,
    'redacted values are not part of it',
  );
  for (const other of [
    { ...req, body: '{}' },
    { ...req, method: 'PUT' as const },
    { ...req, url: 'https://hooks.example.com:8443/other' },
    { ...req, maxAttempts: 2 },
    { ...req, correlationId: 'c2' },
  ])
    assert.is.not(requestFingerprint(other), f);
});

Build('endpointOf: lower-case host[:port], default ports dropped', () => {
  assert.is(endpointOf('https://API.Example.com/x'), 'api.example.com');
  assert.is(endpointOf('https://a.io:443/'), 'a.io');
  assert.is(endpointOf('http://127.0.0.1:8080/'), '127.0.0.1:8080');
  assert.is(endpointOf('nope'), '');
});

Build('buildAttemptItem: decodable, redacted, and accepted by transition', () => {
  const outcome = determineDeliveryOutcome(
    {
      kind: 'response',
      statusCode: 503,
      statusText: 'Unavailable',
      headers: { 'Set-Cookie': 'sid=1' },
      responseTimeMs: 9,
      bodySnippet: 'down',
      bodyBytes: 4,
    },
    {
      now,
      correlationId: req.correlationId,
      attemptNumber: 1,
      maxAttempts: 8,
      policy: defaultRetryPolicy,
      random: () => 0,
    },
  );
  const a = buildAttemptItem({
    messageId: req.messageId,
    request: attemptRequestOf(req),
    attemptNumber: 1,
    attemptId: 'att-1',
    leaseId: 'lease-1',
    startedAt: new Date(now.getTime() - 9),
    completedAt: now,
    outcome,
    responseHeaders: { 'Set-Cookie': 'sid=1', 'Content-Type': 'text/plain' },
    superseded: false,
  });
  assert.equal(decodeWith(AttemptItem, a), E.right(a));
  assert.equal(a.request, attemptRequestOf(req));
  assert.equal(a.response, { headers: { 'Set-Cookie': REDACTED, 'Content-Type': 'text/plain' } });
  assert.is(a.status, 'FAILED');
  assert.is(a.nextAttemptAt, outcome.nextAttemptAt);
  const s = transition(createStateItem(req, { now, defaultMaxAttempts: 8 }), a);
  assert.ok(E.isRight(s) && s.right.status === 'FAILED' && s.right.retryEligible);
  const noResponse = buildAttemptItem({
    messageId: req.messageId,
    request: attemptRequestOf(req),
    attemptNumber: 1,
    attemptId: 'a',
    leaseId: 'l',
    startedAt: now,
    completedAt: now,
    outcome,
    responseHeaders: null,
    superseded: true,
  });
  assert.is(noResponse.response, null);
  assert.is(noResponse.superseded, true);
});

Build.run();
