import { GENERAL_USAGE } from './args/usage.js';
import { runCorrelation } from './commands/correlation.js';
import { runDemo } from './commands/demo.js';
import { runEndpoint } from './commands/endpoint.js';
import { runFailed } from './commands/failed.js';
import { runHistory } from './commands/history.js';
import { runLocalCommand } from './commands/local.js';
import { runRedrive } from './commands/redrive.js';
import { runReplayProjections } from './commands/replayProjections.js';
import { runVerify } from './commands/verify.js';
import { usageFailure } from './commands/withArgs.js';
import { EXIT } from './exitCodes.js';
import type { Io } from './io.js';

type Command = (args: ReadonlyArray<string>, io: Io) => Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  local: runLocalCommand,
  demo: runDemo,
  history: runHistory,
  failed: runFailed,
  endpoint: runEndpoint,
  correlation: runCorrelation,
  verify: runVerify,
};

const REPLAY: Readonly<Record<string, Command>> = {
  projections: runReplayProjections,
  redrive: runRedrive,
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
    const run = sub === undefined ? undefined : REPLAY[sub];
    if (run === undefined) {
      return usageFailure(io, 'replay projections', `replay needs a subcommand: projections or redrive${sub === undefined ? '' : ` (got "${sub}")`}`);
    }
    return run(subRest, io);
  }
  const run = COMMANDS[command];
  if (run === undefined) {
    io.stderr.write(`dh: unknown command "${command}"\n\n${GENERAL_USAGE}`);
    return EXIT.usage;
  }
  return run(rest, io);
};
