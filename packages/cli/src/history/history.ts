import type { AttemptItem, AuditEntry } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import { configFlags } from '../kit/args/common.js';
import type { ArgsOf } from '../kit/args/declaration.js';
import { type Context, withContext } from '../kit/context.js';
import { attemptJson, historyJson } from './historyJson.js';
import { type HistoryView, renderAttempt, renderHistory } from './historyView.js';
import { toJson } from '../kit/format/json.js';
import { viewLayout } from '../kit/format/terminal.js';
import type { Io } from '../kit/io.js';
import { type CliFailure, type CommandResult, done, fail, NotFound, storeFailure } from '../kit/failure.js';
import { withArgs } from '../kit/withArgs.js';
import { historyArgs } from './historyArgs.js';

// `dh history <messageId>`: STATE, every attempt, audit trail. The run reads and decides
// (historyRun: a view model, nothing printed); the renderer prints it (renderHistoryOutput).

type Args = ArgsOf<typeof historyArgs>;

/** What `dh history` answers; `trailError`: the audit trail was unreadable (said on stderr). */
export type HistoryOutput = { readonly view: HistoryView; readonly trailError: string | null } & (
  | { readonly _tag: 'History' }
  /** `--attempt N`: that attempt, and the body it sent (undefined with --no-body; null: over its budget or expunged). */
  | { readonly _tag: 'Attempt'; readonly attempt: AttemptItem; readonly body: string | null | undefined }
  | { readonly _tag: 'NoSuchAttempt'; readonly n: number }
);

/** The trail's entries, none when it is unreadable or not projected yet. */
const entriesOf = (
  trail: E.Either<unknown, { readonly entries: ReadonlyArray<AuditEntry> } | null>,
): ReadonlyArray<AuditEntry> => (E.isRight(trail) ? (trail.right?.entries ?? []) : []);

/** The history view of one message (the console's `/messages/<id>` reads it too); `trailError`: the trail was unreadable. */
export const historyView = async (ctx: Context, messageId: string) => {
  const history = await ctx.store.getHistory(messageId)();
  if (E.isLeft(history)) return history;
  const h = history.right;
  const trail = ctx.trailOf(messageId, h.audit);
  return E.right({
    state: h.state,
    attempts: h.attempts,
    redrives: h.redrives,
    resolutions: h.resolutions,
    expunges: h.expunges,
    requeues: h.requeues,
    holds: h.holds,
    auditTrail: entriesOf(trail),
    trailError: E.isLeft(trail) ? String(trail.left) : null,
  });
};

/** `dh history`'s answer, read and decided: the view model the terminal and JSON renderers print. */
export const historyRun = async (ctx: Context, a: Args): Promise<E.Either<CliFailure, HistoryOutput>> => {
  const read = await historyView(ctx, a.messageId);
  if (E.isLeft(read))
    return E.left(storeFailure(read.left, `message "${a.messageId}" (table ${ctx.config.tableName})`));
  const { trailError, ...view } = read.right;
  if (a.attempt === undefined) return E.right({ _tag: 'History', view, trailError });
  const n = a.attempt;
  const attempt = view.attempts.find((x) => x.attemptNumber === n);
  if (attempt === undefined) return E.right({ _tag: 'NoSuchAttempt', view, trailError, n });
  // every attempt sends the stored body (its sha256 is on the attempt); null: over its budget or expunged
  const body = a['no-body'] !== true ? view.state.request.body : undefined;
  return E.right({ _tag: 'Attempt', view, trailError, attempt, body });
};

/** Prints `dh history`'s answer: a table (or JSON) on stdout, an unreadable trail on stderr. */
export const renderHistoryOutput = (io: Io, out: HistoryOutput, a: Args): CommandResult => {
  if (out.trailError !== null)
    io.stderr.write(`dh history: audit trail unreadable (${out.trailError}); run dh verify\n`);
  const json = a.json === true;
  const { view } = out;
  switch (out._tag) {
    case 'NoSuchAttempt':
      return fail(NotFound(`message "${a.messageId}" has no attempt ${out.n} (it has ${view.attempts.length})`));
    case 'Attempt':
      io.stdout.write(
        json
          ? toJson(attemptJson(out.attempt, out.body))
          : renderAttempt(view, out.attempt, io.now(), viewLayout(io, a), out.body),
      );
      return done;
    case 'History':
      io.stdout.write(json ? toJson(historyJson(view)) : renderHistory(view, io.now(), viewLayout(io, a)));
      return done;
  }
};

export const runHistory = (args: ReadonlyArray<string>, io: Io): Promise<CommandResult> =>
  withArgs(historyArgs, args, io, io.now(), configFlags, (a, config) =>
    withContext(config, io, async (ctx) => {
      const out = await historyRun(ctx, a);
      return E.isLeft(out) ? E.left(out.left) : renderHistoryOutput(io, out.right, a);
    }),
  );
