import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { MessageIdArg, optional, UrlArg } from '../args/codecs.js';
import { CommonArgs, configFlags } from '../args/common.js';
import type { CommandSpec } from '../args/parse.js';
import { withContext } from '../context.js';
import { historyJson } from '../format/historyJson.js';
import { renderHistory } from '../format/historyView.js';
import { toJson } from '../format/json.js';
import type { Io } from '../io.js';
import { type CommandResult, done, fail, storeFailure } from './failure.js';
import { withArgs } from './withArgs.js';

// `dh history <messageId>`: STATE, every attempt, audit trail.

const spec: CommandSpec = { options: { endpoint: { type: 'string' } }, positionals: ['messageId'] };
const Args = t.intersection([CommonArgs, t.type({ messageId: MessageIdArg, endpoint: optional(UrlArg) })]);

export const runHistory = (args: ReadonlyArray<string>, io: Io): Promise<CommandResult> =>
  withArgs('history', args, io, spec, Args, configFlags, (a, config) =>
    withContext(config, io, async (ctx) => {
      const history = await ctx.store.getHistory(a.messageId)();
      if (E.isLeft(history)) {
        return fail(storeFailure(history.left, `message "${a.messageId}" (table ${config.tableName})`));
      }
      const h = history.right;
      const trail = ctx.trailOf(a.messageId, h.audit);
      if (E.isLeft(trail)) io.stderr.write(`dh history: audit trail unreadable (${trail.left}); run dh verify\n`);
      const view = {
        state: h.state,
        attempts: h.attempts,
        redrives: h.redrives,
        expunges: h.expunges,
        auditTrail: E.isRight(trail) ? (trail.right?.entries ?? []) : [],
      };
      io.stdout.write(a.json === true ? toJson(historyJson(view)) : renderHistory(view, io.now()));
      return done;
    }),
  );
