// Waiting in tests is by condition and progress, never by a wall-clock budget: a wait fails
// when the thing it waits on stops moving, so a busy machine stretches it instead of failing it.
import { setTimeout as sleep } from 'node:timers/promises';
import { treeCpuMs } from '@delivery-history/devkit/testing';

/** A measure that grows while the awaited work moves (rows written, lines read, CPU ms used). */
export type Progress = () => number | undefined | Promise<number | undefined>;

export type WaitOptions = {
  /** What is awaited, for the failure message ("tail shows m-1"). */
  readonly what: string;
  /** Default: CPU used by this process and its children (`cpuOf(process.pid)`). */
  readonly progress?: Progress;
  /** Fail once progress has grown by less than `minStep` for this long (default 30 s). */
  readonly stallMs?: number;
  readonly minStep?: number;
  /** Pause between probes (default 50 ms). */
  readonly everyMs?: number;
  /** More context for the failure message (a child's stderr, the last output). */
  readonly detail?: () => string;
};

/** CPU milliseconds of `pid` and its descendants: progress of a child (or of this process). */
export const cpuOf =
  (pid: number | undefined): Progress =>
  () =>
    pid === undefined ? undefined : treeCpuMs(pid);

// CPU spent by the probes themselves is not progress: under this much per stall window counts as idle.
const CPU_IDLE_MS = 200;

export class StalledError extends Error {
  override readonly name = 'StalledError';
}

type Mark = { readonly at: number; readonly value: number | undefined };

/** The newest time progress grew by `minStep` (a first reading also counts). */
const advanced = (mark: Mark, now: number, value: number | undefined, minStep: number): Mark => {
  if (mark.value === undefined) return { at: mark.at, value };
  if (value !== undefined && value - mark.value >= minStep) return { at: now, value };
  return mark;
};

const found = <A>(v: A | undefined | null | false): v is A => v !== undefined && v !== null && v !== false;

/**
 * Probes until `probe` returns a value other than undefined, null or false, and returns it.
 * Throws StalledError when `progress` has not grown by `minStep` within `stallMs`.
 */
export const waitFor = async <A>(
  probe: () => A | undefined | null | false | Promise<A | undefined | null | false>,
  o: WaitOptions,
): Promise<A> => {
  const stallMs = o.stallMs ?? 30_000;
  const progress = o.progress ?? cpuOf(process.pid);
  const minStep = o.minStep ?? (o.progress === undefined ? CPU_IDLE_MS : 1);
  let mark: Mark = { at: Date.now(), value: await progress() };
  for (;;) {
    const v = await probe();
    if (found(v)) return v;
    const now = Date.now();
    const value = await progress();
    mark = advanced(mark, now, value, minStep);
    if (now - mark.at > stallMs) {
      throw new StalledError(
        `${o.what}: not yet, and no progress for ${Math.round((now - mark.at) / 1000)} s (progress at ${value ?? 'unknown'})${o.detail === undefined ? '' : `; ${o.detail()}`}`,
      );
    }
    await sleep(o.everyMs ?? 50);
  }
};

/** waitFor for soft aims (a kill point that may be missed): true once reached, false once stalled. */
export const reaches = (probe: () => boolean | Promise<boolean>, o: WaitOptions): Promise<boolean> =>
  waitFor(probe, o).then(
    () => true,
    (e: unknown) => {
      if (e instanceof StalledError) return false;
      throw e;
    },
  );
