import type { BreakerState } from '@delivery-history/core';
import type { StoreError } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';

// ---------------------------------------------------------------------------
// The worker's per-container view of endpoint breakers, with a bounded staleness: the first
// look at an endpoint in a container waits for one read; after that the cached state is
// answered at once and re-read in the background once older than `staleMs`, so the happy path
// has no extra round trip and a change is seen within `staleMs` plus one read.
// ---------------------------------------------------------------------------

export type ReadBreaker = (endpoint: string) => Promise<E.Either<StoreError, BreakerState | null>>;

export interface BreakerCache {
  /** The cached state (awaits the first read of an endpoint); null = closed / unknown. */
  get(endpoint: string): Promise<BreakerState | null>;
  /** A state this container just wrote (the probe take), or re-read after losing a race. */
  set(endpoint: string, state: BreakerState | null): void;
  refresh(endpoint: string): Promise<BreakerState | null>;
  /** Read longer than `staleMs` ago (or never): what `get` answers may be older than the bound. */
  stale(endpoint: string): boolean;
}

type Entry = { state: BreakerState | null; readAt: number; refreshing: Promise<BreakerState | null> | null };

/** Endpoints remembered per container (bounded; forgetting costs one read). */
const MAX_ENDPOINTS = 10_000;

export const createBreakerCache = (read: ReadBreaker, staleMs: number, now: () => number): BreakerCache => {
  const entries = new Map<string, Entry>();
  const refresh = (endpoint: string): Promise<BreakerState | null> => {
    const prev = entries.get(endpoint);
    if (prev?.refreshing) return prev.refreshing;
    const p = read(endpoint).then(
      (r) => {
        // a failed read keeps what we knew (closed when nothing): the breaker is advisory
        const state = E.isRight(r) ? r.right : (entries.get(endpoint)?.state ?? null);
        if (entries.size > MAX_ENDPOINTS) entries.clear();
        entries.set(endpoint, { state, readAt: now(), refreshing: null });
        return state;
      },
      () => {
        const state = entries.get(endpoint)?.state ?? null;
        entries.set(endpoint, { state, readAt: now(), refreshing: null });
        return state;
      },
    );
    entries.set(endpoint, { state: prev?.state ?? null, readAt: prev?.readAt ?? 0, refreshing: p });
    return p;
  };
  return {
    get: async (endpoint) => {
      const e = entries.get(endpoint);
      if (e === undefined || (e.readAt === 0 && e.refreshing !== null)) return refresh(endpoint);
      if (now() - e.readAt > staleMs) void refresh(endpoint);
      return e.state;
    },
    set: (endpoint, state) => {
      entries.set(endpoint, { state, readAt: now(), refreshing: null });
    },
    refresh,
    stale: (endpoint) => {
      const e = entries.get(endpoint);
      return e === undefined || now() - e.readAt > staleMs;
    },
  };
};
