import { display } from '@delivery-history/core';
import cliProgress from 'cli-progress';
import type { ProgressMode } from '../args/codecs.js';
import type { Out } from '../io.js';
import { formatDuration } from './time.js';

// Progress of long work, always on stderr (stdout stays clean for tables and --json):
// a cli-progress bar with rate and ETA on a terminal (or when asked with --progress bar),
// plain lines every few seconds otherwise (CI logs, pipes), or nothing (--progress none).

export type Progress = {
  /** Total may be unknown (null): then count and rate only. */
  start(total: number | null): void;
  setTotal(total: number): void;
  increment(n?: number): void;
  /** Final line / bar; idempotent. */
  stop(): void;
};

export type ProgressOptions = {
  readonly mode: ProgressMode;
  readonly label: string;
  readonly stderr: Out;
  readonly clock: () => number;
  /** lines mode: at most one line per interval (default 2 s). */
  readonly intervalMs?: number;
};

const rateOf = (value: number, startedAt: number, now: number): number => {
  const secs = (now - startedAt) / 1000;
  return secs > 0 ? value / secs : 0;
};

const etaOf = (value: number, total: number | null, rate: number): string =>
  total === null || rate <= 0 ? '?' : formatDuration(((total - value) / rate) * 1000);

/** One line of text progress: `replay: 1200/5000 (24%) 850/s ETA 4s`. */
export const progressLine = (
  label: string,
  value: number,
  total: number | null,
  startedAt: number,
  now: number,
): string => {
  const rate = rateOf(value, startedAt, now);
  const of =
    total === null ? `${value}` : `${value}/${total} (${total === 0 ? 100 : Math.floor((value / total) * 100)}%)`;
  const eta = total === null ? '' : ` ETA ${etaOf(value, total, rate)}`;
  return `${label}: ${of} ${Math.round(rate)}/s${eta} elapsed ${formatDuration(now - startedAt)}`;
};

export const silentProgress = (): Progress => ({ start() {}, setTotal() {}, increment() {}, stop() {} });

const lineProgress = (o: ProgressOptions): Progress => {
  const interval = o.intervalMs ?? 2000;
  let total: number | null = null;
  let value = 0;
  let startedAt = o.clock();
  let last = startedAt;
  let done = false;
  let printed = -1;
  const print = () => {
    printed = value;
    o.stderr.write(`${progressLine(o.label, value, total, startedAt, o.clock())}\n`);
  };
  return {
    start(t) {
      total = t;
      startedAt = o.clock();
      last = startedAt;
    },
    setTotal(t) {
      total = t;
    },
    increment(n = 1) {
      value += n;
      const now = o.clock();
      if (now - last >= interval) {
        last = now;
        print();
      }
    },
    stop() {
      if (done) return;
      done = true;
      if (printed !== value) print();
    },
  };
};

/** What the bar's line holds besides its label and the bar: ` [] 100% | 12345/12345 | 1234/s | ETA 59m 59s | 1h 2m`. */
const BAR_LINE_REST = 56;

/** The bar's length so that its whole line fits the terminal (10 to 40 cells). */
export const barSize = (label: string, columns: number | undefined): number =>
  Math.max(10, Math.min(40, (columns ?? 80) - display.width(label) - BAR_LINE_REST));

const barProgress = (o: ProgressOptions, forced: boolean): Progress => {
  let startedAt = o.clock();
  let value = 0;
  let total: number | null = null;
  let done = false;
  const bar = new cliProgress.SingleBar(
    {
      format: `${o.label} [{bar}] {percentage}% | {value}/{total} | {rate}/s | ETA {etaText} | {duration_formatted}`,
      // The bar draws with cursor controls the output guard would escape; what it draws is ours
      // (label, counts, rates), so it writes to the stream under the guard.
      stream: (o.stderr.raw ?? o.stderr) as NodeJS.WritableStream,
      noTTYOutput: forced,
      hideCursor: false,
      barsize: barSize(o.label, o.stderr.columns),
      etaBuffer: 50,
      fps: 5,
      // its SIGINT handler would keep the process alive after Ctrl-C (it only stops the bar)
      gracefulExit: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const payload = () => {
    const rate = rateOf(value, startedAt, o.clock());
    return { rate: Math.round(rate), etaText: etaOf(value, total, rate) };
  };
  return {
    start(t) {
      total = t;
      startedAt = o.clock();
      bar.start(t ?? 0, 0, payload());
    },
    setTotal(t) {
      total = t;
      bar.setTotal(t);
    },
    increment(n = 1) {
      value += n;
      // Unknown total: keep the bar's end ahead of the count so it reads as "working".
      if (total === null) bar.setTotal(value);
      bar.increment(n, payload());
    },
    stop() {
      if (done) return;
      done = true;
      bar.update(value, payload());
      bar.stop();
    },
  };
};

export const createProgress = (o: ProgressOptions): Progress => {
  switch (o.mode) {
    case 'none':
      return silentProgress();
    case 'lines':
      return lineProgress(o);
    case 'bar':
      return barProgress(o, o.stderr.isTTY !== true);
    case 'auto':
      return o.stderr.isTTY === true ? barProgress(o, false) : lineProgress(o);
  }
};

/** A progress that also remembers how far it got (for the Ctrl-C summary line). */
export const countedProgress = (
  inner: Progress,
): { progress: Progress; done: () => number; total: () => number | null } => {
  let done = 0;
  let total: number | null = null;
  return {
    progress: {
      start: (t) => {
        total = t;
        inner.start(t);
      },
      setTotal: (t) => {
        total = t;
        inner.setTotal(t);
      },
      increment: (n = 1) => {
        done += n;
        inner.increment(n);
      },
      stop: () => inner.stop(),
    },
    done: () => done,
    total: () => total,
  };
};

// ---------------------------------------------------------------------------
// a silent phase (a count before the bar, a long read): what it does, and that it is alive
// ---------------------------------------------------------------------------

export type Phase = {
  /** Clears the spinner (idempotent); the line mode left its line. */
  stop(): void;
};

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Says what a phase without progress does: on a terminal a spinner with the elapsed time
 * (redrawn in place, cleared when it ends), otherwise one line; nothing with --progress none.
 */
export const startPhase = (o: Omit<ProgressOptions, 'label' | 'intervalMs'> & { readonly text: string }): Phase => {
  if (o.mode === 'none') return { stop() {} };
  if (o.stderr.isTTY !== true || o.mode === 'lines') {
    o.stderr.write(`${o.text}\n`);
    return { stop() {} };
  }
  const startedAt = o.clock();
  let frame = 0;
  // frame, spaces and the elapsed time take about 12 columns; the text gets the rest, so the
  // line never wraps (a wrapped spinner line is redrawn below itself and leaves a trail)
  const text = display.fit(o.text, Math.max(10, (o.stderr.columns ?? 80) - 12));
  const draw = () => {
    o.stderr.write(
      // "\r ESC[K" first: the one cursor sequence the output guard (safeOut.ts) lets through
      `\r\x1b[K${FRAMES[frame++ % FRAMES.length] ?? ''} ${text} ${formatDuration(o.clock() - startedAt)}`,
    );
  };
  draw();
  const timer = setInterval(draw, 100);
  // a spinner never keeps the process alive
  timer.unref();
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      o.stderr.write('\r\x1b[K');
    },
  };
};

/** A progress whose first `start` ends a phase (the count before the bar is done). */
export const afterPhase = (phase: Phase, inner: Progress): Progress => ({
  start: (t) => {
    phase.stop();
    inner.start(t);
  },
  setTotal: (t) => inner.setTotal(t),
  increment: (n) => inner.increment(n),
  stop: () => {
    phase.stop();
    inner.stop();
  },
});
