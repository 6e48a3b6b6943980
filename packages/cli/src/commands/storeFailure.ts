import { EXIT } from '../exitCodes.js';
import type { Io } from '../io.js';

/** A store error as the CLI reports it: not found -> 1, anything else -> 3. */
export const reportStoreFailure = (
  io: Io,
  name: string,
  e: { _tag: string; message: string },
  what: string,
): number => {
  if (e._tag === 'NotFound') {
    io.stderr.write(`dh ${name}: ${what} not found\n`);
    return EXIT.notFound;
  }
  io.stderr.write(`dh ${name}: ${e.message}\n`);
  return e._tag === 'Invalid' ? EXIT.usage : EXIT.runtime;
};
