import * as E from 'fp-ts/lib/Either.js';
import { readFileSync } from 'node:fs';
import { didYouMean } from './kit/args/suggest.js';
import { DECLARATIONS } from './declarations.js';
import { commandUsage, GENERAL_USAGE, replayUsage, usageHint } from './kit/args/usage.js';
import { UsageError } from './kit/args/usageError.js';
import { type CliFailure, type CommandResult, failureMessage, showsUsage, Unexpected } from './kit/failure.js';
import { EXIT, type ExitCode, exitCodeOf } from './kit/exitCodes.js';
import { noteLine } from './kit/format/terminal.js';
import type { Io } from './kit/io.js';

type Command = (args: ReadonlyArray<string>, io: Io) => Promise<CommandResult>;
type Table = Readonly<Record<string, () => Promise<Command>>>;

/** Own entries only: a command named `__proto__` or `constructor` is unknown, not Object's. */
const lookup = (table: Table, name: string | undefined): (() => Promise<Command>) | undefined =>
  name !== undefined && Object.hasOwn(table, name) ? table[name] : undefined;

// Commands load lazily: a query should not pay for loading the worker, the projector and
// their SDKs (start-up time is most of a short command's run time).
const COMMANDS: Table = {
  local: async () => (await import('./local/local.js')).runLocalCommand,
  demo: async () => (await import('./demo/demo.js')).runDemo,
  history: async () => (await import('./history/history.js')).runHistory,
  failed: async () => (await import('./failed/failed.js')).runFailed,
  endpoint: async () => (await import('./endpoint/endpoint.js')).runEndpoint,
  correlation: async () => (await import('./correlation/correlation.js')).runCorrelation,
  tail: async () => (await import('./tail/tail.js')).runTail,
  verify: async () => (await import('./verify/verify.js')).runVerify,
  expunge: async () => (await import('./expunge/expunge.js')).runExpunge,
  endpoints: async () => (await import('./endpoints/endpoints.js')).runEndpoints,
  console: async () => (await import('./console/console.js')).runConsole,
};

const REPLAY: Table = {
  projections: async () => (await import('./replay/replayProjectionsCommand.js')).runReplayProjections,
  redrive: async () => (await import('./redrive/redriveCommand.js')).runRedrive,
  endpoints: async () => (await import('./replay/replayEndpoints.js')).runReplayEndpoints,
};

/**
 * Prints a failure (`dh <command>: ...`, one line; after a usage error the synopsis and a
 * pointer to --help) and maps it to its exit code.
 */
const report = (io: Io, name: string | null, f: CliFailure): ExitCode => {
  const message = failureMessage(f);
  if (message !== null) io.stderr.write(noteLine(io, `dh${name === null ? '' : ` ${name}`}: ${message}`));
  if (showsUsage(f)) io.stderr.write(usageHint(name, name === null ? undefined : DECLARATIONS[name]));
  return exitCodeOf(f);
};

/** The cli package's version (package.json is one level above src/ and dist/ alike). */
export const version = (): string => {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
};

/** The command names `dh help` knows (for "did you mean"). */
const HELP_TOPICS = [...Object.keys(DECLARATIONS), 'replay'];

const REPLAY_DECLARATIONS = ['replay projections', 'replay redrive', 'replay endpoints'].flatMap((n) => {
  const d = DECLARATIONS[n];
  return d === undefined ? [] : [d];
});

const COMMAND_NAMES = [...Object.keys(COMMANDS), 'replay', 'help'];

const unknownCommand = (io: Io, command: string): ExitCode =>
  report(io, null, UsageError(`unknown command "${command}"${didYouMean(command, COMMAND_NAMES, (c) => `"${c}"`)}`));

/** `dh help [command...]`. */
const help = (io: Io, topic: ReadonlyArray<string>): ExitCode => {
  if (topic.length === 0) {
    io.stdout.write(GENERAL_USAGE);
    return EXIT.ok;
  }
  const name = topic[0] === 'replay' && topic[1] !== undefined ? `replay ${topic[1]}` : (topic[0] ?? '');
  if (!HELP_TOPICS.includes(name)) {
    const known = HELP_TOPICS;
    return report(io, 'help', UsageError(`no command "${name}"${didYouMean(name, known, (c) => `"${c}"`)}`));
  }
  const d = Object.hasOwn(DECLARATIONS, name) ? DECLARATIONS[name] : undefined;
  io.stdout.write(d === undefined ? replayUsage(REPLAY_DECLARATIONS) : commandUsage(d));
  return EXIT.ok;
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
  if (command === undefined || command === '--help' || command === '-h') return help(io, []);
  if (command === 'help') return help(io, rest);
  if (command === '--version' || command === '-V' || command === 'version') {
    io.stdout.write(`dh ${version()}\n`);
    return EXIT.ok;
  }
  if (command === 'replay') {
    const [sub, ...subRest] = rest;
    if (sub === '--help' || sub === '-h') return help(io, ['replay']);
    const load = lookup(REPLAY, sub);
    if (load === undefined) {
      const got =
        sub === undefined
          ? ''
          : ` (got "${sub}"${didYouMean(sub, Object.keys(REPLAY), (c) => `"${c}"`)
              .replace(/^ \(/, ', ')
              .replace(/\)$/, '')})`;
      return report(io, 'replay', UsageError(`replay needs a subcommand: projections, redrive or endpoints${got}`));
    }
    return run(`replay ${sub}`, load, subRest, io);
  }
  const load = lookup(COMMANDS, command);
  if (load === undefined) return unknownCommand(io, command);
  return run(command, load, rest, io);
};
