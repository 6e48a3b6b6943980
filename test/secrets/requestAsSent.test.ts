// The request as sent (issue 28): the attempt records every header the worker sent, its own
// included (content-type, user-agent, webhook-id, webhook-timestamp, webhook-signature), with
// credentials [REDACTED]; `dh history X --attempt N` (table and --json) shows the request
// line, those headers and the body (`--no-body` leaves it out), and the stored signature
// verifies with the Standard Webhooks reference library against the stored body.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dhEnv, jsonOf, runDh, show } from '../../packages/cli/test/support/runDh.js';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { sqsEvent, sqsRecord, uniqueId } from '../../packages/worker/test/support/workerRig.js';
import { type EchoReceiver, type SecretsRig, secretsRig, startEchoReceiver } from './secretsRig.js';

type Ctx = { t: TestTable; rx: EchoReceiver; rig: SecretsRig; env: NodeJS.ProcessEnv };
const R = suite<Ctx>('the request as sent');

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const TOKEN = randomBytes(16).toString('hex');
const ID = uniqueId('sent');
const BODY = '{"event":"invoice.paid","amount":42}';

R.before(async (ctx) => {
  ctx.t = await useTestTable('secrets-sent');
  ctx.rx = await startEchoReceiver();
  ctx.rig = secretsRig(ctx.t, { DELIVERY_SIGNING_SECRET: SECRET });
  ctx.env = dhEnv({ endpoint: ctx.t.endpoint, tableName: ctx.t.tableName });
  const url = `http://127.0.0.1:${ctx.rx.port}/in`;
  const headers = { Authorization: `Bearer ${TOKEN}`, 'X-Tenant': 'acme' };
  await ctx.rig.handler(sqsEvent([sqsRecord({ messageId: ID, url, headers, body: BODY, maxAttempts: 1 })]));
});
R.after(async ({ t, rx }) => {
  await rx.close();
  await t.drop();
});

type AttemptJson = {
  request: { method: string; url: string; sentHeaders?: Record<string, string>; body?: string | null };
};

R('--json: every header as sent, credentials redacted, and the body; the signature verifies', async ({ env, rx }) => {
  const r = await runDh(['history', ID, '--attempt', '1', '--json'], env);
  assert.is(r.code, 0, show(r));
  const { request } = jsonOf<AttemptJson>(r);
  const sent = request.sentHeaders ?? {};
  assert.is(sent.authorization, '[REDACTED]');
  assert.is(sent['x-tenant'], 'acme');
  assert.is(sent['content-type'], 'application/json');
  assert.match(sent['user-agent'] ?? '', /^delivery-history-worker\//);
  assert.is(sent['webhook-id'], ID);
  assert.match(sent['webhook-timestamp'] ?? '', /^\d+$/);
  assert.match(sent['webhook-signature'] ?? '', /^v1,[A-Za-z0-9+/=]+$/, JSON.stringify(sent));
  // what the receiver got is what is stored (the credential aside)
  const got = rx.received.at(-1) ?? {};
  for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature', 'user-agent', 'content-type'])
    assert.is(sent[name], got[name], name);
  assert.is(request.body, BODY);
  const wh = new Webhook(SECRET);
  const headers = {
    'webhook-id': sent['webhook-id'] ?? '',
    'webhook-timestamp': sent['webhook-timestamp'] ?? '',
    'webhook-signature': sent['webhook-signature'] ?? '',
  };
  wh.verify(request.body ?? '', headers);
  assert.throws(() => wh.verify(`${request.body} `, headers), 'a changed body does not verify');
  assert.not.ok(r.stdout.includes(TOKEN));
});

R(
  '--no-body leaves the body out; the table shows the request line, the headers as sent and the body',
  async ({ env }) => {
    const noBody = await runDh(['history', ID, '--attempt', '1', '--json', '--no-body'], env);
    assert.is(noBody.code, 0, show(noBody));
    assert.not.ok('body' in jsonOf<AttemptJson>(noBody).request);
    const table = await runDh(['history', ID, '--attempt', '1'], env);
    assert.is(table.code, 0, show(table));
    assert.match(table.stdout, /Request +POST http:\/\/127\.0\.0\.1:\d+\/in \(\d+ bytes\)/);
    assert.match(table.stdout, /Request headers \(as sent, credentials redacted\)/);
    assert.match(table.stdout, /authorization: +\[REDACTED\]/);
    assert.match(table.stdout, /webhook-signature: +v1,/);
    assert.ok(table.stdout.includes(`Request body\n${BODY}`), table.stdout);
    const tableNoBody = await runDh(['history', ID, '--attempt', '1', '--no-body'], env);
    assert.not.ok(tableNoBody.stdout.includes('Request body'));
  },
);

R.run();
