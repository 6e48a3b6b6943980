import { SQSClient } from '@aws-sdk/client-sqs';
import { type BreakerState, normalizeEndpoint, sleep, display, breaker } from '@delivery-history/core';
import type { Store } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import { configFlags } from '../kit/args/common.js';
import type { ArgsOf } from '../kit/args/declaration.js';
import { operatorOf } from '../kit/config/operator.js';
import type { Config } from '../kit/config/readConfig.js';
import { type Context, withContext } from '../kit/context.js';
import { toJson } from '../kit/format/json.js';
import { noteLine } from '../kit/format/terminal.js';
import type { Io } from '../kit/io.js';
import { DEFAULT_DRAIN_RATE, drainHeld } from '@delivery-history/store';
import { localRedriveQueue } from '../redrive/localQueue.js';
import type { RedriveQueue } from '../redrive/redrive.js';
import { sqsQueue } from '../redrive/sqsQueue.js';
import { type CommandResult, done, fail, storeFailure } from '../kit/failure.js';
import { usageFailure, withArgs } from '../kit/withArgs.js';
import { pauseArgs } from './pauseArgs.js';
import { resumeArgs } from './resumeArgs.js';

/** An operator's move (pause or resume): the next state and its MOVE. */
type BreakerMove = ReturnType<typeof breaker.pause>;
// `dh endpoints pause <host[:port]> --reason TEXT [--by WHO]` and
// `dh endpoints resume <host[:port]> [--rate N] [--reason TEXT] [--by WHO]` (issue 27).
// Audited: the breaker records who, why and when; resume drains the held messages oldest
// first at --rate a second (SQS with DELIVERY_QUEUE_URL, else the worker's local driver here).

type Action = 'pause' | 'resume';

type Args = ArgsOf<typeof resumeArgs>;

const MAX_TRIES = 5;

/** Read, decide (core), write conditioned on the version read; a concurrent change re-reads. */
const moveBreaker = async (
  store: Store,
  endpoint: string,
  decide: (before: BreakerState) => BreakerMove,
  now: Date,
): Promise<E.Either<string, BreakerMove>> => {
  for (let i = 0; i < MAX_TRIES; i++) {
    const read = await store.readBreaker(endpoint, true)();
    if (E.isLeft(read)) return E.left(read.left.message);
    const before = read.right ?? breaker.initial(endpoint, now.toISOString());
    const move = decide(before);
    const written = await store.writeBreaker(move.state, before.version, move.transition)();
    if (E.isRight(written)) return E.right(move);
    if (written.left._tag !== 'Conflict') return E.left(written.left.message);
  }
  return E.left(`the breaker of ${endpoint} kept changing; try again`);
};

const openQueue = (config: Config, ctx: Context, io: Io): { queue: RedriveQueue; close: () => void } => {
  if (config.queueUrl !== null) {
    const sqs = new SQSClient({
      ...(config.sqsEndpoint !== null ? { endpoint: config.sqsEndpoint } : {}),
      ...(config.region !== null ? { region: config.region } : {}),
    });
    return { queue: sqsQueue(sqs, config.queueUrl, io.now()), close: () => sqs.destroy() };
  }
  const queue = localRedriveQueue({ store: ctx.store, env: io.env, waitMs: 120_000 });
  return { queue, close: () => {} };
};

type Doc = {
  readonly endpoint: string;
  readonly from: string;
  readonly to: string;
  readonly reason: string;
  readonly by: string;
  readonly held: number;
  readonly drained: { readonly released: number; readonly failed: number } | null;
};

const lineOf = (d: Doc): string =>
  // the reason and operator are what people typed: shown through the one output rule
  `${display.line(d.endpoint)}: ${d.from} -> ${d.to} by ${display.line(d.by)} (${display.line(d.reason)}); ${d.held} held` +
  (d.drained === null ? '' : `; ${d.drained.released} released, ${d.drained.failed} not`) +
  '\n';

const run = async (action: Action, a: Args, config: Config, io: Io, who: string): Promise<CommandResult> =>
  withContext(config, io, async (ctx) => {
    const endpoint = normalizeEndpoint(a.host);
    const now = io.now();
    const at = now.toISOString();
    const reason = a.reason ?? 'resumed by an operator';
    const moved = await moveBreaker(
      ctx.store,
      endpoint,
      (b) => (action === 'pause' ? breaker.pause(b, reason, who, at) : breaker.resume(b, reason, who, at)),
      now,
    );
    if (E.isLeft(moved)) return fail({ _tag: 'Infrastructure', message: moved.left });
    const t = moved.right.transition;
    const drained =
      action === 'resume' ? await drain(ctx, config, io, endpoint, a.rate ?? DEFAULT_DRAIN_RATE, who, reason) : null;
    const held = await ctx.store.countHeld(endpoint)();
    if (E.isLeft(held)) return fail(storeFailure(held.left, `held messages of ${endpoint}`));
    const doc = { endpoint, from: t.from, to: t.to, reason: t.reason, by: t.by, at: t.at, held: held.right, drained };
    io.stdout.write(a.json === true ? toJson(doc) : lineOf(doc));
    return drained !== null && drained.failed > 0 ? fail({ _tag: 'CheckFailed' }) : done;
  });

const drain = async (
  ctx: Context,
  config: Config,
  io: Io,
  endpoint: string,
  rate: number,
  by: string,
  reason: string,
) => {
  const { queue, close } = openQueue(config, ctx, io);
  try {
    const r = await drainHeld({ store: ctx.store, queue, sleep }, { endpoint, ratePerSecond: rate, by, reason });
    const flushed = await queue.flush();
    if (E.isLeft(flushed)) io.stderr.write(`dh endpoints resume: ${flushed.left}\n`);
    return { released: r.released.length, failed: r.failed.length };
  } finally {
    close();
  }
};

const control = async (action: Action, a: Args, config: Config, io: Io): Promise<CommandResult> => {
  if (action === 'pause' && a.reason === undefined) return usageFailure('pause needs --reason (it is audited)');
  const who = operatorOf(a.by, io.env, (line) => io.stderr.write(noteLine(io, line)));
  if (E.isLeft(who)) return E.left(who.left);
  return run(action, a, config, io, who.right);
};

export const runEndpointControl = (action: Action, argv: ReadonlyArray<string>, io: Io): Promise<CommandResult> =>
  action === 'pause'
    ? withArgs(pauseArgs, argv, io, io.now(), configFlags, (a, config) =>
        control(action, { ...a, rate: undefined }, config, io),
      )
    : withArgs(resumeArgs, argv, io, io.now(), configFlags, (a, config) => control(action, a, config, io));
