import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Clock } from '../ports/clock.js';
import type { DataKey, KeyProvider } from './keyProvider.js';

// ---------------------------------------------------------------------------
// A per-container data-key cache: one data key seals up to `maxUses` blobs for up to
// `maxAgeMs` (then a fresh one is made), and unwrapped keys are remembered for `maxAgeMs`
// (at most `maxEntries`), so a delivery costs no key-provider call on the hot path while a
// key's exposure stays bounded. Each blob still has its own IV and its own AAD.
// ---------------------------------------------------------------------------

export type KeyCacheLimits = {
  readonly maxAgeMs: number;
  readonly maxUses: number;
  readonly maxEntries: number;
};

export const DEFAULT_KEY_CACHE_LIMITS: KeyCacheLimits = { maxAgeMs: 5 * 60_000, maxUses: 10_000, maxEntries: 100 };

type Current = { readonly key: DataKey; readonly at: number; uses: number };
type Opened = { readonly key: Buffer; readonly at: number };

export const cachingKeyProvider = (
  inner: KeyProvider,
  clock: Clock,
  limits: KeyCacheLimits = DEFAULT_KEY_CACHE_LIMITS,
): KeyProvider => {
  let current: Current | null = null;
  const opened = new Map<string, Opened>();
  const fresh = (at: number): boolean => clock().getTime() - at < limits.maxAgeMs;
  const remember = (id: string, key: Buffer): void => {
    opened.delete(id);
    opened.set(id, { key, at: clock().getTime() });
    // Map keeps insertion order: the first entry is the least recently stored
    for (const oldest of opened.keys()) {
      if (opened.size <= limits.maxEntries) break;
      opened.delete(oldest);
    }
  };
  return {
    generateDataKey: () => {
      const c = current;
      if (c !== null && c.uses < limits.maxUses && fresh(c.at)) {
        c.uses++;
        return TE.right(c.key);
      }
      return pipe(
        inner.generateDataKey(),
        TE.map((key) => {
          current = { key, at: clock().getTime(), uses: 1 };
          remember(`${key.keyId}\n${key.wrapped.toString('base64')}`, key.plaintext);
          return key;
        }),
      );
    },
    decryptDataKey: (keyId, wrapped) => {
      const id = `${keyId}\n${wrapped.toString('base64')}`;
      const hit = opened.get(id);
      if (hit !== undefined && fresh(hit.at)) return TE.right(hit.key);
      return pipe(
        inner.decryptDataKey(keyId, wrapped),
        TE.map((key) => {
          remember(id, key);
          return key;
        }),
      );
    },
  };
};
