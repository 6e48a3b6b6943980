import { portIsFree } from '@delivery-history/devkit';
import type { Io } from '../kit/io.js';
import { startLocalStack } from './localStack.js';
import { type CommandResult, fail, Infrastructure, Interrupted } from '../kit/failure.js';
import { withArgs } from '../kit/withArgs.js';
import { localArgs } from './localArgs.js';

export type LocalOptions = { readonly port?: number; readonly path?: string; readonly tableName: string };

const exportsOf = (endpoint: string, tableName: string, allow: string, sqs: { endpoint: string; queueUrl: string }) =>
  [
    'Use it from another shell with:',
    `  export AWS_ENDPOINT_URL_DYNAMODB=${endpoint}`,
    `  export AWS_ENDPOINT_URL_DYNAMODB_STREAMS=${endpoint}`,
    `  export DELIVERY_TABLE_NAME=${tableName}`,
    `  export DELIVERY_ALLOW_TARGETS=${allow}`,
    '  export AWS_REGION=local AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local',
    "To hand re-drives to this stack's worker instead (their retries then keep running here):",
    `  export DELIVERY_QUEUE_URL=${sqs.queueUrl} AWS_ENDPOINT_URL_SQS=${sqs.endpoint}`,
  ].join('\n');

/** Resolves on the first SIGINT/SIGTERM (this command's own listener: the default exit stays out). */
export const untilSignal = (): { signalled: Promise<void>; cancel: () => void } => {
  let stop = (): void => {};
  const signalled = new Promise<void>((ok) => {
    stop = () => ok();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return {
    signalled,
    cancel: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
};

/** `dh local`: the whole system on this machine, until Ctrl-C (exit 130 after its summary). */
export const runLocal = async (opts: LocalOptions, io: Io): Promise<CommandResult> => {
  if (opts.port !== undefined && !(await portIsFree(opts.port))) {
    return fail(
      Infrastructure(
        `port ${opts.port} is already in use (another "dh local"?); stop that one, or pick a free --port (omit it for any free port)`,
      ),
    );
  }
  const signal = untilSignal();
  const note = (line: string) => io.stderr.write(`${line}\n`);
  let stack: Awaited<ReturnType<typeof startLocalStack>>;
  try {
    stack = await startLocalStack({ ...opts, env: io.env, note });
  } catch (e) {
    signal.cancel();
    return fail(Infrastructure(`DynamoDB Local did not start: ${e instanceof Error ? e.message : String(e)}`));
  }
  const where = opts.path !== undefined ? `on disk in ${opts.path}` : 'in memory';
  io.stdout.write(
    [
      `DynamoDB Local is running at ${stack.endpoint} (${where}, shared database).`,
      `Table "${stack.tableName}" ${stack.created ? 'created' : 'already present'}.`,
      'Projector: the stream poller keeps audit trails up to date. Worker: the local driver delivers what the queue below receives.',
      '',
      exportsOf(stack.endpoint, stack.tableName, stack.allowTargets, stack.sqs),
      '',
      `The support console on table "${stack.tableName}" (in a shell with the exports above): pnpm dh console`,
      '',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  const ended = await Promise.race([
    signal.signalled.then(() => 'signal' as const),
    stack.died.then(() => 'died' as const),
  ]);
  signal.cancel();
  await stack.stop();
  // after the stop: a drain sweep still running (its release waits on the claim) is counted
  const c = stack.counts();
  if (ended === 'died') {
    return fail(Infrastructure(`DynamoDB Local at ${stack.endpoint} exited unexpectedly; everything else was stopped`));
  }
  // what it did, then 130 like every command Ctrl-C ends (a script can tell a stop from a crash)
  io.stdout.write(
    `Stopped: ${c.projected} stream records projected, ${c.delivered} queue records delivered, ${c.released} held messages released.\n`,
  );
  return fail(Interrupted);
};

export const runLocalCommand = (args: ReadonlyArray<string>, io: Io): Promise<CommandResult> =>
  withArgs(
    localArgs,
    args,
    io,
    io.now(),
    (a) => ({ table: a.table }),
    (a, config) =>
      runLocal(
        {
          ...(a.port !== undefined ? { port: a.port } : {}),
          ...(a.path !== undefined ? { path: a.path } : {}),
          tableName: config.tableName,
        },
        io,
      ),
  );
