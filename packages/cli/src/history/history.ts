import type { AuditEntry } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import { configFlags } from '../kit/args/common.js';
import { type Context, withContext } from '../kit/context.js';
import { attemptJson, historyJson } from './historyJson.js';
import { renderAttempt, renderHistory } from './historyView.js';
import { toJson } from '../kit/format/json.js';
import { layoutOf } from '../kit/format/terminal.js';
import type { Io } from '../kit/io.js';
import { type CommandResult, done, fail, NotFound, storeFailure } from '../kit/failure.js';
import { withArgs } from '../kit/withArgs.js';
import { historyArgs } from './historyArgs.js';

// `dh history <messageId>`: STATE, every attempt, audit trail.

/** `--attempt N`: that attempt's request as sent (line, headers, body), response status, kept headers and snippet. */
const printAttempt = (
  io: Io,
  view: Parameters<typeof renderAttempt>[0],
  messageId: string,
  n: number,
  json: boolean,
  wide: boolean | undefined,
  body: boolean,
): CommandResult => {
  const one = view.attempts.find((x) => x.attemptNumber === n);
  if (one === undefined) {
    return fail(NotFound(`message "${messageId}" has no attempt ${n} (it has ${view.attempts.length})`));
  }
  // every attempt sends the stored body (its sha256 is on the attempt); null: over its budget or expunged
  const shown = body ? view.state.request.body : undefined;
  io.stdout.write(
    json ? toJson(attemptJson(one, shown)) : renderAttempt(view, one, io.now(), layoutOf(io, wide), shown),
  );
  return done;
};

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
    auditTrail: entriesOf(trail),
    trailError: E.isLeft(trail) ? String(trail.left) : null,
  });
};

export const runHistory = (args: ReadonlyArray<string>, io: Io): Promise<CommandResult> =>
  withArgs(historyArgs, args, io, io.now(), configFlags, (a, config) =>
    withContext(config, io, async (ctx) => {
      const read = await historyView(ctx, a.messageId);
      if (E.isLeft(read)) {
        return fail(storeFailure(read.left, `message "${a.messageId}" (table ${config.tableName})`));
      }
      const { trailError, ...view } = read.right;
      if (trailError !== null) io.stderr.write(`dh history: audit trail unreadable (${trailError}); run dh verify\n`);
      const json = a.json === true;
      if (a.attempt !== undefined)
        return printAttempt(io, view, a.messageId, a.attempt, json, a.wide, a['no-body'] !== true);
      io.stdout.write(json ? toJson(historyJson(view)) : renderHistory(view, io.now(), layoutOf(io, a.wide)));
      return done;
    }),
  );
