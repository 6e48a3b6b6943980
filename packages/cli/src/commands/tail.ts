import type { Io } from '../io.js';
import type { CommandResult } from './failure.js';
import { usageFailure } from './withArgs.js';

export const runTail = async (_args: ReadonlyArray<string>, _io: Io): Promise<CommandResult> =>
  usageFailure('tail: not yet');
