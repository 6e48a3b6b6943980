import { GENERAL_USAGE } from './args/usage.js';
import { usageFailure } from './commands/withArgs.js';
import { EXIT } from './exitCodes.js';
import type { Io } from './io.js';

type Command = (args: ReadonlyArray<string>, io: Io) => Promise<number>;
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
};

const REPLAY: Table = {
  projections: async () => (await import('./commands/replayProjections.js')).runReplayProjections,
  redrive: async () => (await import('./commands/redrive.js')).runRedrive,
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
      return usageFailure(io, 'replay projections', `replay needs a subcommand: projections or redrive${got}`);
    }
    return (await load())(subRest, io);
  }
  const load = lookup(COMMANDS, command);
  if (load === undefined) {
    io.stderr.write(`dh: unknown command "${command}"\n\n${GENERAL_USAGE}`);
    return EXIT.usage;
  }
  return (await load())(rest, io);
};
