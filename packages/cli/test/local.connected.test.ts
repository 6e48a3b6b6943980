// `dh local` as the whole local stack, through the built binary: DynamoDB Local with the
// table, the projector's poller (trails project while it runs), the worker's local driver
// behind a local SQS endpoint (a re-drive handed to it delivers), the printed exports
// (DELIVERY_ALLOW_TARGETS for loopback), the console line (its command works with just the
// exports), a busy port (exit 3), Ctrl-C (clean stop, no java left), and --path keeping the
// data across restarts.
import { cpuOf, waitFor } from '@delivery-history/testkit/waitFor';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Receivers, startReceivers } from '@delivery-history/devkit';
import { freePort } from '@delivery-history/devkit/testing';
import { makeClients } from '@delivery-history/store';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { collectDh, type DhResult, dhEnv, jsonOf, runDh, show } from './support/runDh.js';
import { seeder } from './support/seed.js';
import { get, signIn, startConsole } from './console/consoleRig.js';

type Running = { child: ChildProcess; out: () => string; err: () => string; exited: Promise<number | null> };
type Ctx = { dir: string; receivers: Receivers; port: number };
const L = suite<Ctx>('dh local: the full local stack');

const TABLE = 'local-stack-test';
const baseEnv = () => dhEnv({ endpoint: 'http://127.0.0.1:9', tableName: TABLE });

const startLocal = async (port: number, dir: string): Promise<Running> => {
  const env = { ...baseEnv() };
  delete env.AWS_ENDPOINT_URL_DYNAMODB;
  const { child, out, err } = collectDh(['local', '--port', String(port), '--path', dir], env);
  const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
  try {
    await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error('dh local exited');
        return out().includes('Press Ctrl-C');
      },
      { what: 'dh local started', progress: cpuOf(child.pid), everyMs: 100, detail: () => `${out()}\n${err()}` },
    );
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  return { child, out, err, exited };
};

/** The `export A=B C=D` lines dh local printed, as an environment. */
const exportsOf = (out: string): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const m = /^\s+export (.*)$/.exec(line);
    for (const pair of m?.[1]?.split(' ') ?? []) {
      const [k, v] = pair.split('=');
      if (k !== undefined && v !== undefined) env[k] = v;
    }
  }
  return env;
};

/** Probes until a value, failing once the local stack (and this process) stop making progress. */
const until = <A>(what: string, probe: () => Promise<A | null>, stack: ChildProcess): Promise<A> =>
  waitFor(probe, { what, everyMs: 200, progress: cpuOf(stack.pid) });

type History = { state: { status: string; attempts: number }; auditTrail: Array<{ kind?: string }> };

L.before(async (ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'dh-local-'));
  ctx.receivers = await startReceivers();
  ctx.port = await freePort();
});
L.after(async (ctx) => {
  await ctx.receivers.close();
  rmSync(ctx.dir, { recursive: true, force: true });
});

const ok = (r: DhResult, code = 0) => assert.is(r.code, code, show(r));

L(
  'trails project and a re-drive handed to its queue delivers; busy port exit 3; Ctrl-C stops; --path keeps data',
  async (ctx) => {
    const local = await startLocal(ctx.port, ctx.dir);
    try {
      const exports = exportsOf(local.out());
      assert.is(exports.AWS_ENDPOINT_URL_DYNAMODB, `http://127.0.0.1:${ctx.port}`);
      assert.is(exports.DELIVERY_TABLE_NAME, TABLE);
      assert.ok(exports.DELIVERY_ALLOW_TARGETS?.split(',').includes('127.0.0.1'), local.out());
      assert.type(exports.DELIVERY_QUEUE_URL, 'string');
      const env = { ...baseEnv(), ...exports };

      // a busy port is a clear error, exit 3
      const busy = await runDh(['local', '--port', String(ctx.port)], env);
      ok(busy, 3);
      assert.match(busy.stderr, new RegExp(`port ${ctx.port} is already in use`));

      // a failed delivery to a local receiver, written through the store (as a worker would)
      const clients = makeClients({ endpoint: exports.AWS_ENDPOINT_URL_DYNAMODB ?? '' });
      const s = seeder(clients.doc, TABLE, new Date());
      await s.deliver({ messageId: 'local-1', url: `${ctx.receivers.baseUrl}/ok`, maxAttempts: 1, headers: {} }, [
        '404',
      ]);
      clients.destroy();

      // the stack's projector brings the trail up to date: no "projector behind"
      await until(
        'trail projected',
        async () => {
          const h = jsonOf<History>(await runDh(['history', 'local-1', '--json'], env));
          return h.auditTrail.length === 1 ? h : null;
        },
        local.child,
      );

      // handed to the stack's queue, the re-drive is delivered by its worker (loopback allowed)
      const redrive = await runDh(['replay', 'redrive', '--message', 'local-1', '--reason', 'receiver fixed'], env);
      ok(redrive);
      const done = await until(
        're-driven delivery recorded and projected',
        async () => {
          const h = jsonOf<History>(await runDh(['history', 'local-1', '--json'], env));
          return h.state.status === 'SUCCESS' && h.auditTrail.length === 3 ? h : null;
        },
        local.child,
      );
      assert.is(done.state.attempts, 2);
      assert.ok(ctx.receivers.requests.length >= 1);

      // the console line: this table, and its command works in a shell with just the exports
      const line =
        /^The support console on table "([^"]+)" \(in a shell with the exports above\): (pnpm dh console)$/m.exec(
          local.out(),
        );
      assert.ok(line !== null, local.out());
      assert.is(line?.[1], TABLE);
      const shell = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...exports };
      const words = (line?.[2] ?? '').split(' ');
      assert.equal(words.slice(0, 3), ['pnpm', 'dh', 'console']);
      const running = await startConsole(words.slice(3), shell);
      try {
        const { cookie } = await signIn(running);
        const page = await get(running, '/messages/local-1', cookie);
        assert.is(page.status, 200, page.text.slice(0, 300));
        assert.match(page.text, /<dd class="status">SUCCESS<\/dd>/, "the stack's data, in the browser");
      } finally {
        await running.stop();
      }
    } finally {
      local.child.kill('SIGINT');
    }
    assert.is(await local.exited, 130, local.err());
    assert.match(local.out(), /Stopped: \d+ stream records projected, \d+ queue records delivered/);

    // --path: the data is still there after a restart
    const again = await startLocal(await freePort(), ctx.dir);
    try {
      const env = { ...baseEnv(), ...exportsOf(again.out()) };
      assert.match(again.out(), /already present/);
      const h = await runDh(['history', 'local-1', '--json'], env);
      ok(h);
      assert.is(jsonOf<History>(h).state.status, 'SUCCESS');
    } finally {
      again.child.kill('SIGINT');
    }
    assert.is(await again.exited, 130);
  },
);

L.run();
