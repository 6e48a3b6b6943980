import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import type { CommandSpec } from '../args/parse.js';
import { decodeArgs } from '../args/parse.js';
import { commandUsage } from '../args/usage.js';
import { type Config, type ConfigFlags, readConfig } from '../config/readConfig.js';
import { EXIT } from '../exitCodes.js';
import type { Io } from '../io.js';

// The shared front of every command: --help, argument decoding, configuration. Usage and
// configuration errors print one line plus the command's usage on stderr and exit 2.

export const usageFailure = (io: Io, name: string, message: string): number => {
  io.stderr.write(`dh ${name}: ${message}\n\n${commandUsage(name)}`);
  return EXIT.usage;
};

export const withArgs = async <A>(
  name: string,
  args: ReadonlyArray<string>,
  io: Io,
  spec: CommandSpec,
  codec: t.Decoder<unknown, A>,
  flags: (a: A) => ConfigFlags,
  run: (a: A, config: Config) => Promise<number>,
): Promise<number> => {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(commandUsage(name));
    return EXIT.ok;
  }
  const decoded = decodeArgs(args, spec, codec);
  if (E.isLeft(decoded)) return usageFailure(io, name, decoded.left.message);
  const config = readConfig(io.env, flags(decoded.right));
  if (E.isLeft(config)) return usageFailure(io, name, config.left.message);
  return run(decoded.right, config.right);
};
