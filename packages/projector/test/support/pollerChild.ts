// The local poller (pollerMain.ts) as its own process, for the tests that SIGKILL it mid-batch
// and start it again (not a test file itself): its JSON log lines, a wait for one, its exit.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { treeCpuMs } from '@delivery-history/devkit/testing';
import { auditKey } from '@delivery-history/store/testing';
import type { AttemptItem } from '@delivery-history/core';
import { tableKeys } from '@delivery-history/store';
import type { TestTable } from '@delivery-history/testkit/testTable';
import { cpuOf, waitFor } from '@delivery-history/testkit/waitFor';
import { writeItems } from '@delivery-history/testkit/writeItems';

const root = new URL('../../../../', import.meta.url).pathname;

export type Line = Record<string, unknown>;

export type PollerChild = {
  readonly child: ChildProcess;
  readonly lines: Line[];
  /** The exit code or signal. */
  readonly exited: Promise<string>;
  readonly waitFor: (test: (l: Line) => boolean, ms: number, what: string) => Promise<Line>;
};

/** Starts pollerMain on `t` (small batches, fast idle back-off, one message at a time) plus `env`; `children` gets it. */
export const startPollerChild = (
  t: TestTable,
  children: ChildProcess[],
  env: Readonly<Record<string, string>> = {},
): PollerChild => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=source', 'packages/devkit/src/poller/pollerMain.ts'],
    {
      cwd: root,
      env: {
        ...process.env,
        DELIVERY_TABLE_NAME: t.tableName,
        AWS_ENDPOINT_URL_DYNAMODB: t.endpoint,
        AWS_REGION: 'local',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        DH_PROJECTOR_BATCH_LIMIT: '30',
        DH_PROJECTOR_IDLE_BACKOFF_MS: '50',
        DH_PROJECTOR_MAX_IDLE_BACKOFF_MS: '300',
        DELIVERY_PROJECTOR_CONCURRENCY: '1',
        DELIVERY_PROJECTOR_DRIFT_CHECK_MAX_ATTEMPTS: '0',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  const lines: Line[] = [];
  const waiters: { test: (l: Line) => boolean; ok: (l: Line) => void }[] = [];
  createInterface({ input: child.stdout }).on('line', (raw) => {
    let line: Line;
    try {
      line = JSON.parse(raw) as Line;
    } catch {
      return;
    }
    lines.push(line);
    for (const w of [...waiters]) {
      if (w.test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.ok(line);
      }
    }
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString('utf8');
  });
  const exited = new Promise<string>((ok) => child.on('exit', (code, signal) => ok(signal ?? String(code))));
  // `ms` is a budget of the poller's own CPU time, not of wall time: on a busy machine the poller
  // gets less CPU and the wait stretches with it; a poller that is truly stuck either exits, or
  // idles (a little CPU per empty poll) until the wall-clock cap of five times the budget.
  const waitFor = (test: (l: Line) => boolean, ms: number, what: string): Promise<Line> =>
    new Promise((ok, fail) => {
      const found = lines.find(test);
      if (found !== undefined) return ok(found);
      const started = Date.now();
      const cpuAtStart = child.pid === undefined ? undefined : treeCpuMs(child.pid);
      const give = (why: string) => {
        clearInterval(timer);
        fail(new Error(`${what}: not seen (${why}); stderr: ${stderr.slice(-500)}`));
      };
      const timer = setInterval(() => {
        if (child.exitCode !== null || child.signalCode !== null) return give('the poller exited');
        const wall = Date.now() - started;
        const cpu = child.pid === undefined ? undefined : treeCpuMs(child.pid);
        const used = cpu === undefined || cpuAtStart === undefined ? wall : cpu - cpuAtStart;
        if (used > ms) return give(`the poller used ${used} ms of CPU, budget ${ms} ms`);
        if (wall > 5 * ms) return give(`${wall} ms of wall time, cap ${5 * ms} ms`);
      }, 250);
      waiters.push({
        test,
        ok: (l) => {
          clearInterval(timer);
          ok(l);
        },
      });
    });
  return { child, lines, exited, waitFor };
};

export const isBatch = (l: Line) => l.message === 'batch';

/** Sum of the heads' high-water marks: how many entries are in the trails right now. */
export const entriesWritten = async (t: TestTable, ids: readonly string[]): Promise<number> => {
  const r = await t.doc.send(
    new BatchGetCommand({
      RequestItems: { [t.tableName]: { Keys: ids.map((id) => auditKey(id, 0)), ProjectionExpression: 'through' } },
    }),
  );
  return (r.Responses?.[t.tableName] ?? []).reduce((n, i) => n + Number(i.through ?? 0), 0);
};

/** Writes the attempts in this order through one lane, so the stream sees its batches in this order. */
export const writeInOrder = (t: TestTable, attempts: readonly AttemptItem[]): Promise<void> =>
  writeItems(
    t.doc,
    t.tableName,
    attempts.map((a) => ({ pk: tableKeys.messagePk(a.messageId), sk: tableKeys.attemptSk(a.attemptNumber), ...a })),
    1,
  );

/**
 * SIGKILLs the child once three batches (of 30) are checkpointed and the table shows the fourth
 * being written (entries past 90 belong to a batch not yet checkpointed); resolves to how it ended.
 */
export const killInFourthBatch = async (t: TestTable, child: PollerChild, ids: readonly string[]) => {
  await child.waitFor((l) => isBatch(l) && child.lines.filter(isBatch).length >= 3, 60_000, 'third batch');
  await waitFor(async () => (await entriesWritten(t, ids)) > 90, {
    what: 'the fourth batch being written',
    progress: cpuOf(child.child.pid),
    everyMs: 2,
  });
  child.child.kill('SIGKILL');
  return child.exited;
};
