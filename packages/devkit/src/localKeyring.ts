import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Sealer, type WrappingKey, sealing } from '@delivery-history/core';

// ---------------------------------------------------------------------------
// The local stand-in for the worker's KMS key: a raw AES keyring in one file, made once
// (mode 0600) and kept, so every local worker (the `dh local` stack, a `dh replay redrive`
// delivering in-process, the tests) opens what another one sealed. Rotation: put a new key
// first in the file's `keys`; the older ones still open old blobs. Deleting the file makes
// every local blob unrecoverable (the local form of crypto-shredding).
// ---------------------------------------------------------------------------

/** DELIVERY_LOCAL_KEYRING: the keyring file (default ~/.delivery-history/local-keyring.json). */
export const LOCAL_KEYRING_VAR = 'DELIVERY_LOCAL_KEYRING';

type KeyringFile = { readonly keys: ReadonlyArray<{ readonly id: string; readonly key: string }> };

export const localKeyringPath = (env: Readonly<Record<string, string | undefined>>): string =>
  env[LOCAL_KEYRING_VAR]?.trim() || join(homedir(), '.delivery-history', 'local-keyring.json');

const newFile = (): KeyringFile => ({
  keys: [{ id: `local/${randomUUID()}`, key: randomBytes(32).toString('base64') }],
});

const parse = (path: string, text: string): WrappingKey[] => {
  const file = JSON.parse(text) as Partial<KeyringFile>;
  const keys = Array.isArray(file.keys) ? file.keys : [];
  const ring = keys.map((k) => ({ id: String(k.id), key: Buffer.from(String(k.key), 'base64') }));
  if (ring.length === 0 || ring.some((k) => k.key.length !== 32))
    throw new Error(`${path}: expected {"keys":[{"id","key": base64 of 32 bytes}, ...]}`);
  return ring;
};

/**
 * The keyring at `path`, created with one fresh key when absent. Written to a private temp
 * file and hard-linked into place: `link` fails if the file exists, so two creators racing
 * (parallel tests, two local workers) agree on one key, and no reader sees a half-written file.
 */
export const loadLocalKeyring = (path: string): WrappingKey[] => {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (!existsSync(path)) {
    const temp = `${path}.${process.pid}.${randomUUID()}.tmp`;
    writeFileSync(temp, `${JSON.stringify(newFile(), null, 2)}\n`, { flag: 'wx', mode: 0o600 });
    try {
      linkSync(temp, path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      unlinkSync(temp);
    }
  }
  return parse(path, readFileSync(path, 'utf8'));
};

/** The local worker's sealer (DELIVERY_LOCAL_KEYRING, or the per-user default file). */
export const localSealer = (env: Readonly<Record<string, string | undefined>>): Sealer =>
  sealing.createSealer(sealing.rawAesKeyProvider(loadLocalKeyring(localKeyringPath(env))));
