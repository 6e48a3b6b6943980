// Issue 28's acceptance, end to end against DynamoDB Local: a message with `Authorization:
// Bearer T`, `X-Api-Key: K` and `?token=Q` fails with 401, is re-driven by the real `dh`
// once the receiver is fixed, and the receiver gets T, K and Q exactly, restored by the
// worker from the sealed blob (the local keyring stands in for KMS). No stored item and no
// log line (the worker's, dh's) holds them; `dh verify` passes. After `dh expunge` the blob
// is gone and a re-drive is refused with the reason.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_KEYRING_VAR, localSealer } from '@delivery-history/devkit/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { projectAll } from '../../packages/cli/test/support/projectAll.js';
import { type DhResult, dhEnv, jsonOf, runDh, show } from '../../packages/cli/test/support/runDh.js';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { sqsEvent, sqsRecord, uniqueId } from '../../packages/worker/test/support/workerRig.js';
import {
  leakForms,
  type RecordingReceiver,
  startRecordingReceiver,
  logLines,
  type SecretsRig,
  scanTable,
  secretsRig,
  verifyFindings,
} from './secretsRig.js';

type Receiver = RecordingReceiver & { status: number };

/** Answers `status` (401 until the test fixes it) and records what it got. */
const startReceiver = async (): Promise<Receiver> => {
  const rx: Receiver = { ...(await startRecordingReceiver(() => rx.status)), status: 401 };
  return rx;
};

type Ctx = { t: TestTable; rx: Receiver; rig: SecretsRig; env: NodeJS.ProcessEnv; dir: string; out: string[] };
const S = suite<Ctx>('sealed credentials: a re-drive reproduces the request');

// long random values: the exact-value scrub (and this test's search) cannot confuse them
const T = randomBytes(18).toString('hex');
const K = randomBytes(18).toString('hex');
const Q = randomBytes(18).toString('hex');
const ID = uniqueId('sealed');

S.before(async (ctx) => {
  ctx.t = await useTestTable('secrets-sealed');
  ctx.rx = await startReceiver();
  ctx.dir = mkdtempSync(join(tmpdir(), 'dh-keyring-'));
  const keyring = { [LOCAL_KEYRING_VAR]: join(ctx.dir, 'keyring.json') };
  ctx.rig = secretsRig(ctx.t, {}, localSealer(keyring));
  ctx.env = dhEnv({
    endpoint: ctx.t.endpoint,
    tableName: ctx.t.tableName,
    extra: { ...keyring, DELIVERY_ALLOW_TARGETS: '127.0.0.1', DELIVERY_TIMEOUT_MS: '5000' },
  });
  ctx.out = [];
});
S.after(async ({ t, rx, dir }) => {
  await rx.close();
  await t.drop();
  rmSync(dir, { recursive: true, force: true });
});

const dh = async (ctx: Ctx, args: string[]): Promise<DhResult> => {
  const r = await runDh(args, ctx.env);
  ctx.out.push(r.stdout, r.stderr);
  return r;
};

const stateOf = async (ctx: Ctx) =>
  (await scanTable(ctx.t)).find((i) => i.pk === `MSG#${ID}` && i.sk === 'STATE') as Record<string, unknown>;

S('first delivery: 401; the STATE keeps the credentials only sealed', async (ctx) => {
  const url = `http://127.0.0.1:${ctx.rx.port}/hook?token=${Q}&page=1`;
  const headers = { Authorization: `Bearer ${T}`, 'X-Api-Key': K, 'X-Trace': 'trace-1' };
  await ctx.rig.handler(sqsEvent([sqsRecord({ messageId: ID, url, headers, body: '{"n":1}', maxAttempts: 1 })]));
  assert.is(ctx.rx.seen.length, 1);
  const state = await stateOf(ctx);
  assert.is(state.status, 'FAILED');
  assert.match(String(state.sealed), /^dhseal1\./, 'a sealed envelope next to the redacted request');
  assert.equal((state.request as { headers: unknown }).headers, {
    Authorization: '[REDACTED]',
    'X-Api-Key': '[REDACTED]',
    'X-Trace': 'trace-1',
  });
});

S('re-driven after the fix: the receiver gets T, K and Q exactly', async (ctx) => {
  ctx.rx.status = 200;
  const r = await dh(ctx, ['replay', 'redrive', '--message', ID, '--reason', 'INC-28: receiver fixed', '--json']);
  assert.is(r.code, 0, show(r));
  const m = jsonOf<{ messages: Array<{ action: string; warnings: string[] }> }>(r).messages[0];
  assert.is(m?.action, 'redriven', show(r));
  assert.equal(m?.warnings, [], 'sealed credentials: nothing goes out redacted');
  const last = ctx.rx.seen.at(-1);
  assert.is(ctx.rx.seen.length, 2);
  assert.is(last?.headers.authorization, `Bearer ${T}`);
  assert.is(last?.headers['x-api-key'], K);
  assert.is(last?.url, `/hook?token=${Q}&page=1`);
  assert.is(last?.headers['x-trace'], 'trace-1');
  assert.is((await stateOf(ctx)).status, 'SUCCESS');
});

S('no stored item and no log line holds T, K or Q; dh verify passes', async (ctx) => {
  const items = await scanTable(ctx.t);
  const stored = JSON.stringify(items);
  const logs = [...logLines(ctx.rig.logger), ...ctx.out].join('\n');
  for (const s of [T, K, Q].flatMap(leakForms)) {
    assert.not.ok(stored.includes(s), 'a credential in a stored item');
    assert.not.ok(logs.includes(s), 'a credential in a log line or dh output');
  }
  assert.equal(verifyFindings(items, ctx.rig.secrets), []);
  await projectAll(ctx.t);
  const v = await dh(ctx, ['verify']);
  assert.is(v.code, 0, show(v));
});

S('after dh expunge the blob is gone and a re-drive is refused with the reason', async (ctx) => {
  const x = await dh(ctx, ['expunge', '--message', ID, '--reason', 'INC-28: shred', '--by', 'dpo']);
  assert.is(x.code, 0, show(x));
  assert.is((await stateOf(ctx)).sealed, undefined, 'crypto-shredded');
  const r = await dh(ctx, ['replay', 'redrive', '--message', ID, '--reason', 'again', '--json']);
  const m = jsonOf<{ messages: Array<{ action: string; detail: string }> }>(r).messages[0];
  assert.is(m?.action, 'failed', show(r));
  assert.match(
    m?.detail ?? '',
    /expunged \(EXPUNGE#1\): there is no request to deliver, and its sealed credentials are destroyed/,
  );
  assert.is(ctx.rx.seen.length, 2, 'nothing sent');
});

S.run();
