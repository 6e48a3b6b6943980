import * as E from 'fp-ts/lib/Either.js';
import type { Clock } from '../ports/clock.js';

// ---------------------------------------------------------------------------
// The per-container cache in front of a secret store (Secrets Manager on AWS, the devkit's
// file locally). Bounded staleness: a value is served for `ttlMs` after it was read; then
// the next delivery that needs it reads it again (one read at a time per secret, the others
// wait for it). If that read fails, the old value keeps serving until it is 2 x ttlMs old
// (a short outage of the secret store does not stop deliveries), after that the read's
// failure is the answer. `invalidate` forgets a value read at least `minAgeMs` ago (after the
// receiver refused it: 401/403), so a rotation reaches the next send; the floor bounds the
// reads a receiver that always refuses can cause.
// ---------------------------------------------------------------------------

/** Reads one secret's current value; Left: why not (never the value). */
export type SecretSource = (secretId: string) => Promise<E.Either<string, string>>;

export type SecretCache = {
  get(secretId: string): Promise<E.Either<string, string>>;
  /** Forgets the value if it was read `minAgeMs` ago or earlier; true when it did. */
  invalidate(secretId: string, minAgeMs?: number): boolean;
};

export type SecretCacheOptions = {
  readonly ttlMs: number;
  readonly clock: Clock;
  /** Told when a refresh failed and the old value is served (for a warning line and a metric). */
  readonly onStale?: (secretId: string, reason: string) => void;
};

type Entry = { readonly value: string; readonly readAt: number };

/** Values as stored are trimmed: a trailing newline in a secret would break the header. */
const trimmed = (r: E.Either<string, string>): E.Either<string, string> =>
  E.isLeft(r) ? r : r.right.trim() === '' ? E.left('the secret is empty') : E.right(r.right.trim());

export const cachingSecretSource = (source: SecretSource, options: SecretCacheOptions): SecretCache => {
  const values = new Map<string, Entry>();
  const reading = new Map<string, Promise<E.Either<string, string>>>();
  const now = (): number => options.clock().getTime();

  const read = (secretId: string): Promise<E.Either<string, string>> => {
    const pending = reading.get(secretId);
    if (pending !== undefined) return pending;
    const started = now();
    const p = source(secretId)
      .catch((e: unknown) => E.left(e instanceof Error ? e.message : String(e)))
      .then(trimmed)
      .then((r) => {
        if (E.isRight(r)) values.set(secretId, { value: r.right, readAt: started });
        return r;
      })
      .finally(() => reading.delete(secretId));
    reading.set(secretId, p);
    return p;
  };

  const get = async (secretId: string): Promise<E.Either<string, string>> => {
    const cached = values.get(secretId);
    if (cached !== undefined && now() - cached.readAt < options.ttlMs) return E.right(cached.value);
    const r = await read(secretId);
    if (E.isRight(r)) return r;
    const old = values.get(secretId);
    if (old === undefined || now() - old.readAt >= 2 * options.ttlMs) return r;
    options.onStale?.(secretId, r.left);
    return E.right(old.value);
  };

  const invalidate = (secretId: string, minAgeMs = 0): boolean => {
    const cached = values.get(secretId);
    if (cached === undefined || now() - cached.readAt < minAgeMs) return false;
    return values.delete(secretId);
  };

  return { get, invalidate };
};
