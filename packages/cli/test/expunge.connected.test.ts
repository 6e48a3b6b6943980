// Expunge end to end through the real `dh`: after `dh expunge` no item of the message holds
// its body, headers, snippet or reason phrase; `dh history` shows the outcome metadata and
// the EXPUNGE event; `dh verify` passes; a second run changes nothing; --secrets-only
// re-applies the current policy; a message that is not final is refused.
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { tableKeys } from '@delivery-history/store';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { projectAll } from './support/projectAll.js';
import { type DhResult, dhEnv, jsonOf, runDh, show } from './support/runDh.js';
import { seeder } from './support/seed.js';

type Ctx = { t: TestTable; env: NodeJS.ProcessEnv };
const X = suite<Ctx>('dh expunge');

const T0 = new Date('2025-06-01T12:00:00.000Z');
const BODY = '{"customer":"ada@example.com","card":"4111"}';

X.before(async (ctx) => {
  ctx.t = await useTestTable('cli-expunge');
  ctx.env = dhEnv({ endpoint: ctx.t.endpoint, tableName: ctx.t.tableName });
  const s = seeder(ctx.t.doc, ctx.t.tableName, T0);
  await s.deliver({ messageId: 'x-gone', body: BODY, headers: { 'x-customer': 'ada' } }, ['503', '503', '404']);
  await s.deliver({ messageId: 'x-other', body: '{"keep":"me"}' }, ['ok']);
  await s.deliver({ messageId: 'x-open', body: BODY, maxAttempts: 5 }, ['503']);
  await s.deliver({ messageId: 'x-scrub', body: '{"kept":"payload"}' }, ['ok']);
  await projectAll(ctx.t);
});
X.after(async (ctx) => ctx.t.drop());

const ok = (r: DhResult, code = 0) => assert.is(r.code, code, show(r));

/** A stored attribute by dotted path (`request.headers`). */
const dig = (item: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>(
      (v, k) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined),
      item,
    );

const partition = async (t: TestTable, id: string): Promise<Array<Record<string, unknown>>> =>
  ((
    await t.doc.send(
      new QueryCommand({
        TableName: t.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': tableKeys.messagePk(id) },
      }),
    )
  ).Items ?? []) as Array<Record<string, unknown>>;

X('dry run: reports the items and writes nothing', async ({ t, env }) => {
  const before = await partition(t, 'x-gone');
  const r = await runDh(['expunge', '--message', 'x-gone', '--reason', 'GDPR request 42', '--dry-run', '--json'], env);
  ok(r);
  const out = jsonOf<{ messages: Array<{ outcome: string; result: { items: string[] } }> }>(r);
  assert.is(out.messages[0]?.outcome, 'would-expunge');
  assert.equal(out.messages[0]?.result.items, ['ATTEMPT#000001', 'ATTEMPT#000002', 'ATTEMPT#000003', 'STATE']);
  const table = await runDh(['expunge', '--message', 'x-gone', '--reason', 'GDPR request 42', '--dry-run'], env);
  ok(table);
  assert.match(table.stdout, /^Dry run: nothing is written; each row says what would be expunged\.\nMESSAGE\s+OUTCOME/);
  assert.match(table.stdout, /^x-gone\s+would-expunge\s+EXPUNGE#1\s+4\s+/m);
  assert.match(table.stdout, /: 1 would be expunged, 0 unchanged, .* \(dry run: nothing written\)$/m);
  assert.equal(await partition(t, 'x-gone'), before);
});

X('expunge removes content from every item, keeps metadata, records EXPUNGE#1', async ({ t, env }) => {
  const r = await runDh(['expunge', '--message', 'x-gone', '--reason', 'GDPR request 42', '--by', 'dpo'], env);
  ok(r);
  // a table: header, one row per message, a summary counting every outcome
  assert.match(r.stdout, /^MESSAGE\s+OUTCOME\s+EVENT\s+ITEMS\s+DETAIL\n/);
  assert.match(r.stdout, /^x-gone\s+expunged\s+EXPUNGE#1\s+4\s+ATTEMPT#000001, /m);
  assert.match(r.stdout, /^1 message\(s\): 1 expunged, 0 unchanged, 0 refused \(not final\), 0 not found, 0 failed$/m);
  const items = await partition(t, 'x-gone');
  const text = JSON.stringify(items);
  for (const s of ['ada@example.com', 'x-customer', 'content-type', 'busy', 'nope', 'Service Unavailable', 'Not Found'])
    assert.not.ok(text.includes(s), `"${s}" is gone`);
  const state = items.find((i) => i.sk === 'STATE');
  assert.is(dig(state, 'request.body'), null);
  assert.equal(dig(state, 'request.headers'), {});
  assert.is(dig(state, 'status'), 'FAILED');
  assert.is(dig(state, 'deliveryResult.statusCode'), 404);
  assert.is(dig(state, 'deliveryResult.category'), 'client_error');
  assert.is(dig(state, 'deliveryResult.errorDetails.code'), 'HTTP_404');
  assert.equal(dig(state, 'expunged'), { n: 1, at: dig(state, 'expunged.at'), scope: 'content' });
  const attempts = items.filter((i) => String(i.sk).startsWith('ATTEMPT#'));
  assert.equal(
    attempts.map((a) => [
      dig(a, 'attemptNumber'),
      dig(a, 'deliveryResult.statusCode'),
      Number(dig(a, 'deliveryResult.responseTime')) > 0,
      dig(a, 'expunged.n'),
    ]),
    [
      [1, 503, true, 1],
      [2, 503, true, 1],
      [3, 404, true, 1],
    ],
  );
  const event = items.find((i) => i.sk === 'EXPUNGE#0001');
  assert.is(dig(event, 'requestedBy'), 'dpo');
  assert.is(dig(event, 'reason'), 'GDPR request 42');
  assert.is(dig(event, 'items'), 4);
  assert.ok(typeof dig(event, 'completedAt') === 'string');
  // the other message is untouched
  assert.ok(JSON.stringify(await partition(t, 'x-other')).includes('keep'));
});

X('dh history shows the outcome metadata and the expunge event', async ({ env }) => {
  const r = await runDh(['history', 'x-gone'], env);
  ok(r);
  assert.match(r.stdout, /Expunged \(1\)/);
  assert.match(r.stdout, /GDPR request 42/);
  assert.match(r.stdout, /dpo/);
  assert.match(r.stdout, /404/);
  assert.match(r.stdout, /client_error/);
  const j = jsonOf<{ state: { expunged: { n: number } }; attempts: unknown[]; expunges: Array<{ reason: string }> }>(
    await runDh(['history', 'x-gone', '--json'], env),
  );
  assert.is(j.state.expunged.n, 1);
  assert.is(j.attempts.length, 3);
  assert.is(j.expunges[0]?.reason, 'GDPR request 42');
});

X('dh verify passes; a second run changes nothing', async ({ t, env }) => {
  ok(await runDh(['verify', '--message', 'x-gone', '--message', 'x-other'], env));
  const before = await partition(t, 'x-gone');
  const again = await runDh(['expunge', '--message', 'x-gone', '--reason', 'again'], env);
  ok(again);
  assert.match(again.stdout, /unchanged/);
  assert.equal(await partition(t, 'x-gone'), before);
});

X('a run that stopped part way is resumed with the same number, and verify flags it until then', async ({ t, env }) => {
  // simulate a crash after EXPUNGE#2 was recorded and one attempt was done: undo its completion
  const first = await runDh(['expunge', '--message', 'x-other', '--reason', 'ticket 7'], env);
  ok(first);
  await t.doc.send(
    new UpdateCommand({
      TableName: t.tableName,
      Key: { pk: tableKeys.messagePk('x-other'), sk: 'EXPUNGE#0001' },
      UpdateExpression: 'SET completedAt = :null',
      ExpressionAttributeValues: { ':null': null },
    }),
  );
  ok(await runDh(['verify', '--message', 'x-other'], env), 1);
  const resumed = await runDh(['expunge', '--message', 'x-other', '--reason', 'ticket 7'], env);
  ok(resumed);
  assert.match(resumed.stdout, /EXPUNGE#1 \(resumed\)/);
  ok(await runDh(['verify', '--message', 'x-other'], env));
  assert.is((await partition(t, 'x-other')).filter((i) => String(i.sk).startsWith('EXPUNGE#')).length, 1);
});

X('--secrets-only re-applies the current policy to items written before it', async ({ t, env }) => {
  // an attempt written under an older policy: a header the current one calls a credential
  const key = tableKeys.attemptKey('x-open', 1);
  await t.doc.send(
    new UpdateCommand({
      TableName: t.tableName,
      Key: key,
      UpdateExpression: 'SET #r.headers = :h',
      ExpressionAttributeNames: { '#r': 'request' },
      ExpressionAttributeValues: { ':h': { 'x-partner-token': 'abc123', 'content-type': 'application/json' } },
    }),
  );
  const policyEnv = { ...env, DELIVERY_REDACT_HEADERS: 'x-partner-*' };
  // not final: refused, nothing written
  const refused = await runDh(
    ['expunge', '--message', 'x-open', '--reason', 'policy change', '--secrets-only'],
    policyEnv,
  );
  ok(refused, 1);
  assert.match(refused.stdout, /^\S+\s+refused\s+-\s+-\s+.*not final/m);
  assert.match(refused.stdout, /, 1 refused \(not final\),/);
  // final: the header is redacted, the body (the customer's payload) kept, EXPUNGE#1 says 'secrets'
  await t.doc.send(
    new UpdateCommand({
      TableName: t.tableName,
      Key: tableKeys.attemptKey('x-scrub', 1),
      UpdateExpression: 'SET #r.headers = :h',
      ExpressionAttributeNames: { '#r': 'request' },
      ExpressionAttributeValues: { ':h': { 'x-partner-token': 'abc123', 'content-type': 'application/json' } },
    }),
  );
  ok(await runDh(['verify', '--message', 'x-scrub'], policyEnv), 1);
  const scrub = await runDh(
    ['expunge', '--message', 'x-scrub', '--reason', 'policy change', '--secrets-only'],
    policyEnv,
  );
  ok(scrub);
  assert.match(scrub.stdout, /^x-scrub\s+expunged\s+EXPUNGE#1\s+1\s+ATTEMPT#000001$/m);
  const items = await partition(t, 'x-scrub');
  const a1 = items.find((i) => i.sk === 'ATTEMPT#000001');
  assert.equal(dig(a1, 'request.headers'), { 'x-partner-token': '[REDACTED]', 'content-type': 'application/json' });
  assert.is(dig(a1, 'expunged.scope'), 'secrets');
  assert.ok(JSON.stringify(items).includes('payload'), 'body kept');
  ok(await runDh(['verify', '--message', 'x-scrub'], policyEnv));
  const again = await runDh(
    ['expunge', '--message', 'x-scrub', '--reason', 'policy change', '--secrets-only'],
    policyEnv,
  );
  assert.match(again.stdout, /unchanged/);
});

X('--endpoint --since selects the endpoint messages in the window', async ({ env }) => {
  const r = await runDh(
    [
      'expunge',
      '--endpoint',
      'hooks.example.com',
      '--since',
      '2025-06-01T00:00:00Z',
      '--until',
      '2025-06-02T00:00:00Z',
      '--reason',
      'bulk',
      '--dry-run',
      '--json',
    ],
    env,
  );
  // x-open is not final: refused (exit 1); the expunged ones are unchanged
  ok(r, 1);
  const out = jsonOf<{ messages: Array<{ messageId: string; outcome: string }> }>(r);
  const by = Object.fromEntries(out.messages.map((m) => [m.messageId, m.outcome]));
  assert.equal(by, { 'x-gone': 'unchanged', 'x-other': 'unchanged', 'x-open': 'refused', 'x-scrub': 'would-expunge' });
});

X.run();
