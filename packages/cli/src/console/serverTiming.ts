import { performance } from 'node:perf_hooks';
import type { Context } from 'hono';

// Where a page's server time goes: each read a route times is one `Server-Timing` entry
// (`health;dur=12.3`), next to the whole answer's `app;dur=` (the bench reads both; a
// browser's devtools show them).

const phases = new WeakMap<Request, string[]>();

/** Runs `f`, recording its duration under `name` for this request's Server-Timing header. */
export const timed = async <A>(c: Context, name: string, f: () => Promise<A>): Promise<A> => {
  const started = performance.now();
  try {
    return await f();
  } finally {
    const list = phases.get(c.req.raw) ?? [];
    list.push(`${name};dur=${(performance.now() - started).toFixed(1)}`);
    phases.set(c.req.raw, list);
  }
};

/** The header's value: the timed reads, then the whole answer. */
export const serverTiming = (c: Context, totalMs: number): string =>
  [...(phases.get(c.req.raw) ?? []), `app;dur=${totalMs.toFixed(1)}`].join(', ');
