// The store owns its policies: the secret policy it was built with redacts a request once, at
// create; the retry policy it was built with decides each appended observation's outcome (the
// writer hands over what it saw, not a closure); both come from core's one reader.
import { DecodeError, makeRetryPolicy, readStorePolicies, redaction } from '@delivery-history/core';
import { createStore } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { TestTable } from '@delivery-history/testkit/testTable';
import { err503, request, right, useStore } from './support/storeFixtures.js';

type Ctx = { t: TestTable };
const Policies = suite<Ctx>('store policies');

Policies.before(async (ctx) => {
  ctx.t = (await useStore('store-policies')).t;
});
Policies.after(async ({ t }) => t.drop());

const policiesOf = (env: Record<string, string>) => {
  const p = readStorePolicies(env);
  if (E.isLeft(p)) throw new Error(p.left.message);
  return p.right;
};

Policies("a request is redacted at create by the store's own secret policy (DELIVERY_REDACT_*)", async ({ t }) => {
  const configured = policiesOf({ DELIVERY_REDACT_HEADERS: 'x-tenant-*' });
  const withPolicy = createStore({ doc: t.doc, tableName: t.tableName, secrets: configured.secrets });
  const plain = createStore({ doc: t.doc, tableName: t.tableName });
  const headers = { 'content-type': 'application/json', 'x-tenant-pin': '0000-1111-2222' };
  const a = await right(withPolicy.createMessage(request('pol-redacted', { headers })));
  const b = await right(plain.createMessage(request('pol-builtin', { headers })));
  assert.is(a.state.request.headers['x-tenant-pin'], redaction.REDACTED);
  assert.is(b.state.request.headers['x-tenant-pin'], '0000-1111-2222', 'not a credential by the built-in policy');
  assert.is(withPolicy.policies.secrets, configured.secrets);
});

Policies("an appended observation's outcome follows the store's retry policy (DELIVERY_BACKOFF_*)", async ({ t }) => {
  const delayOf = async (id: string, baseMs: number) => {
    const store = createStore({
      doc: t.doc,
      tableName: t.tableName,
      retryPolicy: makeRetryPolicy({ baseMs, maxMs: baseMs }),
      random: () => 0.999,
    });
    await right(store.createMessage(request(id)));
    const claimed = await right(store.claim(id));
    const completedAt = new Date();
    const r = await right(
      store.appendAttempt({ claimed, startedAt: completedAt, completedAt, responseHeaders: {}, observation: err503 }),
    );
    return Date.parse(r.nextAttemptAt ?? '') - completedAt.getTime();
  };
  const short = await delayOf('pol-short', 1_000);
  const long = await delayOf('pol-long', 600_000);
  assert.ok(short > 900 && short <= 1_000, `short backoff ${short}`);
  assert.ok(long > 590_000 && long <= 600_000, `long backoff ${long}`);
});

Policies('core reads both policies once, with the worker variables and defaults', () => {
  const p = policiesOf({
    DELIVERY_MAX_ATTEMPTS: '4',
    DELIVERY_BACKOFF_BASE_MS: '250',
    DELIVERY_BACKOFF_MAX_MS: '9000',
  });
  assert.equal([p.retry.maxAttempts, p.retry.baseMs, p.retry.maxMs], [4, 250, 9000]);
  assert.is(policiesOf({}).retry.maxAttempts, 8);
  const bad = readStorePolicies({ DELIVERY_MAX_ATTEMPTS: 'many' });
  assert.ok(E.isLeft(bad));
  if (E.isLeft(bad)) assert.match(bad.left.message, /DELIVERY_MAX_ATTEMPTS/);
  const badPath = readStorePolicies({ DELIVERY_REDACT_PATHS: 'no-slash' });
  assert.ok(E.isLeft(badPath) && badPath.left._tag === DecodeError('', [])._tag);
});

Policies.run();
