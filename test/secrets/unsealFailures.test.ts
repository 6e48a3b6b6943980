// A re-drive whose sealed credentials cannot be opened sends nothing and says why, as an
// attempt (every claim ends in one, invariant 5): a worker with no key records
// UNSEAL_UNAVAILABLE (retryable: the key may be configured or reachable again), a worker
// whose keyring does not hold the blob's key records UNSEAL_REFUSED (permanent).
import { randomBytes } from 'node:crypto';
import { defaultSecretPolicy, sealing } from '@delivery-history/core';
import { redactRequestWith } from '@delivery-history/core/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { sqsEvent, sqsRecord, uniqueId } from '../../packages/worker/test/support/workerRig.js';
import { type EchoReceiver, scanTable, secretsRig, startEchoReceiver } from './secretsRig.js';

type Ctx = { t: TestTable; rx: EchoReceiver };
const U = suite<Ctx>('sealed credentials that cannot be opened');

U.before(async (ctx) => {
  ctx.t = await useTestTable('secrets-unseal');
  ctx.rx = await startEchoReceiver();
});
U.after(async ({ t, rx }) => {
  await rx.close();
  await t.drop();
});

const ENV = { DELIVERY_BACKOFF_BASE_MS: '1', DELIVERY_BACKOFF_MAX_MS: '2' };
const sealerOf = (id: string) => sealing.createSealer(sealing.rawAesKeyProvider([{ id, key: randomBytes(32) }]));

type Attempt = { attemptNumber: number; deliveryResult: { category: string; errorDetails: { code: string } | null } };

const attemptsOf = async (t: TestTable, id: string): Promise<Attempt[]> =>
  (await scanTable(t))
    .filter((i) => i.pk === `MSG#${id}` && String(i.sk).startsWith('ATTEMPT#'))
    .map((i) => i as unknown as Attempt)
    .sort((a, b) => a.attemptNumber - b.attemptNumber);

/** Hands the record to `handler` until the message has `n` attempts (a retry waits for its due time). */
const untilAttempts = async (
  t: TestTable,
  handler: (e: ReturnType<typeof sqsEvent>) => Promise<unknown>,
  body: unknown,
  id: string,
  n: number,
): Promise<Attempt[]> => {
  for (let round = 0; round < 200; round++) {
    await handler(sqsEvent([sqsRecord(body)]));
    const a = await attemptsOf(t, id);
    if (a.length >= n) return a;
  }
  throw new Error(`message ${id} never reached ${n} attempts`);
};

U(
  'no key: UNSEAL_UNAVAILABLE, retryable, nothing sent; a keyring without the key: UNSEAL_REFUSED, final',
  async ({ t, rx }) => {
    const id = uniqueId('unseal');
    const original = {
      messageId: id,
      url: `http://127.0.0.1:${rx.port}/in?token=${randomBytes(12).toString('hex')}`,
      method: 'POST' as const,
      headers: { authorization: `Bearer ${randomBytes(12).toString('hex')}`, 'x-echo-status': '503' },
      body: '{}',
      correlationId: id,
      maxAttempts: 3,
    };
    const sealing = secretsRig(t, ENV, sealerOf('local/a'));
    await sealing.handler(sqsEvent([sqsRecord(original)]));
    assert.is(rx.received.length, 1);
    // a re-drive's body: the stored, redacted request
    const redacted = redactRequestWith(original, defaultSecretPolicy);
    const noKey = secretsRig(t, ENV);
    const second = (await untilAttempts(t, noKey.handler, redacted, id, 2))[1];
    assert.is(second?.deliveryResult.errorDetails?.code, 'UNSEAL_UNAVAILABLE');
    assert.is(second?.deliveryResult.category, 'network');
    const otherKey = secretsRig(t, ENV, sealerOf('local/b'));
    const third = (await untilAttempts(t, otherKey.handler, redacted, id, 3))[2];
    assert.is(third?.deliveryResult.errorDetails?.code, 'UNSEAL_REFUSED');
    assert.is(third?.deliveryResult.category, 'invalid_target');
    assert.is(rx.received.length, 1, 'nothing was sent without the credentials');
  },
);

U.run();
