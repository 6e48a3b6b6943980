// The process boundary of a command: where it writes, what it reads, what time it is.
// Commands take an `Io` instead of touching `process`, so tests run them in-process.
import { type Clock, systemClock } from '@delivery-history/core';

/** A stream; a terminal has `isTTY` and its width in `columns`. */
export type Out = { write(s: string): unknown; readonly isTTY?: boolean; readonly columns?: number };

export type Io = {
  readonly stdout: Out;
  readonly stderr: Out;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: Clock;
};

export const processIo = (): Io => ({
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  now: systemClock,
});

/** An Io that records what is written (tests). */
export const memoryIo = (
  env: Record<string, string | undefined> = {},
  now: Clock = systemClock,
): Io & { out(): string; err(): string } => {
  let out = '';
  let err = '';
  return {
    stdout: {
      write: (s: string) => {
        out += s;
      },
    },
    stderr: {
      write: (s: string) => {
        err += s;
      },
    },
    env,
    now,
    out: () => out,
    err: () => err,
  };
};
