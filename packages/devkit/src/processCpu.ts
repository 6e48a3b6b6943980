// CPU time used by a process and its descendants, read from /proc (Linux). Tests and the test
// runner use it as their measure of progress: a child that keeps using CPU is slow, not stuck,
// so a busy machine stretches the wait instead of failing it.
import { readdirSync, readFileSync } from 'node:fs';

// USER_HZ is 100 on every Linux the project targets (sysconf(_SC_CLK_TCK)).
const TICK_MS = 10;

const ownCpuMs = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // fields after the parenthesized command name, which may itself hold spaces or parentheses
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state); utime and stime are fields 14 and 15
  return (Number(rest[11]) + Number(rest[12])) * TICK_MS;
};

const childrenOf = (pid: number): number[] => {
  const out: number[] = [];
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const list = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
    if (list !== '') for (const c of list.split(' ')) out.push(Number(c));
  }
  return out;
};

/** CPU milliseconds used so far by `pid` and its live descendants; undefined where /proc cannot tell. */
export const treeCpuMs = (pid: number): number | undefined => {
  try {
    let total = 0;
    const todo = [pid];
    for (let p = todo.pop(); p !== undefined; p = todo.pop()) {
      try {
        total += ownCpuMs(p);
        todo.push(...childrenOf(p));
      } catch (e) {
        // a descendant that exited between the listing and the read used no more CPU
        if (p === pid) throw e;
      }
    }
    return total;
  } catch {
    return undefined;
  }
};

export type StallGuardOptions = {
  /** Before this much wall time nothing is killed. */
  readonly afterMs: number;
  /** Stalled: under `minCpuMs` of CPU used over the last `windowMs`. */
  readonly windowMs?: number;
  readonly minCpuMs?: number;
  /** Killed regardless once this much wall time has passed (default 3x afterMs). */
  readonly capMs?: number;
};

/**
 * Calls `onStall` once the process tree of `pid` has run past `afterMs` and stopped using CPU,
 * or has run past the cap. A hang guard for tests, not a budget: a slow child on a busy machine
 * keeps using CPU and is left to finish. Returns the function that stops watching.
 */
export const stallGuard = (pid: number, o: StallGuardOptions, onStall: (why: string) => void): (() => void) => {
  const windowMs = o.windowMs ?? 60_000;
  const minCpuMs = o.minCpuMs ?? 500;
  const capMs = o.capMs ?? 3 * o.afterMs;
  const started = Date.now();
  const samples: { at: number; cpu: number }[] = [];
  const timer = setInterval(
    () => {
      const now = Date.now();
      const cpu = treeCpuMs(pid);
      if (cpu !== undefined) samples.push({ at: now, cpu });
      while (samples.length > 1 && (samples[1]?.at ?? now) <= now - windowMs) samples.shift();
      const first = samples[0];
      const stalled =
        cpu === undefined || (first !== undefined && now - first.at >= windowMs && cpu - first.cpu < minCpuMs);
      const elapsed = now - started;
      if ((elapsed > o.afterMs && stalled) || elapsed > capMs) {
        clearInterval(timer);
        onStall(
          elapsed > capMs
            ? `still running after ${Math.round(elapsed / 1000)} s (cap ${Math.round(capMs / 1000)} s)`
            : `no progress after ${Math.round(elapsed / 1000)} s (under ${minCpuMs} ms of CPU in the last ${Math.round(windowMs / 1000)} s)`,
        );
      }
    },
    Math.min(5_000, windowMs / 6),
  );
  timer.unref();
  return () => clearInterval(timer);
};

/**
 * A probe of whether `pid`'s tree is still working: true until a window of `windowMs` passes
 * in which it used under `minCpuMs` of CPU (re-judged once per window).
 */
export const cpuProgress = (pid: number | undefined, windowMs = 10_000, minCpuMs = 200): (() => boolean) => {
  let mark = { at: Date.now(), cpu: pid === undefined ? undefined : treeCpuMs(pid) };
  let progressing = true;
  return () => {
    const now = Date.now();
    if (now - mark.at < windowMs) return progressing;
    const cpu = pid === undefined ? undefined : treeCpuMs(pid);
    progressing = cpu !== undefined && mark.cpu !== undefined && cpu - mark.cpu >= minCpuMs;
    mark = { at: now, cpu };
    return progressing;
  };
};
