import { performance } from 'node:perf_hooks';

// A bounded closed-loop load: `count` operations, at most `concurrency` in flight, each
// timed on its own; stops early at `deadlineMs` so a slow machine cannot run forever.

export type LoadResult = {
  readonly ops: number;
  readonly errors: number;
  readonly wallMs: number;
  /** Latency of each successful operation (ms). */
  readonly latencies: number[];
  /** CPU time of this process over the run (user + system, ms), all work included. */
  readonly cpuMs: number;
  readonly firstError: string | null;
};

export type LoadOptions = {
  readonly count: number;
  readonly concurrency: number;
  /** Wall-clock bound; operations not started by then are skipped. */
  readonly deadlineMs?: number;
};

/** `op` rejects (or resolves false) for a failed operation; the run goes on. */
export const runLoad = async (options: LoadOptions, op: (i: number) => Promise<unknown>): Promise<LoadResult> => {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const stopAt = options.deadlineMs === undefined ? Number.POSITIVE_INFINITY : t0 + options.deadlineMs;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < options.count && performance.now() < stopAt; i = next++) {
      const s = performance.now();
      try {
        const r = await op(i);
        if (r === false) throw new Error('operation reported failure');
        latencies.push(performance.now() - s);
      } catch (e) {
        errors++;
        firstError ??= e instanceof Error ? e.message : String(e);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, options.count)) }, lane));
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { ops: latencies.length, errors, wallMs, latencies, cpuMs: (cpu.user + cpu.system) / 1000, firstError };
};

/** Runs `work` over `items` with at most `limit` in flight (setup/loading, not timed per item). */
export const pool = async <A>(
  items: ReadonlyArray<A>,
  limit: number,
  work: (a: A, i: number) => Promise<void>,
): Promise<void> => {
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) await work(items[i] as A, i);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
};
