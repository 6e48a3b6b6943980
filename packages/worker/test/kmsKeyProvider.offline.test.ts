import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import { sealing } from '@delivery-history/core';
import { SEALED_REQUEST_PURPOSE } from '@delivery-history/core/testing';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig, readConfig } from '../src/config/readConfig.js';
import { KMS_ENCRYPTION_CONTEXT, kmsKeyProvider } from '../src/seal/kmsKeyProvider.js';

// The KMS key provider against a stand-in that keeps KMS's contract: GenerateDataKey returns
// a plaintext key and its wrapped form; Decrypt refuses a ciphertext whose encryption context
// differs (InvalidCiphertextException), as KMS does. Faults are injected by error name.

const Kms = suite('worker: KMS key provider');

const ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const master = randomBytes(32);
const named = (name: string): Error => Object.assign(new Error(`${name} from KMS`), { name });

type Sent = { readonly command: string; readonly input: Record<string, unknown> };

const fakeKms = (fault: string | null = null) => {
  const sent: Sent[] = [];
  const ctxText = (c: unknown) => JSON.stringify(c ?? null);
  const send = async (cmd: unknown): Promise<unknown> => {
    const input = (cmd as { input: Record<string, unknown> }).input;
    sent.push({ command: (cmd as object).constructor.name, input });
    if (fault !== null) throw named(fault);
    if (cmd instanceof GenerateDataKeyCommand) {
      const plaintext = randomBytes(32);
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', master, iv);
      c.setAAD(Buffer.from(ctxText(input.EncryptionContext)));
      const blob = Buffer.concat([iv, c.update(plaintext), c.final(), c.getAuthTag()]);
      return { KeyId: ARN, Plaintext: new Uint8Array(plaintext), CiphertextBlob: new Uint8Array(blob) };
    }
    if (cmd instanceof DecryptCommand) {
      const blob = Buffer.from(input.CiphertextBlob as Uint8Array);
      try {
        const d = createDecipheriv('aes-256-gcm', master, blob.subarray(0, 12));
        d.setAAD(Buffer.from(ctxText(input.EncryptionContext)));
        d.setAuthTag(blob.subarray(blob.length - 16));
        const key = Buffer.concat([d.update(blob.subarray(12, blob.length - 16)), d.final()]);
        return { KeyId: ARN, Plaintext: new Uint8Array(key) };
      } catch {
        throw named('InvalidCiphertextException');
      }
    }
    throw new Error('unexpected command');
  };
  return { sent, client: { send } as never };
};

const ctx = { messageId: 'm-1', purpose: SEALED_REQUEST_PURPOSE };

Kms('seal then unseal through KMS: the purpose is the KMS encryption context, the blob names the key ARN', async () => {
  const kms = fakeKms();
  const sealer = sealing.createSealer(kmsKeyProvider(kms.client, 'alias/delivery-history-seal'));
  const blob = await sealer.seal('Bearer T', ctx)();
  assert.ok(E.isRight(blob));
  const opened = await sealer.unseal(E.isRight(blob) ? blob.right : '', ctx)();
  assert.equal(opened, E.right('Bearer T'));
  assert.equal(
    kms.sent.map((s) => [s.command, s.input.KeyId, s.input.EncryptionContext]),
    [
      ['GenerateDataKeyCommand', 'alias/delivery-history-seal', KMS_ENCRYPTION_CONTEXT],
      // decrypt names the key the blob was sealed under (an alias moved since still decrypts)
      ['DecryptCommand', ARN, KMS_ENCRYPTION_CONTEXT],
    ],
  );
  assert.is(kms.sent[0]?.input.KeySpec, 'AES_256');
});

Kms('KMS errors: throttling and outages are KeyUnavailable (retried), refusals are KeyRefused', async () => {
  const cases: Array<[string, string]> = [
    ['ThrottlingException', 'KeyUnavailable'],
    ['KMSInternalException', 'KeyUnavailable'],
    ['TimeoutError', 'KeyUnavailable'],
    ['AccessDeniedException', 'KeyRefused'],
    ['DisabledException', 'KeyRefused'],
    ['KMSInvalidStateException', 'KeyRefused'],
  ];
  for (const [fault, tag] of cases) {
    const r = await kmsKeyProvider(fakeKms(fault).client, ARN).generateDataKey()();
    assert.ok(E.isLeft(r) && r.left._tag === tag, `${fault} -> ${tag}`);
    const d = await kmsKeyProvider(fakeKms(fault).client, ARN).decryptDataKey(ARN, Buffer.alloc(40))();
    assert.ok(E.isLeft(d) && d.left._tag === tag, `${fault} -> ${tag} (Decrypt)`);
  }
});

Kms('DELIVERY_SEAL_KEY_ID: key ids, ARNs and aliases; anything else is a configuration error', () => {
  assert.is(loadConfig({}).sealKeyId, null);
  for (const id of [
    ARN,
    'alias/dh-seal',
    '1234abcd-12ab-34cd-56ef-1234567890ab',
    'arn:aws:kms:eu-west-1:111122223333:alias/dh',
  ])
    assert.is(loadConfig({ DELIVERY_SEAL_KEY_ID: id }).sealKeyId, id);
  const bad = readConfig({ DELIVERY_SEAL_KEY_ID: 'my key' });
  assert.ok(E.isLeft(bad) && bad.left.message.includes('DELIVERY_SEAL_KEY_ID'));
});

Kms.run();
