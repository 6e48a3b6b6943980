import { serve } from '@hono/node-server';
import { isIP } from 'node:net';
import { configFlags } from '../kit/args/common.js';
import { consoleApp } from './consoleApp.js';
import { loadAssets } from './consoleAssets.js';
import { access } from './consoleSecurity.js';
import { liveAttempts } from './liveAttempts.js';
import { type Context, withContext } from '../kit/context.js';
import * as E from 'fp-ts/lib/Either.js';
import { operatorOf } from '../kit/config/operator.js';
import { redriveEnv } from '../redrive/redriveCommand.js';
import { redriveJobs } from './redriveJobs.js';
import { consoleExpunge } from './consoleExpunge.js';
import type { Io } from '../kit/io.js';
import { type CommandResult, fail, Infrastructure, Interrupted } from '../kit/failure.js';
import { untilSignal } from '../local/local.js';
import { withArgs } from '../kit/withArgs.js';
import { consoleArgs } from './consoleArgs.js';

// `dh console [--port N] [--host ADDR] [--read-only] [--no-payloads]`: the support console, a
// local web server over the same table and runs as the CLI, until Ctrl-C (exit 130).

/** Re-drive jobs and expunges, recorded as the operator the CLI would record (DH_OPERATOR, USER, LOGNAME). */
const actionsOf = (ctx: Context, io: Io) => {
  const env = redriveEnv(io.env);
  if (E.isLeft(env)) return env;
  const who = operatorOf(undefined, io.env, (l) => io.stderr.write(`dh console: ${l.replace(/^dh: /, '')}`));
  if (E.isLeft(who)) return who;
  return E.right({
    jobs: redriveJobs({
      ctx,
      env: io.env,
      operator: who.right,
      extraAttempts: env.right.DELIVERY_MAX_ATTEMPTS,
      allow: env.right.DELIVERY_ALLOW_TARGETS,
      now: io.now,
    }),
    expunge: consoleExpunge(ctx.store, who.right),
  });
};

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

const urlHost = (host: string): string => (isIP(host) === 6 ? `[${host}]` : host);

export const runConsole = (argv: ReadonlyArray<string>, io: Io): Promise<CommandResult> =>
  withArgs(consoleArgs, argv, io, io.now(), configFlags, (a, config) =>
    withContext(config, io, async (ctx) => {
      const host = a.host;
      if (!LOOPBACK.has(host))
        io.stderr.write(
          `dh console: warning: listening on ${host}, not loopback: anyone who can reach it and gets the URL's token sees delivery data\n`,
        );
      const readOnly = a['read-only'] === true;
      const gate = access(readOnly);
      const live = liveAttempts(ctx);
      const actions = readOnly ? E.right(null) : actionsOf(ctx, io);
      if (E.isLeft(actions)) return fail(actions.left);
      const app = consoleApp({
        live,
        jobs: actions.right?.jobs ?? null,
        expunge: actions.right?.expunge ?? null,
        ctx,
        access: gate,
        assets: loadAssets(),
        payloads: a['no-payloads'] !== true,
        now: io.now,
        zone: a.tz,
      });
      const signal = untilSignal();
      const server = serve({ fetch: app.fetch, port: a.port, hostname: host });
      const listening = await new Promise<{ port: number } | Error>((ok) => {
        server.once('listening', () => {
          const addr = server.address();
          ok({ port: typeof addr === 'object' && addr !== null ? addr.port : a.port });
        });
        server.once('error', (e) => ok(e));
      });
      if (listening instanceof Error) {
        signal.cancel();
        return fail(Infrastructure(`cannot listen on ${host}:${a.port} (${listening.message}); pick another --port`));
      }
      io.stdout.write(
        `dh console: open http://${urlHost(host)}:${listening.port}/?token=${gate.token} (the token works once; Ctrl-C to stop)\n`,
      );
      await signal.signalled;
      signal.cancel();
      live.stop();
      await new Promise<void>((done) => {
        server.close(() => done());
        // open keep-alive connections must not hold the stop
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      io.stderr.write('dh console: stopped\n');
      return fail(Interrupted);
    }),
  );
