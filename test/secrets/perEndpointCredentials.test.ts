// Issue 28, per-endpoint credentials end to end against DynamoDB Local: the receiver requires
// `Authorization: Bearer T`; the message carries no credential at all; the worker (the local
// worker, as `dh local` builds it, its secret source the devkit's secrets file standing in for
// Secrets Manager) puts T on at send time from DELIVERY_ENDPOINT_CREDENTIALS, for the first
// delivery and for the real `dh replay redrive` alike. No stored item and no log line holds T;
// the stored sent headers show `authorization: [REDACTED]`; `dh verify` passes; a delivery
// with a warm credential cache costs the usual 2 DynamoDB round trips and no secret read.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryLogger } from '@delivery-history/core';
import { createLocalWorker, type LocalWorker } from '@delivery-history/devkit';
import { LOCAL_SECRETS_VAR } from '@delivery-history/devkit/testing';
import { type CallCounter, countCalls } from '@delivery-history/testkit/callCounter';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { projectAll } from '../../packages/cli/test/support/projectAll.js';
import { type DhResult, dhEnv, jsonOf, runDh, show } from '../../packages/cli/test/support/runDh.js';
import { sqsEvent, sqsRecord, uniqueId } from '../../packages/worker/test/support/workerRig.js';
import { leakForms, type RecordingReceiver, startRecordingReceiver, scanTable, verifyFindings } from './secretsRig.js';

type Receiver = RecordingReceiver & { up: boolean };

const T = randomBytes(18).toString('hex');

/** 401 without `Bearer T`; with it, 200 when up, 503 while "down"; records what it got. */
const startReceiver = async (): Promise<Receiver> => {
  const rx: Receiver = {
    ...(await startRecordingReceiver((h) => (h.authorization !== `Bearer ${T}` ? 401 : rx.up ? 200 : 503))),
    up: false,
  };
  return rx;
};

type Ctx = {
  t: TestTable;
  rx: Receiver;
  dir: string;
  env: Record<string, string>;
  worker: LocalWorker;
  logger: ReturnType<typeof memoryLogger>;
  calls: CallCounter;
  out: string[];
};
const S = suite<Ctx>('per-endpoint credentials: applied at send time, never stored');
const ID = uniqueId('endpoint-cred');

S.before(async (ctx) => {
  ctx.t = await useTestTable('secrets-endpoint-creds');
  ctx.rx = await startReceiver();
  ctx.dir = mkdtempSync(join(tmpdir(), 'dh-endpoint-creds-'));
  const secretsFile = join(ctx.dir, 'local-secrets.json');
  writeFileSync(secretsFile, JSON.stringify({ 'partner/token': T }), { mode: 0o600 });
  ctx.env = {
    DELIVERY_ALLOW_TARGETS: '127.0.0.1',
    DELIVERY_TIMEOUT_MS: '5000',
    DELIVERY_MAX_ATTEMPTS: '1',
    DELIVERY_ENDPOINT_CREDENTIALS: JSON.stringify({
      [`127.0.0.1:${ctx.rx.port}`]: { secret: 'partner/token', header: 'Authorization', prefix: 'Bearer ' },
    }),
    [LOCAL_SECRETS_VAR]: secretsFile,
    DELIVERY_LOCAL_KEYRING: join(ctx.dir, 'keyring.json'),
  };
  ctx.logger = memoryLogger();
  ctx.worker = createLocalWorker({
    doc: ctx.t.doc,
    env: { ...ctx.env, DELIVERY_TABLE_NAME: ctx.t.tableName },
    logger: ctx.logger,
  });
  ctx.calls = countCalls(ctx.t.client);
  ctx.out = [];
});
S.after(async (ctx) => {
  ctx.calls.uninstall();
  await ctx.worker.close();
  await ctx.rx.close();
  await ctx.t.drop();
  rmSync(ctx.dir, { recursive: true, force: true });
});

const dh = async (ctx: Ctx, args: string[]): Promise<DhResult> => {
  const r = await runDh(args, dhEnv({ endpoint: ctx.t.endpoint, tableName: ctx.t.tableName, extra: ctx.env }));
  ctx.out.push(r.stdout, r.stderr);
  return r;
};

const itemsOf = async (ctx: Ctx, id: string) => (await scanTable(ctx.t)).filter((i) => i.pk === `MSG#${id}`);

S(
  'first delivery: the message carries no credential, the receiver gets Bearer T from the endpoint config',
  async (ctx) => {
    const url = `http://127.0.0.1:${ctx.rx.port}/hook?page=1`;
    await ctx.worker.handler(
      sqsEvent([sqsRecord({ messageId: ID, url, headers: { 'X-Trace': 'tr-1' }, body: '{"n":1}' })]),
    );
    assert.is(ctx.rx.seen.length, 1);
    assert.is(ctx.rx.seen[0]?.headers.authorization, `Bearer ${T}`);
    assert.is(ctx.rx.seen[0]?.headers['x-trace'], 'tr-1');
    const items = await itemsOf(ctx, ID);
    const state = items.find((i) => i.sk === 'STATE') as Record<string, unknown>;
    assert.is(state.status, 'FAILED', 'the receiver was down (503) and maxAttempts is 1');
    assert.equal(
      (state.request as { headers: unknown }).headers,
      { 'X-Trace': 'tr-1' },
      'stored as the producer sent it',
    );
    assert.is(state.sealed, undefined, 'nothing to seal: the message carried no credential');
    const attempt = items.find((i) => String(i.sk).startsWith('ATTEMPT#')) as {
      request: { sentHeaders?: Record<string, string> };
    };
    const sent = attempt.request.sentHeaders;
    assert.is(sent?.authorization, '[REDACTED]', 'the request as sent shows the credential header redacted');
    assert.is(sent?.['x-trace'], 'tr-1');
  },
);

S('re-driven by the real dh once the receiver is up: it gets Bearer T again', async (ctx) => {
  ctx.rx.up = true;
  const r = await dh(ctx, ['replay', 'redrive', '--message', ID, '--reason', 'INC-28: receiver up', '--json']);
  assert.is(r.code, 0, show(r));
  const m = jsonOf<{ messages: Array<{ action: string }> }>(r).messages[0];
  assert.is(m?.action, 'redriven', show(r));
  assert.is(ctx.rx.seen.length, 2);
  assert.is(ctx.rx.seen[1]?.headers.authorization, `Bearer ${T}`);
  const state = (await itemsOf(ctx, ID)).find((i) => i.sk === 'STATE') as Record<string, unknown>;
  assert.is(state.status, 'SUCCESS');
});

S('a warm credential cache: 2 DynamoDB round trips per delivery, no secret read', async (ctx) => {
  rmSync(ctx.env[LOCAL_SECRETS_VAR] as string); // a read now would fail: only the cache can answer
  const id = uniqueId('endpoint-cred-warm');
  ctx.calls.reset();
  await ctx.worker.handler(
    sqsEvent([sqsRecord({ messageId: id, url: `http://127.0.0.1:${ctx.rx.port}/hook`, headers: {}, body: '{}' })]),
  );
  assert.is(ctx.rx.seen.at(-1)?.headers.authorization, `Bearer ${T}`);
  assert.equal(
    {
      total: ctx.calls.total(),
      UpdateItem: ctx.calls.calls('UpdateItem'),
      TransactWriteItems: ctx.calls.calls('TransactWriteItems'),
    },
    { total: 2, UpdateItem: 1, TransactWriteItems: 1 },
  );
  const state = (await itemsOf(ctx, id)).find((i) => i.sk === 'STATE') as Record<string, unknown>;
  assert.is(state.status, 'SUCCESS');
});

S('no stored item and no log line holds T; dh verify passes', async (ctx) => {
  const items = await scanTable(ctx.t);
  const stored = JSON.stringify(items);
  const logs = [...ctx.logger.entries.map((e) => JSON.stringify(e)), ...ctx.out].join('\n');
  assert.ok(ctx.logger.entries.length > 0, 'the worker logged');
  for (const s of leakForms(T)) {
    assert.not.ok(stored.includes(s), 'T in a stored item');
    assert.not.ok(logs.includes(s), 'T in a log line or dh output');
  }
  assert.equal(verifyFindings(items, ctx.worker.config.secrets), []);
  await projectAll(ctx.t);
  const v = await dh(ctx, ['verify']);
  assert.is(v.code, 0, show(v));
});

S.run();
