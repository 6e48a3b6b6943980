// Issue 15, "interrupted local delivery": Ctrl-C (SIGINT) of a local `dh replay redrive` while
// the receiver hangs. The command stops claiming, ends the requests still in flight after the
// grace period and records them, prints what is left and the command that finishes it, and
// exits 130. No message stays PROCESSING; requests received == attempts recorded; the printed
// command (`--stalled`) finishes every message once the receiver answers again.
import { must } from '@delivery-history/testkit/must';
import { setTimeout as sleep } from 'node:timers/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createStore, type Store } from '@delivery-history/store';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dhEnv, runDh, show } from '../../packages/cli/test/support/runDh.js';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { cpuOf, waitFor } from '@delivery-history/testkit/waitFor';
import { printSummary } from './support/reliabilitySummary.js';
import { spawn } from 'node:child_process';

type Mode = 'fail' | 'hang' | 'ok';
type Rx = { server: Server; url: string; mode: Mode; requests: string[]; held: Array<() => void> };
type Ctx = { t: TestTable; store: Store; rx: Rx };
const Interrupt = suite<Ctx>('reliability: Ctrl-C of a local redrive against a hanging receiver');

const MESSAGES = 40;
const GRACE_S = 2;

const startRx = async (): Promise<Rx> => {
  const rx: Rx = { server: createServer(), url: '', mode: 'fail', requests: [], held: [] };
  rx.server.on('request', (req, res) => {
    req.resume();
    req.on('end', () => {
      rx.requests.push(req.headers['webhook-id']?.toString() ?? req.url ?? '');
      if (rx.mode === 'hang') {
        rx.held.push(() => res.destroy());
        return;
      }
      res.writeHead(rx.mode === 'ok' ? 200 : 500).end(rx.mode);
    });
  });
  await new Promise<void>((ok) => rx.server.listen(0, '127.0.0.1', ok));
  rx.url = `http://127.0.0.1:${(rx.server.address() as AddressInfo).port}`;
  return rx;
};

Interrupt.before(async (ctx) => {
  ctx.t = await useTestTable('rel-interrupt');
  ctx.store = createStore({ doc: ctx.t.doc, tableName: ctx.t.tableName, random: () => 0.5 });
  ctx.rx = await startRx();
});
Interrupt.after(async (ctx) => {
  for (const h of ctx.rx.held) h();
  ctx.rx.server.closeAllConnections();
  await new Promise((ok) => ctx.rx.server.close(ok));
  await ctx.t.drop();
});

/** A final FAILED message (one 500, maxAttempts 1): what a redrive reopens. */
const seedFailed = async (store: Store, rx: Rx, id: string): Promise<void> => {
  await must(
    store.createMessage({
      messageId: id,
      url: `${rx.url}/hook/${id}`,
      method: 'POST',
      headers: {},
      body: '{}',
      correlationId: id,
      maxAttempts: 1,
    }),
  );
  const claimed = await must(store.claim(id));
  rx.requests.push(id);
  const at = new Date();
  await must(
    store.appendAttempt({
      claimed,
      startedAt: at,
      completedAt: at,
      responseHeaders: {},
      observation: {
        kind: 'response',
        statusCode: 500,
        statusText: 'x',
        headers: {},
        responseTimeMs: 1,
        bodySnippet: '',
        bodyBytes: 0,
      },
    }),
  );
};

const ARGS_ENV = (ctx: Ctx) =>
  dhEnv({
    endpoint: ctx.t.endpoint,
    tableName: ctx.t.tableName,
    extra: {
      DELIVERY_ALLOW_TARGETS: '127.0.0.1',
      DELIVERY_TIMEOUT_MS: '60000',
      DELIVERY_BACKOFF_BASE_MS: '100',
      DELIVERY_BACKOFF_MAX_MS: '200',
      DH_OPERATOR: 'reliability',
    },
  });

const root = new URL('../../', import.meta.url).pathname;

Interrupt('SIGINT mid-delivery: bounded stop, everything recorded, the printed command finishes it', async (ctx) => {
  const { store, rx } = ctx;
  const since = new Date(Date.now() - 1_000).toISOString();
  const ids = Array.from({ length: MESSAGES }, (_, i) => `int-${process.pid}-${i}`);
  for (const id of ids) await seedFailed(store, rx, id);
  rx.mode = 'hang';
  const before = rx.requests.length;

  // the real `dh`, interrupted once requests hang at the receiver
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--conditions=source',
      `${root}packages/cli/src/bin.ts`,
      'replay',
      'redrive',
      '--since',
      since,
      '--exhausted',
      '--reason',
      'interrupt test',
      '--grace-seconds',
      String(GRACE_S),
      '--progress',
      'none',
    ],
    { cwd: root, env: ARGS_ENV(ctx), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((ok) => child.on('close', (code) => ok(code)));
  await waitFor(() => rx.requests.length - before >= 4, {
    what: 'requests hang at the receiver',
    progress: cpuOf(child.pid),
    detail: () => `${stdout} ${stderr}`,
  });
  const signalledAt = Date.now();
  child.kill('SIGINT');
  const code = await Promise.race([exited, new Promise<'timeout'>((ok) => setTimeout(() => ok('timeout'), 30_000))]);
  if (code === 'timeout') child.kill('SIGKILL');
  const stopMs = Date.now() - signalledAt;
  assert.is(code, 130, `exit 130\n${stdout}\n${stderr}`);
  assert.ok(stopMs < GRACE_S * 1000 + 10_000, `stopped in ${stopMs} ms`);
  assert.match(stdout, /Interrupted: stopped claiming/);
  assert.match(stdout, /requests still in flight after 2 s ended and recorded/);
  const finish = /Finish with: (dh replay redrive .*)$/m.exec(stdout)?.[1];
  assert.ok(finish !== undefined, stdout);

  // the books right after the interrupt
  const histories = await Promise.all(ids.map((id) => must(store.getHistory(id))));
  const processing = histories.filter((h) => h.state.status === 'PROCESSING').length;
  const attemptsAfterInterrupt = histories.reduce((n, h) => n + h.attempts.length, 0);
  const requestsAtInterrupt = rx.requests.length;
  assert.is(processing, 0, 'no message left PROCESSING');
  assert.is(requestsAtInterrupt, attemptsAfterInterrupt, 'requests received == attempts recorded');

  // the printed command finishes the rest once the receiver answers
  rx.mode = 'ok';
  for (const h of rx.held.splice(0)) h();
  await sleep(500); // the interrupted attempts' retries fall due
  const reason = /--reason (".*")$/.exec(finish ?? '')?.[1] ?? '"finish"';
  const head = (finish ?? '')
    .replace(/ --reason ".*"$/, '')
    .split(' ')
    .slice(1);
  const done = await runDh([...head, '--reason', JSON.parse(reason) as string, '--progress', 'none'], ARGS_ENV(ctx));
  assert.is(done.code, 0, show(done));
  const final = await Promise.all(ids.map((id) => must(store.getHistory(id))));
  const statuses = final.map((h) => h.state.status);
  const attempts = final.reduce((n, h) => n + h.attempts.length, 0);
  printSummary({
    file: 'interruptRedrive',
    operationsSent: MESSAGES,
    faultsInjected: 1,
    inputsTried: 0,
    lost: statuses.filter((s) => s !== 'SUCCESS').length,
    doubleCounted: Math.max(0, attempts - rx.requests.length),
    accounting: {
      requestsReceived: rx.requests.length,
      attemptsRecorded: attempts,
      lostAttempts: final.reduce(
        (n, h) => n + h.attempts.filter((a) => a.deliveryResult.category === 'lost').length,
        0,
      ),
      recoveredThroughSqs: 0,
    },
    details: {
      'stopped after SIGINT ms': stopMs,
      'PROCESSING after interrupt': processing,
      'total ms': Date.now() - started,
    },
  });
  assert.equal([...new Set(statuses)], ['SUCCESS'], show(done));
  assert.is(attempts, rx.requests.length, 'requests received == attempts recorded, end to end');
});

Interrupt.run();
