// Lists that page with relative windows, --all, the resolved window in --json, host matching
// host:port; time input (relative, keywords, epoch, precise errors) and --tz/TZ output; and
// `dh tail` following attempts live (Ctrl-C: a summary, exit 130). Built `dh` binary.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { cpuOf, waitFor } from '@delivery-history/testkit/waitFor';
import { projectAll } from './support/projectAll.js';
import { collectDh, type DhResult, dhEnv, jsonOf, runDh, show, spawnDh } from './support/runDh.js';
import { seeder } from './support/seed.js';

type Ctx = { t: TestTable; env: NodeJS.ProcessEnv };
const L = suite<Ctx>('dh lists, time input, tail');

const FAILED = ['f-1', 'f-2', 'f-3', 'f-4', 'f-5', 'f-6', 'f-7'];

L.before(async (ctx) => {
  ctx.t = await useTestTable('cli-lists');
  ctx.env = dhEnv({ endpoint: ctx.t.endpoint, tableName: ctx.t.tableName });
  const s = seeder(ctx.t.doc, ctx.t.tableName, new Date(Date.now() - 30 * 60_000));
  for (const id of FAILED) await s.deliver({ messageId: id, url: 'https://hooks.example.com:8443/in' }, ['404']);
  await s.deliver({ messageId: 'h-1', maxAttempts: 5 }, ['503', '429', 'ok']);
  await projectAll(ctx.t);
});
L.after(async (ctx) => {
  await ctx.t.drop();
});

type Page = { items: Array<{ messageId: string }>; cursor: string | null; since: string; until: string };
const ok = (r: DhResult, code = 0) => assert.is(r.code, code, show(r));

/** The JSON lines a `dh tail --json` printed. */
const jsonLines = <A>(out: string): A[] =>
  out
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as A);

/** Waits until a running `dh tail` says it follows the stream (fails if it exits or stalls). */
const tailStarted = async (child: ChildProcess, err: () => string): Promise<void> => {
  await waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`tail exited: ${err()}`);
      return err().includes('following new attempts');
    },
    { what: 'tail started', progress: cpuOf(child.pid), detail: err },
  );
};

L('a relative window pages across three pages (the cursor carries the window); --json echoes it', async ({ env }) => {
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  let window: [string, string] | null = null;
  do {
    if (pages > 0) await sleep(1100); // "now" moves between pages
    const r = await runDh(
      ['failed', '--since', '-1h', '--limit', '3', '--json', ...(cursor === null ? [] : ['--cursor', cursor])],
      env,
    );
    ok(r);
    const p = jsonOf<Page>(r);
    window ??= [p.since, p.until];
    assert.equal([p.since, p.until], window, 'every page answers the first page’s window');
    seen.push(...p.items.map((i) => i.messageId));
    cursor = p.cursor;
    pages++;
  } while (cursor !== null && pages < 10);
  assert.is(pages, 3);
  assert.equal([...seen].sort(), FAILED);
  assert.ok(Date.parse(window?.[1] ?? '') - Date.parse(window?.[0] ?? '') === 3_600_000);
});

L('--all: every page in one answer; a bare host matches host:port', async ({ env }) => {
  const [all, table, host] = await Promise.all([
    runDh(['failed', '--since', '-1h', '--limit', '2', '--all', '--json'], env),
    runDh(['failed', '--since', '-1h', '--limit', '2', '--all'], env),
    runDh(['failed', '--since', '-1h', '--endpoint', 'hooks.example.com', '--json'], env),
  ]);
  ok(all);
  assert.equal(
    jsonOf<Page>(all)
      .items.map((i) => i.messageId)
      .sort(),
    FAILED,
  );
  assert.is(jsonOf<Page>(all).cursor, null);
  ok(table);
  assert.is(table.stdout.split('\n').filter((l) => l.startsWith('f-')).length, 7);
  assert.not.match(table.stdout, /More results/);
  ok(host);
  assert.is(jsonOf<Page>(host).items.length, 7);
});

L('time input: compound relative, yesterday, today, time of day, epoch seconds; precise errors', async ({ env }) => {
  const epoch = String(Math.floor(Date.now() / 1000) - 7200);
  const runs = await Promise.all([
    runDh(['failed', '--since', '-1d2h', '--json'], env),
    runDh(['failed', '--since', 'yesterday', '--json'], env),
    runDh(['failed', '--since', epoch, '--json'], env),
    runDh(['failed', '--since', '00:00', '--until', 'now', '--json'], env),
  ]);
  for (const r of runs) ok(r, jsonOf<Page>(r).items.length > 0 ? 0 : 1);
  assert.ok(jsonOf<Page>(runs[0] as DhResult).items.length === 7);
  assert.is(jsonOf<Page>(runs[2] as DhResult).since, new Date(Number(epoch) * 1000).toISOString());
  const [future, month, day] = await Promise.all([
    runDh(['failed', '--since', '+10m'], env),
    runDh(['failed', '--since', '2025-13-01'], env),
    runDh(['failed', '--since', '2025-02-30T10:00'], env),
  ]);
  ok(future, 2);
  assert.match(future.stderr, /--since \S+ is in the future/);
  ok(month, 2);
  assert.match(month.stderr, /month 13 in "2025-13-01" is out of range/);
  ok(day, 2);
  assert.match(day.stderr, /day 30 \(month 2 has 28\)/);
});

L('--since yesterday 10:00 (one argument or two) is yesterday at 10:00 in the zone', async ({ env }) => {
  const [quoted, twoArgs] = await Promise.all([
    runDh(['failed', '--since', 'yesterday 10:00', '--json'], env),
    runDh(['failed', '--since', 'yesterday', '10:00', '--json'], env),
  ]);
  const midnight = new Date();
  midnight.setUTCHours(0, 0, 0, 0);
  const expected = new Date(midnight.getTime() - 86_400_000 + 10 * 3_600_000).toISOString();
  for (const r of [quoted, twoArgs]) {
    ok(r, jsonOf<Page>(r).items.length > 0 ? 0 : 1);
    assert.is(jsonOf<Page>(r).since, expected, show(r));
  }
});

L('a window in the future: exit 2 with the same words on every command, nothing on stdout', async ({ env }) => {
  const runs = await Promise.all([
    runDh(['failed', '--since', '+10m'], env),
    runDh(['replay', 'redrive', '--since', '+10m', '--reason', 'r', '--dry-run'], env),
    runDh(['expunge', '--endpoint', 'hooks.example.com', '--since', '+10m', '--reason', 'r', '--dry-run'], env),
    runDh(['endpoint', 'hooks.example.com', '--since', '+10m'], env),
    runDh(['endpoints', '--since', '+10m'], env),
  ]);
  for (const r of runs) {
    ok(r, 2);
    assert.match(r.stderr, /^dh [a-z ]+: --since \S+ is in the future$/m, show(r));
    assert.is(r.stdout, '', show(r));
  }
  const backwards = await runDh(
    ['replay', 'redrive', '--since', '-1h', '--until', '-2h', '--reason', 'r', '--dry-run'],
    env,
  );
  ok(backwards, 2);
  assert.match(backwards.stderr, /--until must be after --since/);
});

L('times show in UTC by default, in --tz or $TZ when given', async ({ env }) => {
  const [utc, flag, tzEnv, bad] = await Promise.all([
    runDh(['history', 'f-1'], env),
    runDh(['history', 'f-1', '--tz', 'Asia/Kolkata'], env),
    runDh(['history', 'f-1'], { ...env, TZ: 'Asia/Kolkata' }),
    runDh(['history', 'f-1', '--tz', 'Mars/Olympus'], env),
  ]);
  ok(utc);
  assert.match(utc.stdout, /Created\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ/);
  for (const r of [flag, tzEnv]) {
    ok(r);
    assert.match(r.stdout, /Created\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+05:30/);
  }
  ok(bad, 2);
  assert.match(bad.stderr, /--tz: expected an IANA time zone/);
});

L('history: STARTED and LATE columns, --attempt N, JSON trail entries with kind and position', async ({ env }) => {
  const [table, attempt, missing, json] = await Promise.all([
    runDh(['history', 'h-1'], env),
    runDh(['history', 'h-1', '--attempt', '1'], env),
    runDh(['history', 'h-1', '--attempt', '9'], env),
    runDh(['history', 'h-1', '--json'], env),
  ]);
  ok(table);
  assert.match(table.stdout, /#\s+STARTED\s+LATE\s+COMPLETED\s+STATUS/);
  ok(attempt);
  assert.match(attempt.stdout, /Attempt\s+1 of 5/);
  assert.match(attempt.stdout, /Response: 503 Service Unavailable/);
  assert.match(attempt.stdout, /Response body snippet\nbusy/);
  assert.match(attempt.stdout, /authorization:\s+\[REDACTED\]/);
  ok(missing, 1);
  assert.match(missing.stderr, /has no attempt 9 \(it has 3\)/);
  ok(json);
  const trail = jsonOf<{ auditTrail: Array<{ kind: string; position: number }> }>(json).auditTrail;
  assert.equal(
    trail.map((e) => [e.kind, e.position]),
    [
      ['attempt', 1],
      ['attempt', 2],
      ['attempt', 3],
    ],
  );
});

L('dh tail: attempts appended while it runs show within a second, filtered; Ctrl-C: summary, exit 130', async (ctx) => {
  const child = spawnDh(['tail', '--json', '--message', 'tail-1', '--message', 'tail-2'], ctx.env);
  let out = '';
  let err = '';
  const arrivals: Array<{ at: number; line: string }> = [];
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString('utf8');
    for (const l of d.toString('utf8').split('\n')) if (l.trim() !== '') arrivals.push({ at: Date.now(), line: l });
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString('utf8');
  });
  const exited = new Promise<number | null>((ok_) => child.on('exit', (code) => ok_(code)));
  try {
    await tailStarted(child, () => err);
    const s = seeder(ctx.t.doc, ctx.t.tableName, new Date());
    await s.deliver({ messageId: 'other-1' }, ['ok']);
    await s.deliver({ messageId: 'tail-1' }, ['503', 'ok']);
    const appendedAt = Date.now();
    await s.deliver({ messageId: 'tail-2' }, ['404']);
    await waitFor(() => arrivals.length >= 3, { what: 'three attempts tailed', progress: cpuOf(child.pid) });
    const lines = arrivals.map(
      (a) => JSON.parse(a.line) as { messageId: string; attemptNumber: number; status: string; final: boolean },
    );
    // a retry and a final failure told apart
    assert.equal(
      lines.map((l) => [l.messageId, l.attemptNumber, l.status, l.final]),
      [
        ['tail-1', 1, 'FAILED', false],
        ['tail-1', 2, 'SUCCESS', true],
        ['tail-2', 1, 'FAILED', true],
      ],
      out,
    );
    const second = arrivals[1];
    assert.ok(
      second !== undefined && second.at - appendedAt < 1000,
      `shown ${(second?.at ?? 0) - appendedAt} ms after the append`,
    );
  } finally {
    child.kill('SIGINT');
  }
  assert.is(await exited, 130);
  assert.match(err, /dh tail: interrupted; 3 attempts shown in \d+s/);
});

L(
  'dh tail --endpoint HOST: the receiver filter (not the DynamoDB URL), a bare host matching every port',
  async (ctx) => {
    const {
      child,
      out: stdout,
      err: stderr,
    } = collectDh(['tail', '--json', '--endpoint', 'tailhost.example.com'], ctx.env);
    const exited = new Promise<number | null>((ok_) => child.on('exit', (code) => ok_(code)));
    try {
      await tailStarted(child, stderr);
      const s = seeder(ctx.t.doc, ctx.t.tableName, new Date());
      await s.deliver({ messageId: 'tail-other', url: 'https://elsewhere.example.com/in' }, ['ok']);
      await s.deliver({ messageId: 'tail-host', url: 'https://tailhost.example.com:8443/in' }, ['404']);
      await waitFor(() => child.exitCode !== null || stdout().includes('tail-host'), {
        what: 'tail shows tail-host',
        progress: cpuOf(child.pid),
      });
    } finally {
      child.kill('SIGINT');
    }
    assert.is(await exited, 130, stderr());
    const ids = jsonLines<{ endpoint: string }>(stdout()).map((l) => l.endpoint);
    assert.equal(ids, ['tailhost.example.com:8443'], stdout());
  },
);

L(
  "dh tail --since: the window's attempts first (newest last), then live ones; each attempt once at the seam",
  async (ctx) => {
    const url = 'https://backfill.example.com/in';
    await seeder(ctx.t.doc, ctx.t.tableName, new Date(Date.now() - 3 * 3_600_000)).deliver(
      { messageId: 'bf-old', url },
      ['404'],
    );
    await seeder(ctx.t.doc, ctx.t.tableName, new Date(Date.now() - 10 * 60_000)).deliver({ messageId: 'bf-1', url }, [
      '503',
      'ok',
    ]);
    await projectAll(ctx.t); // the hourly aggregates name the endpoint (tail without --endpoint reads them)
    // a writer that keeps appending while tail starts: some attempts land on both sides of the seam
    const live = seeder(ctx.t.doc, ctx.t.tableName, new Date());
    const written: string[] = [];
    let writing = true;
    const writer = (async () => {
      // until told to stop (the cap only guards a runaway loop)
      for (let k = 0; writing && k < 5000; k++) {
        await live.deliver({ messageId: `bf-live-${k}`, url }, ['ok']);
        written.push(`bf-live-${k}`);
      }
    })();
    const { child, out, err } = collectDh(['tail', '--since', '-1h', '--json'], ctx.env);
    const exited = new Promise<number | null>((ok_) => child.on('exit', (code) => ok_(code)));
    type Line = { messageId: string; attemptNumber: number; completedAt: string };
    // every line tail printed (the table holds other tests' attempts of the last hour too)
    const all = (): Line[] =>
      out()
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Line);
    const lines = (): Line[] => all().filter((l) => l.messageId.startsWith('bf-'));
    try {
      await tailStarted(child, err);
      const before = written.length;
      // a few appends after the stream is followed (waits on the writer's progress)
      while (written.length < before + 3 && child.exitCode === null) await sleep(20);
      writing = false;
      await writer;
      const until = Date.now() + 20_000;
      while (lines().length < written.length + 2 && Date.now() < until && child.exitCode === null) await sleep(50);
    } finally {
      writing = false;
      child.kill('SIGINT');
    }
    assert.is(await exited, 130, err());
    const got = lines();
    const keys = got.map((l) => `${l.messageId}#${l.attemptNumber}`);
    assert.equal(keys.slice(0, 2), ['bf-1#1', 'bf-1#2'], 'the oldest of the window first');
    assert.not.ok(keys.includes('bf-old#1'), 'nothing before --since');
    assert.equal([...new Set(keys)].sort(), [...keys].sort(), 'no attempt twice');
    assert.equal(keys.slice(2).sort(), written.map((id) => `${id}#1`).sort(), 'no attempt missed at the seam');
    const backfilled = Number(/dh tail: (\d+) attempts completed since /.exec(err())?.[1] ?? 'NaN');
    assert.ok(backfilled >= 2, err());
    // the backfill's count covers every endpoint's attempts, so it is cut from all lines
    const head = all()
      .slice(0, backfilled)
      .map((l) => l.completedAt);
    assert.equal(head, [...head].sort(), 'the backfill is oldest first');
  },
);

L('dh tail --since T --endpoint HOST: the attempts since T of messages created before T', async (ctx) => {
  const url = 'https://late.example.com/in';
  const now = Date.now();
  // created 40 min ago, retried 5 min ago on its own schedule (within the retry span): delivered now
  const retried = seeder(ctx.t.doc, ctx.t.tableName, new Date(now - 40 * 60_000));
  await retried.deliver({ messageId: 'late-1', url }, ['503']);
  retried.clock.set(new Date(now - 5 * 60_000));
  await retried.again('late-1', ['ok']);
  // created 3 h ago (past the span), failed again 4 min ago (as after a re-drive): FAILED now
  const old = seeder(ctx.t.doc, ctx.t.tableName, new Date(now - 3 * 3_600_000));
  await old.deliver({ messageId: 'late-old', url }, ['503']);
  old.clock.set(new Date(now - 4 * 60_000));
  await old.again('late-old', ['503']);
  // nothing since T
  await seeder(ctx.t.doc, ctx.t.tableName, new Date(now - 50 * 60_000)).deliver({ messageId: 'late-quiet', url }, [
    '404',
  ]);
  const { child, out, err } = collectDh(
    ['tail', '--since', '-10m', '--endpoint', 'late.example.com', '--json'],
    ctx.env,
  );
  const exited = new Promise<number | null>((ok_) => child.on('exit', (code) => ok_(code)));
  try {
    await tailStarted(child, err);
  } finally {
    child.kill('SIGINT');
  }
  assert.is(await exited, 130, err());
  const keys = jsonLines<{ messageId: string; attemptNumber: number }>(out()).map(
    (l) => `${l.messageId}#${l.attemptNumber}`,
  );
  assert.equal(keys.sort(), ['late-1#2', 'late-old#2'], err());
  assert.match(err(), /dh tail: 2 attempts completed since /);
});

L('dh tail --since in the future: exit 2, the same wording as the lists', async ({ env }) => {
  const r = await runDh(['tail', '--since', '+1h'], env);
  ok(r, 2);
  assert.match(r.stderr, /dh tail: --since \S+ is in the future/);
});

L('dh failed --cursor C alone: the short id in the hint pages the same query (window and filters)', async (ctx) => {
  const dir = mkdtempSync(join(tmpdir(), 'dh-cursors-'));
  const env = { ...ctx.env, DH_CURSOR_DIR: dir };
  try {
    // a failure the filter leaves out: paging must keep the filter
    await seeder(ctx.t.doc, ctx.t.tableName, new Date(Date.now() - 60_000)).deliver(
      { messageId: 'cursor-other', url: 'https://other.example.com/in' },
      ['404'],
    );
    const hint = (r: DhResult) =>
      /^More results: (dh failed --cursor (cur-[0-9a-f]{10})) \(or --all\)$/m.exec(r.stdout);
    const ids = (r: DhResult) => r.stdout.split('\n').flatMap((l) => (/^f-\d /.test(l) ? [l.split(' ')[0]] : []));
    let r = await runDh(
      ['failed', '--since', '-1h', '--exhausted', '--endpoint', 'hooks.example.com', '--limit', '3'],
      env,
    );
    ok(r);
    const seen = ids(r);
    const first = hint(r);
    assert.ok(first !== null && (first[1]?.length ?? 99) < 40, `a short, pasteable hint:\n${r.stdout}`);
    const conflict = await runDh(['failed', '--cursor', first?.[2] ?? '', '--endpoint', 'other.example.com'], env);
    ok(conflict, 2);
    assert.match(
      conflict.stderr,
      /--cursor continues a list with --exhausted --endpoint hooks\.example\.com; it cannot page --endpoint other\.example\.com/,
    );
    for (let next: RegExpExecArray | null = first; next !== null && seen.length < 20; next = hint(r)) {
      r = await runDh(['failed', '--cursor', next[2] ?? ''], env);
      ok(r);
      seen.push(...ids(r));
    }
    assert.equal([...seen].sort(), FAILED);
    const unknown = await runDh(['failed', '--cursor', 'cur-0000000000'], env);
    ok(unknown, 2);
    assert.match(unknown.stderr, /--cursor cur-0000000000 is not kept on this machine/);
    const none = await runDh(['failed'], env);
    ok(none, 2);
    assert.match(none.stderr, /--since: is required \(or --cursor C from a page\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

L.run();
