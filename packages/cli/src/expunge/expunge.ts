import type { Store, StoreError } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import { configFlags } from '../kit/args/common.js';
import { timeWindowError } from '../kit/args/timeWindow.js';
import { operatorOf } from '../kit/config/operator.js';
import { noteLine } from '../kit/format/terminal.js';
import { type Context, unreachable, withContext } from '../kit/context.js';
import { endpointMessageIds } from '../kit/table/endpointMessageIds.js';
import { toJson } from '../kit/format/json.js';
import { type StreamColumn, streamHeader, streamRow } from '../kit/format/table.js';
import { viewLayout } from '../kit/format/terminal.js';
import { onInterrupt } from '../kit/interrupt.js';
import type { Io } from '../kit/io.js';
import {
  CheckFailed,
  type CliFailure,
  type CommandResult,
  done,
  fail,
  NotFound,
  storeFailure,
} from '../kit/failure.js';
import { usageFailure, withArgs } from '../kit/withArgs.js';
import { expungeArgs } from './expungeArgs.js';
import { type ExpungeOutcome, expungeOutcome } from './expungeOutcome.js';
import type { ArgsOf } from '../kit/args/declaration.js';

// `dh expunge (--message ID... | --endpoint HOST --since T [--until T]) --reason TEXT [--by WHO]
//   [--secrets-only] [--dry-run] [--json]`: the store's audited expunge, message by message.

const NAME = 'expunge';

type Args = ArgsOf<typeof expungeArgs>;

type Outcome = ExpungeOutcome;

/** Every message id of the selection: the list given, or the endpoint's messages in the window. */
const selectIds = async (
  a: Pick<Args, 'message' | 'endpoint' | 'since' | 'until'>,
  store: Store,
  now: Date,
): Promise<E.Either<StoreError, string[]>> =>
  a.message !== undefined
    ? E.right([...new Set(a.message)])
    : endpointMessageIds(store, { endpoint: a.endpoint ?? '', since: a.since ?? now, until: a.until ?? now });

// The report is a table streamed row by row (a long selection shows its progress), so its
// columns have fixed widths; on a terminal DETAIL is cut to what is left, then EVENT and ITEMS give way.
const COLUMNS: ReadonlyArray<StreamColumn> = [
  { head: 'MESSAGE', width: 28 },
  { head: 'OUTCOME', width: 13 },
  { head: 'EVENT', width: 20, drop: 1 },
  { head: 'ITEMS', width: 5, align: 'right', drop: 2 },
  { head: 'DETAIL', width: 12 },
];

const cellsOf = (o: Outcome): string[] => {
  if (!('result' in o)) return [o.messageId, o.outcome, '-', '-', o.error];
  const x = o.result;
  if (x.expungeNumber === null) return [o.messageId, o.outcome, '-', '0', 'nothing left to remove'];
  return [
    o.messageId,
    o.outcome,
    `EXPUNGE#${x.expungeNumber}${x.resumed ? ' (resumed)' : ''}`,
    String(x.items.length),
    x.items.join(', '),
  ];
};

const count = (outcomes: readonly Outcome[], what: Outcome['outcome']): number =>
  outcomes.filter((o) => o.outcome === what).length;

/** Every outcome counted, so the numbers add up to the messages selected. */
const summaryOf = (outcomes: readonly Outcome[], dryRun: boolean): string => {
  const done = dryRun ? 'would-expunge' : 'expunged';
  const kinds: ReadonlyArray<readonly [Outcome['outcome'], string]> = [
    [done, dryRun ? 'would be expunged' : 'expunged'],
    ['unchanged', 'unchanged'],
    ['refused', 'refused (not final)'],
    ['not-found', 'not found'],
    ['failed', 'failed'],
  ];
  return `${outcomes.length} message(s): ${kinds.map(([k, say]) => `${count(outcomes, k)} ${say}`).join(', ')}${dryRun ? ' (dry run: nothing written)' : ''}\n`;
};

/** Runs `f` the first time the returned function is called. */
const once = (f: () => void): (() => void) => {
  let done = false;
  return () => {
    if (!done) f();
    done = true;
  };
};

/** What `dh expunge` was asked (the console's expunge asks the same). */
export type ExpungeInput = Pick<
  Args,
  'message' | 'endpoint' | 'since' | 'until' | 'reason' | 'secrets-only' | 'dry-run'
> & {
  /** Who is recorded on the EXPUNGE event (operatorOf). */
  readonly by: string;
};

/** What an expunge run says as it goes: the selection's size, then each message's outcome. */
export type ExpungeEvent =
  | { readonly _tag: 'Selected'; readonly count: number }
  | { readonly _tag: 'Outcome'; readonly outcome: Outcome };

/** `dh expunge`'s answer: one outcome per message selected (the JSON document as printed). */
export type ExpungeReport = { readonly dryRun: boolean; readonly messages: ReadonlyArray<Outcome> };

/**
 * The selection expunged message by message through the store's audited expunge; each
 * outcome goes to `onEvent` as it is done (the terminal streams a row per message). A
 * failure of the first message that the target explains (unreachable, no table) is the answer.
 */
export const expungeRun = async (
  ctx: Context,
  input: ExpungeInput,
  onEvent: (e: ExpungeEvent) => void = () => {},
): Promise<E.Either<CliFailure, ExpungeReport>> => {
  const ids = await selectIds(input, ctx.store, ctx.now());
  if (E.isLeft(ids))
    return E.left(storeFailure(ids.left, `endpoint ${input.endpoint ?? ''} (table ${ctx.config.tableName})`));
  const dryRun = input['dry-run'] === true;
  const outcomes: Outcome[] = [];
  onEvent({ _tag: 'Selected', count: ids.right.length });
  for (const messageId of ids.right) {
    // --secrets-only re-applies the policy the worker runs with (DELIVERY_REDACT_*, the store's policy)
    const o = await expungeOutcome(ctx.store, {
      messageId,
      scope: input['secrets-only'] === true ? 'secrets' : 'content',
      requestedBy: input.by,
      reason: input.reason,
      dryRun,
    });
    // a failure before any row: the table itself may be what failed (one line, exit 3)
    if (o.outcome === 'failed' && outcomes.length === 0) {
      const gone = await unreachable(ctx, CheckFailed);
      if (gone !== null) return E.left(gone);
    }
    outcomes.push(o);
    onEvent({ _tag: 'Outcome', outcome: o });
  }
  return E.right({ dryRun, messages: outcomes });
};

/** The exit: 1 when any was refused or failed, not found when any was (or none was selected). */
const exitOf = (outcomes: readonly Outcome[]): CommandResult => {
  if (count(outcomes, 'failed') + count(outcomes, 'refused') > 0) return fail(CheckFailed);
  return outcomes.length === 0 || count(outcomes, 'not-found') > 0 ? fail(NotFound(null)) : done;
};

/**
 * The terminal face: a row per message as it is done (the banner and header come with the
 * first row, so an answer that is an error prints nothing), then the summary; or the JSON document.
 */
const expungeTerminal = async (ctx: Context, io: Io, a: Args, by: string, now: Date): Promise<CommandResult> => {
  const json = a.json === true;
  const dryRun = a['dry-run'] === true;
  const layout = viewLayout(io, a);
  const head = once(() => {
    if (dryRun) io.stdout.write('Dry run: nothing is written; each row says what would be expunged.\n');
    io.stdout.write(streamHeader(COLUMNS, layout));
  });
  const seen: Outcome[] = [];
  let forget = () => {};
  let r: E.Either<CliFailure, ExpungeReport>;
  try {
    // the selection until now: the instant the command checked its window against
    r = await expungeRun(ctx, { ...a, until: a.until ?? now, by }, (e) => {
      if (e._tag === 'Selected') {
        forget = onInterrupt(
          NAME,
          () =>
            `${seen.length} of ${e.count} messages done (${count(seen, dryRun ? 'would-expunge' : 'expunged')} ${dryRun ? 'would be expunged' : 'expunged'}); ` +
            'run the same command again to finish (a message stopped part way is resumed)',
        );
        return;
      }
      seen.push(e.outcome);
      if (json) return;
      head();
      io.stdout.write(streamRow(COLUMNS, cellsOf(e.outcome), layout));
    });
  } finally {
    forget();
  }
  if (E.isLeft(r)) return r;
  if (json) io.stdout.write(toJson(r.right));
  else {
    // nothing selected: the header still says what the (empty) report is
    head();
    io.stdout.write(summaryOf(r.right.messages, dryRun));
  }
  return exitOf(r.right.messages);
};

const validate = (a: Args, now: Date): string | null => {
  const byFilter = a.endpoint !== undefined || a.since !== undefined || a.until !== undefined;
  if ((a.message !== undefined) === byFilter)
    return 'give either --message ID (repeatable) or --endpoint HOST --since TIME';
  if (byFilter && (a.endpoint === undefined || a.since === undefined)) return '--endpoint and --since go together';
  return timeWindowError({ since: a.since ?? null, until: a.since === undefined ? null : (a.until ?? now) }, now);
};

export const runExpunge = (argv: ReadonlyArray<string>, io: Io): Promise<CommandResult> => {
  const now = io.now();
  return withArgs(expungeArgs, argv, io, now, configFlags, async (a, config) => {
    const problem = validate(a, now);
    if (problem !== null) return usageFailure(problem);
    const operator = operatorOf(a.by, io.env, (line) => io.stderr.write(noteLine(io, line)));
    if (E.isLeft(operator)) return fail(operator.left);
    const by = operator.right;
    return withContext(config, io, (ctx) => expungeTerminal(ctx, io, a, by, now));
  });
};
