// The process boundary of a command: where it writes, what it reads, what time it is.
// Commands take an `Io` instead of touching `process`, so tests run them in-process.
import { type Clock, systemClock } from '@delivery-history/core';
import { safeOut } from './format/safeOut.js';

/**
 * A stream; a terminal has `isTTY` and its width in `columns`. `raw` is the unguarded stream
 * under a `safeOut`, for a progress bar that draws with cursor controls around text of ours.
 */
export type Out = {
  write(s: string): unknown;
  readonly isTTY?: boolean | undefined;
  readonly columns?: number | undefined;
  readonly raw?: Out;
};

export type Io = {
  readonly stdout: Out;
  readonly stderr: Out;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: Clock;
};

/**
 * The process's streams, each behind the output rule's guard (format/safeOut.ts); `stdout` is
 * where the answer goes instead of the terminal (a pager's input), behind the same guard.
 */
export const processIo = (stdout: Out = process.stdout): Io => ({
  stdout: safeOut(stdout),
  stderr: safeOut(process.stderr),
  env: process.env,
  now: systemClock,
});

/** An Io that records what is written (tests), through the same guard as the process's. */
export const memoryIo = (
  env: Record<string, string | undefined> = {},
  now: Clock = systemClock,
): Io & { out(): string; err(): string } => {
  let out = '';
  let err = '';
  return {
    stdout: safeOut({
      write: (s: string) => {
        out += s;
      },
    }),
    stderr: safeOut({
      write: (s: string) => {
        err += s;
      },
    }),
    env,
    now,
    out: () => out,
    err: () => err,
  };
};
