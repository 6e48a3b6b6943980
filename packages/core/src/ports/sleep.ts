import { setTimeout as delay } from 'node:timers/promises';

// The one way to wait: a port, so tests and fault injection pass their own.

export type Sleep = (ms: number) => Promise<void>;

export const sleep: Sleep = async (ms) => {
  await delay(Math.max(0, ms));
};

/** Thrown (a programmer-visible rejection) when `withTimeout` gives up on a promise. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(
    readonly what: string,
    readonly ms: number,
  ) {
    super(`${what} did not finish within ${ms} ms`);
  }
}

/**
 * `p`, or a `TimeoutError` rejection after `ms` (no timeout when `ms` is undefined). The
 * timer is cleared either way, so a finished promise never keeps the process alive.
 */
export const withTimeout = <A>(p: Promise<A>, ms: number | undefined, what = 'operation'): Promise<A> => {
  if (ms === undefined) return p;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(what, ms)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
};
