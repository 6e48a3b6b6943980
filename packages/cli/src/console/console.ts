import { serve } from '@hono/node-server';
import * as t from 'io-ts';
import { isIP } from 'node:net';
import { IntArg, NonEmptyArg, optional } from '../kit/args/codecs.js';
import { CommonArgs, configFlags } from '../kit/args/common.js';
import type { CommandSpec } from '../kit/args/parse.js';
import { consoleApp } from './consoleApp.js';
import { loadAssets } from './consoleAssets.js';
import { access } from './consoleSecurity.js';
import { withContext } from '../kit/context.js';
import type { Io } from '../kit/io.js';
import { type CommandResult, fail, Infrastructure, Interrupted } from '../kit/failure.js';
import { untilSignal } from '../local/local.js';
import { withArgs } from '../kit/withArgs.js';

// `dh console [--port N] [--host ADDR] [--read-only] [--no-payloads]`: the support console, a
// local web server over the same table and runs as the CLI, until Ctrl-C (exit 130).

export const spec: CommandSpec = {
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'read-only': { type: 'boolean' },
    'no-payloads': { type: 'boolean' },
  },
  positionals: [],
};

const Args = t.intersection([
  CommonArgs,
  t.type({
    // 0: any free port
    port: optional(IntArg(0, 65535)),
    host: optional(NonEmptyArg),
    // this slice has no action at all: the flag is accepted so scripts can ask for it already
    'read-only': optional(t.boolean),
    'no-payloads': optional(t.boolean),
  }),
]);

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

const urlHost = (host: string): string => (isIP(host) === 6 ? `[${host}]` : host);

export const runConsole = (argv: ReadonlyArray<string>, io: Io): Promise<CommandResult> =>
  withArgs('console', argv, io, spec, Args, configFlags, (a, config) =>
    withContext(config, io, async (ctx) => {
      const host = a.host ?? '127.0.0.1';
      if (!LOOPBACK.has(host))
        io.stderr.write(
          `dh console: warning: listening on ${host}, not loopback: anyone who can reach it and gets the URL's token sees delivery data\n`,
        );
      const gate = access();
      const app = consoleApp({
        ctx,
        access: gate,
        assets: loadAssets(),
        payloads: a['no-payloads'] !== true,
        now: io.now,
      });
      const signal = untilSignal();
      const server = serve({ fetch: app.fetch, port: a.port ?? 0, hostname: host });
      const listening = await new Promise<{ port: number } | Error>((ok) => {
        server.once('listening', () => {
          const addr = server.address();
          ok({ port: typeof addr === 'object' && addr !== null ? addr.port : (a.port ?? 0) });
        });
        server.once('error', (e) => ok(e));
      });
      if (listening instanceof Error) {
        signal.cancel();
        return fail(
          Infrastructure(`cannot listen on ${host}:${a.port ?? 0} (${listening.message}); pick another --port`),
        );
      }
      io.stdout.write(
        `dh console: open http://${urlHost(host)}:${listening.port}/?token=${gate.token} (the token works once; Ctrl-C to stop)\n`,
      );
      await signal.signalled;
      signal.cancel();
      await new Promise<void>((done) => {
        server.close(() => done());
        // open keep-alive connections must not hold the stop
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      io.stderr.write('dh console: stopped\n');
      return fail(Interrupted);
    }),
  );
