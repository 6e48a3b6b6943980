import type { DecodeError } from '@delivery-history/core';
import type { StoreError } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import type { UsageError } from './args/usageError.js';
import type { TableError } from './table/tableError.js';

// ---------------------------------------------------------------------------
// model: every way a command can end other than "done" (exitCodeOf maps each to its code)
// ---------------------------------------------------------------------------

/** The requested thing does not exist or the answer is empty; `message` null: the output said so. */
export type NotFound = { readonly _tag: 'NotFound'; readonly message: string | null };

/** Drift found or left, a verify check failed, a re-drive failed: the report on stdout says which. */
export type CheckFailed = { readonly _tag: 'CheckFailed' };

/** The demo would write to a configured table without --yes (runDemo prints why). */
export type Refused = { readonly _tag: 'Refused' };

/** A store operation failed (its NotFound is a `NotFound`, see `storeFailure`). */
export type StoreFailure = { readonly _tag: 'StoreFailure'; readonly error: StoreError };

/**
 * Where the CLI points is not a usable table (nothing answers, no such table, not DynamoDB):
 * exit 3, one line that names the endpoint or table and says what to do (context.ts).
 */
export type Infrastructure = { readonly _tag: 'Infrastructure'; readonly message: string };

/** An exception nobody typed (network, credentials, a bug): exit 3, never a stack trace. */
export type Unexpected = { readonly _tag: 'Unexpected'; readonly cause: unknown };

/** SIGINT/SIGTERM stopped the work; the command printed what was done and how to finish. */
export type Interrupted = { readonly _tag: 'Interrupted' };

/**
 * The closed union of CLI failures: arguments (`UsageError`), configuration (core's
 * `DecodeError`), not found, failed checks, the demo's refusal, store and table errors, and
 * unexpected exceptions.
 */
export type CliFailure =
  | UsageError
  | DecodeError
  | NotFound
  | CheckFailed
  | Refused
  | StoreFailure
  | TableError
  | Infrastructure
  | Unexpected
  | Interrupted;

export type CommandResult = E.Either<CliFailure, void>;

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

export const done: CommandResult = E.right(undefined);

export const fail = (f: CliFailure): CommandResult => E.left(f);

export const NotFound = (message: string | null): NotFound => ({ _tag: 'NotFound', message });
export const CheckFailed: CheckFailed = { _tag: 'CheckFailed' };
export const Refused: Refused = { _tag: 'Refused' };
export const Interrupted: Interrupted = { _tag: 'Interrupted' };
export const Unexpected = (cause: unknown): Unexpected => ({ _tag: 'Unexpected', cause });
export const Infrastructure = (message: string): Infrastructure => ({ _tag: 'Infrastructure', message });

/** A store error about `what`: its NotFound reads `<what> not found`. */
export const storeFailure = (error: StoreError, what: string): CliFailure =>
  error._tag === 'NotFound' ? NotFound(`${what} not found`) : { _tag: 'StoreFailure', error };

// ---------------------------------------------------------------------------
// rendering (the line after `dh <command>: ` on stderr)
// ---------------------------------------------------------------------------

const unexpectedMessage = (e: unknown): string => {
  const label = (e as { name?: unknown } | null)?.name;
  const prefix = typeof label === 'string' && label !== 'Error' ? `${label}: ` : '';
  return `${prefix}${e instanceof Error ? e.message : String(e)}`;
};

/** The stderr line of a failure; null when the command's output already said it. */
export const failureMessage = (f: CliFailure): string | null => {
  switch (f._tag) {
    case 'UsageError':
    case 'DecodeError':
    case 'TableError':
    case 'NotFound':
    case 'Infrastructure':
      return f.message;
    case 'StoreFailure':
      return f.error.message;
    case 'Unexpected':
      return unexpectedMessage(f.cause);
    case 'CheckFailed':
    case 'Refused':
    case 'Interrupted':
      return null;
  }
};

/** Usage and configuration errors are followed by the command's usage. */
export const showsUsage = (f: CliFailure): boolean => f._tag === 'UsageError' || f._tag === 'DecodeError';
