import * as E from 'fp-ts/lib/Either.js';
import type { ArgsOf, Declaration } from './args/declaration.js';
import { COMMON } from './args/common.js';
import { declaredVar } from './args/option.js';
import { decodeArgs } from './args/parse.js';
import { commandUsage } from './args/usage.js';
import { UsageError } from './args/usageError.js';
import { type Config, type ConfigFlags, readConfig } from './config/readConfig.js';
import { isValidZone } from './format/zone.js';
import type { Io } from './io.js';
import { type CommandResult, done, fail } from './failure.js';

// The shared front of every command: --help, argument decoding, configuration. A usage or
// configuration error is returned; main prints it with the command's usage (exit 2).

export const usageFailure = (message: string): CommandResult => fail(UsageError(message));

/** The zone times are shown and zone-less input is read in: --tz, else a valid $TZ, else UTC. */
const zoneOf = (args: ReadonlyArray<string>, env: Io['env']): string => {
  const i = args.findIndex((a) => a === '--tz' || a.startsWith('--tz='));
  const flag = i < 0 ? undefined : args[i]?.startsWith('--tz=') ? args[i]?.slice(5) : args[i + 1];
  for (const z of [flag, declaredVar(COMMON.tz, env)?.replace(/^:/, '')])
    if (z !== undefined && z.trim() !== '' && isValidZone(z.trim())) return z.trim();
  return 'UTC';
};

/**
 * Decodes `args` by the command's declaration (times read at `now`, the clock the command
 * checks windows against, so `--since now` is never in its future), reads the
 * configuration, then runs.
 */
export const withArgs = async <D extends Declaration>(
  d: D,
  args: ReadonlyArray<string>,
  io: Io,
  now: Date,
  flags: (a: ArgsOf<D>) => ConfigFlags,
  run: (a: ArgsOf<D>, config: Config) => Promise<CommandResult>,
): Promise<CommandResult> => {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(commandUsage(d));
    return done;
  }
  const decoded = decodeArgs(args, d, { now, zone: zoneOf(args, io.env), env: io.env });
  if (E.isLeft(decoded)) return E.left(decoded.left);
  const config = readConfig(io.env, flags(decoded.right));
  if (E.isLeft(config)) return E.left(config.left);
  return run(decoded.right, config.right);
};
