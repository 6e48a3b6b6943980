import type { Store, StoreError } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import { configFlags } from '../kit/args/common.js';
import { timeWindowError } from '../kit/args/timeWindow.js';
import { operatorOf } from '../kit/config/operator.js';
import { noteLine } from '../kit/format/terminal.js';
import { type Context, unreachable, withContext } from '../kit/context.js';
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
const selectIds = async (a: Args, store: Store, now: Date): Promise<E.Either<StoreError, string[]>> => {
  if (a.message !== undefined) return E.right([...new Set(a.message)]);
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.queryByEndpoint({
      endpoint: a.endpoint ?? '',
      since: a.since ?? now,
      until: a.until ?? now,
      limit: 100,
      ...(cursor !== null ? { cursor } : {}),
    })();
    if (E.isLeft(page)) return page;
    ids.push(...page.right.items.map((s) => s.messageId));
    cursor = page.right.cursor;
  } while (cursor !== null);
  return E.right(ids);
};

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

const expungeAll = async (
  ctx: Context,
  ids: readonly string[],
  a: Args,
  by: string,
  io: Io,
): Promise<E.Either<CliFailure, Outcome[]>> => {
  const store = ctx.store;
  const outcomes: Outcome[] = [];
  const forget = onInterrupt(
    NAME,
    () =>
      `${outcomes.length} of ${ids.length} messages done (${count(outcomes, a['dry-run'] === true ? 'would-expunge' : 'expunged')} ${a['dry-run'] === true ? 'would be expunged' : 'expunged'}); ` +
      'run the same command again to finish (a message stopped part way is resumed)',
  );
  const layout = viewLayout(io, a);
  // the banner and header come with the first row: an answer that is an error prints nothing
  const head = once(() => {
    if (a['dry-run'] === true) io.stdout.write('Dry run: nothing is written; each row says what would be expunged.\n');
    io.stdout.write(streamHeader(COLUMNS, layout));
  });
  for (const messageId of ids) {
    const o = await expungeOutcome(store, {
      messageId,
      scope: a['secrets-only'] === true ? 'secrets' : 'content',
      requestedBy: by,
      reason: a.reason,
      dryRun: a['dry-run'] === true,
    });
    // a failure before any row: the table itself may be what failed (one line, exit 3)
    if (o.outcome === 'failed' && outcomes.length === 0) {
      const gone = await unreachable(ctx, CheckFailed);
      if (gone !== null) {
        forget();
        return E.left(gone);
      }
    }
    outcomes.push(o);
    if (a.json !== true) head();
    // one line per message as it is done (a long selection shows progress)
    if (a.json !== true) io.stdout.write(streamRow(COLUMNS, cellsOf(o), layout));
  }
  forget();
  // nothing selected: the header still says what the (empty) report is
  if (a.json !== true) head();
  return E.right(outcomes);
};

/** The summary (or the JSON document) and the exit: 1 when any was refused or failed, not found when any was. */
const report = (outcomes: readonly Outcome[], json: boolean, dryRun: boolean, io: Io): CommandResult => {
  if (json) io.stdout.write(toJson({ dryRun, messages: outcomes }));
  else io.stdout.write(summaryOf(outcomes, dryRun));
  if (count(outcomes, 'failed') + count(outcomes, 'refused') > 0) return fail(CheckFailed);
  return outcomes.length === 0 || count(outcomes, 'not-found') > 0 ? fail(NotFound(null)) : done;
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
    return withContext(config, io, async (ctx) => {
      const ids = await selectIds(a, ctx.store, now);
      if (E.isLeft(ids))
        return fail(storeFailure(ids.left, `endpoint ${a.endpoint ?? ''} (table ${config.tableName})`));
      // --secrets-only re-applies the policy the worker runs with (DELIVERY_REDACT_*, read by the config)
      const outcomes = await expungeAll(ctx, ids.right, a, by, io);
      if (E.isLeft(outcomes)) return fail(outcomes.left);
      return report(outcomes.right, a.json === true, a['dry-run'] === true, io);
    });
  });
};
