import type { CliFailure } from './failure.js';

/**
 * Exit codes scripts can trust (packages/cli/README.md "Exit codes"):
 * 0 found / ok; 1 not found, drift found or a check failed; 2 usage or configuration
 * error; 3 the table could not be read or written (DynamoDB/SQS error, refused write);
 * 130 interrupted (SIGINT/SIGTERM) after printing what is left and how to finish it.
 */
export const EXIT = {
  ok: 0,
  notFound: 1,
  checkFailed: 1,
  usage: 2,
  config: 2,
  runtime: 3,
  /** Ctrl-C (128 + SIGINT), after a one-line summary (interrupt.ts). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The one mapping from a command's failure to its exit code. */
export const exitCodeOf = (f: CliFailure): ExitCode => {
  switch (f._tag) {
    case 'NotFound':
      return EXIT.notFound;
    case 'CheckFailed':
      return EXIT.checkFailed;
    case 'UsageError':
      return EXIT.usage;
    case 'DecodeError':
    case 'Refused':
      return EXIT.config;
    case 'StoreFailure':
      // a cursor or argument the store rejects is the caller's mistake
      return f.error._tag === 'NotFound' ? EXIT.notFound : f.error._tag === 'Invalid' ? EXIT.usage : EXIT.runtime;
    case 'TableError':
    case 'Infrastructure':
    case 'Unexpected':
      return EXIT.runtime;
    case 'Interrupted':
      return EXIT.interrupted;
  }
};
