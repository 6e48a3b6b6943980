import * as E from 'fp-ts/lib/Either.js';
import { commandUsage, GENERAL_USAGE } from './args/usage.js';
import { UsageError } from './args/usageError.js';
import { type CliFailure, type CommandResult, failureMessage, showsUsage, Unexpected } from './commands/failure.js';
import { EXIT, type ExitCode, exitCodeOf } from './exitCodes.js';
import type { Io } from './io.js';

type Command = (args: ReadonlyArray<string>, io: Io) => Promise<CommandResult>;
type Table = Readonly<Record<string, () => Promise<Command>>>;

/** Own entries only: a command named `__proto__` or `constructor` is unknown, not Object's. */
const lookup = (table: Table, name: string | undefined): (() => Promise<Command>) | undefined =>
  name !== undefined && Object.hasOwn(table, name) ? table[name] : undefined;

// Commands load lazily: a query should not pay for loading the worker, the projector and
// their SDKs (start-up time is most of a short command's run time).
const COMMANDS: Table = {
  local: async () => (await import('./commands/local.js')).runLocalCommand,
  demo: async () => (await import('./commands/demo.js')).runDemo,
  history: async () => (await import('./commands/history.js')).runHistory,
  failed: async () => (await import('./commands/failed.js')).runFailed,
  endpoint: async () => (await import('./commands/endpoint.js')).runEndpoint,
  correlation: async () => (await import('./commands/correlation.js')).runCorrelation,
  verify: async () => (await import('./commands/verify.js')).runVerify,
  expunge: async () => (await import('./commands/expunge.js')).runExpunge,
};

const REPLAY: Table = {
  projections: async () => (await import('./commands/replayProjections.js')).runReplayProjections,
  redrive: async () => (await import('./commands/redrive.js')).runRedrive,
};

/** Prints a failure (`dh <command>: ...`, usage after usage errors) and maps it to its exit code. */
const report = (io: Io, name: string | null, f: CliFailure): ExitCode => {
  const message = failureMessage(f);
  if (message !== null) io.stderr.write(`dh${name === null ? '' : ` ${name}`}: ${message}\n`);
  if (showsUsage(f)) io.stderr.write(`\n${name === null ? GENERAL_USAGE : commandUsage(name)}`);
  return exitCodeOf(f);
};

/** Runs a command; an exception is `Unexpected` (exit 3, one line, no stack trace). */
const run = async (
  name: string,
  command: () => Promise<Command>,
  args: ReadonlyArray<string>,
  io: Io,
): Promise<ExitCode> => {
  let result: CommandResult;
  try {
    result = await (await command())(args, io);
  } catch (e) {
    result = E.left(Unexpected(e));
  }
  return E.isRight(result) ? EXIT.ok : report(io, name, result.left);
};

/** `dh <command> ...`: the exit code (see exitCodes.ts). */
export const main = async (argv: ReadonlyArray<string>, io: Io): Promise<number> => {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    io.stdout.write(GENERAL_USAGE);
    return EXIT.ok;
  }
  if (command === 'replay') {
    const [sub, ...subRest] = rest;
    const load = lookup(REPLAY, sub);
    if (load === undefined) {
      const got = sub === undefined ? '' : ` (got "${sub}")`;
      return report(io, 'replay projections', UsageError(`replay needs a subcommand: projections or redrive${got}`));
    }
    return run(`replay ${sub}`, load, subRest, io);
  }
  const load = lookup(COMMANDS, command);
  if (load === undefined) return report(io, null, UsageError(`unknown command "${command}"`));
  return run(command, load, rest, io);
};
