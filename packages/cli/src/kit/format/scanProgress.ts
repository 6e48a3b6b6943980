import type { ProgressMode } from '../args/codecs.js';
import type { Io } from '../io.js';
import { afterPhase, countedProgress, createProgress, type Progress, startPhase } from './progress.js';

// The terminal face of a pass over the table (verify, replay): on stderr, a "counting first"
// phase while the COUNT scan runs (when the whole table is read), then the bar or lines. The
// run only sees `progress` (start, increment, stop): it prints nothing itself.

export type ScanProgress = {
  readonly progress: Progress;
  /** `N` or `N of M` messages so far (the Ctrl-C line). */
  soFar(): string;
  /** Ends the counting phase (idempotent). */
  stop(): void;
};

export const scanProgress = (
  io: Pick<Io, 'stderr' | 'now'>,
  o: { readonly mode: ProgressMode; readonly label: string; readonly counting: string | null },
): ScanProgress => {
  const clock = () => io.now().getTime();
  const phase =
    o.counting === null ? { stop() {} } : startPhase({ mode: o.mode, stderr: io.stderr, clock, text: o.counting });
  const counted = countedProgress(
    afterPhase(phase, createProgress({ mode: o.mode, label: o.label, stderr: io.stderr, clock })),
  );
  return {
    progress: counted.progress,
    soFar: () => `${counted.done()}${counted.total() === null ? '' : ` of ${counted.total()}`}`,
    stop: () => phase.stop(),
  };
};
