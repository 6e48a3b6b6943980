import { rebuildAuditTrail } from '@delivery-history/core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { historyJson } from '../src/history/historyJson.js';
import { renderHistory } from '../src/history/historyView.js';
import { afterPhase, createProgress, progressLine, silentProgress, startPhase } from '../src/kit/format/progress.js';
import { renderFields, renderTable, renderTsv, streamRow } from '../src/kit/format/table.js';
import { layoutOf } from '../src/kit/format/terminal.js';
import { absoluteTime, formatDuration, formatTime, relativeTime, resultTime } from '../src/kit/format/time.js';
import { memoryIo } from '../src/kit/io.js';
import { attempt, iso, pausedHold, seedState } from './support/cliItems.js';
import { fold, type ResolutionItem, seedOf } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';

const Time = suite('time formatting');
const now = new Date('2025-01-01T01:00:00.000Z');

Time('durations, relative and absolute times', () => {
  assert.is(formatDuration(850), '850ms');
  assert.is(formatDuration(42_000), '42s');
  assert.is(formatDuration(3_725_000), '1h 2m');
  assert.is(formatDuration(90_061_000), '1d 1h');
  assert.is(relativeTime('2025-01-01T00:57:00.000Z', now), '3m ago');
  assert.is(relativeTime('2025-01-01T01:00:20.000Z', now), 'in 20s');
  assert.is(relativeTime('2025-01-01T01:00:00.300Z', now), 'just now');
  assert.is(absoluteTime('2025-01-01T00:57:03.123Z', 'UTC'), '2025-01-01 00:57:03Z');
  assert.is(formatTime('2025-01-01T00:57:00.000Z', now, 'UTC'), '2025-01-01 00:57:00Z (3m ago)');
  assert.is(formatTime(null, now, 'UTC'), '-');
});

Time('a lost attempt has no response time: "-", not "0 ms"', () => {
  assert.is(resultTime({ category: 'lost', responseTime: 0 }), '-');
  assert.is(resultTime({ category: 'server_error', responseTime: 0 }), '0 ms');
  assert.is(resultTime({ category: 'success', responseTime: 1234 }), '1.23 s');
});

const Table = suite('tables');

Table('aligned columns, right-aligned numbers, no trailing spaces, - for null', () => {
  const out = renderTable(
    ['NAME', 'N', 'NOTE'],
    [
      ['a', 1, null],
      ['bbbb', 1234, 'x'],
    ],
    ['left', 'right'],
  );
  assert.is(out, 'NAME     N  NOTE\na        1  -\nbbbb  1234  x\n');
  assert.is(
    renderFields([
      ['Status', 'SUCCESS'],
      ['Attempts', 3],
    ]),
    'Status    SUCCESS\nAttempts  3\n',
  );
});

Table('on a terminal: fits the width, cuts free text first, then short forms, then hides columns; ids never', () => {
  const id = 'demo-20261201-170548-0017-with-a-long-id';
  const cols = [
    { head: 'MESSAGE' },
    { head: 'STATUS', color: (s: string) => (s === 'FAILED' ? ('red' as const) : null) },
    { head: 'WHEN' },
    { head: 'EXTRA', drop: 1 },
    { head: 'ERROR', shrink: 8 },
  ];
  const rows = [
    [id, 'FAILED', { text: '2026-12-01 17:05:50Z (8s ago)', narrow: '8s ago' }, 'x'.repeat(30), 'e'.repeat(90)],
  ];
  const full = renderTable(cols, rows);
  assert.ok(full.includes('e'.repeat(90)) && full.includes('(8s ago)') && !full.includes('\x1b['), 'piped: whole');
  for (const width of [80, 120, 160]) {
    const out = renderTable(cols, rows, [], { width, color: false });
    const lines = out.trimEnd().split('\n');
    for (const l of lines) assert.ok(l.length <= width, `${width}: ${l}`);
    assert.ok(out.includes(id), 'the id is whole');
    assert.match(out, /e…/);
    assert.match(out, /--wide/);
  }
  const narrow = renderTable(cols, rows, [], { width: 80, color: false });
  assert.not.match(narrow, /EXTRA/);
  assert.not.match(narrow, /2026-12-01/);
  const colored = renderTable(cols, rows, [], { width: 200, color: true });
  assert.ok(colored.includes('\x1b[31mFAILED\x1b[39m') && colored.includes('\x1b[1mMESSAGE\x1b[22m'));
});

Table('tsv: tabs, CRs and newlines inside cells are escaped (one field, one line); null is empty', () => {
  assert.is(
    renderTsv(
      ['A', 'B'],
      [
        ['x\ty', null],
        ['line\r\nbreak', 3],
      ],
    ),
    'A\tB\nx\\ty\t\nline\\r\\nbreak\t3\n',
  );
});

Table('a streamed row: fixed widths, the last column cut to a terminal only', () => {
  const cols = [
    { head: 'ID', width: 4 },
    { head: 'N', width: 3, align: 'right' as const },
    { head: 'ERROR', width: 5 },
  ];
  assert.is(streamRow(cols, ['a', '7', 'e'.repeat(40)]), `a       7  ${'e'.repeat(40)}\n`);
  assert.is(streamRow(cols, ['a', '7', 'e'.repeat(40)], { width: 20, color: false }), `a       7  ${'e'.repeat(8)}…\n`);
});

Table('layout: width only on a terminal and not --wide; NO_COLOR wins over FORCE_COLOR', () => {
  const tty = { write: () => true, isTTY: true, columns: 100 };
  const pipe = { write: () => true };
  assert.equal(layoutOf({ stdout: tty, env: {} }, undefined), { width: 100, color: true });
  assert.equal(layoutOf({ stdout: tty, env: {} }, true), { width: null, color: true });
  assert.equal(layoutOf({ stdout: tty, env: { NO_COLOR: '1' } }, undefined), { width: 100, color: false });
  assert.equal(layoutOf({ stdout: pipe, env: { COLUMNS: '50' } }, undefined), { width: null, color: false });
  assert.equal(layoutOf({ stdout: pipe, env: { FORCE_COLOR: '1' } }, undefined), { width: null, color: true });
  assert.equal(layoutOf({ stdout: pipe, env: { FORCE_COLOR: '1', NO_COLOR: '1' } }, undefined).color, false);
  assert.equal(layoutOf({ stdout: { write: () => true, isTTY: true }, env: { COLUMNS: '132' } }, undefined).width, 132);
});

const Progress = suite('progress');

Progress('a silent phase: a spinner on a terminal, cleared when the bar starts; a line when piped; none', () => {
  let written = '';
  const tty = {
    isTTY: true,
    write: (s: string) => {
      written += s;
      return true;
    },
  };
  const phase = startPhase({ mode: 'auto', stderr: tty, clock: () => 0, text: 'counting the messages first' });
  assert.ok(written.startsWith('\r\x1b[K⠋ counting the messages first 0ms'), JSON.stringify(written));
  const p = afterPhase(phase, silentProgress());
  p.start(10);
  assert.ok(written.endsWith('\r\x1b[K'), 'cleared when the count is done');
  const before = written.length;
  phase.stop();
  assert.is(written.length, before, 'stopping twice writes nothing');
  const piped = memoryIo();
  startPhase({ mode: 'auto', stderr: piped.stderr, clock: () => 0, text: 'counting' }).stop();
  assert.is(piped.err(), 'counting\n');
  const quiet = memoryIo();
  startPhase({ mode: 'none', stderr: quiet.stderr, clock: () => 0, text: 'counting' }).stop();
  assert.is(quiet.err(), '');
});

Progress('a line has count, percent, rate and ETA', () => {
  assert.is(progressLine('replay', 250, 1000, 0, 5000), 'replay: 250/1000 (25%) 50/s ETA 15s elapsed 5s');
  assert.is(progressLine('scan', 30, null, 0, 3000), 'scan: 30 10/s elapsed 3s');
});

Progress('lines mode prints at most once per interval, and once at the end; none prints nothing', () => {
  let t = 0;
  const io = memoryIo();
  const p = createProgress({ mode: 'lines', label: 'x', stderr: io.stderr, clock: () => t, intervalMs: 1000 });
  p.start(10);
  for (let i = 0; i < 10; i++) {
    t += 300;
    p.increment();
  }
  p.stop();
  p.stop();
  const lines = io.err().trim().split('\n');
  assert.is(lines.length, 3, io.err());
  assert.match(lines[2] ?? '', /^x: 10\/10 \(100%\)/);
  const quiet = memoryIo();
  const q = createProgress({ mode: 'none', label: 'x', stderr: quiet.stderr, clock: () => 0 });
  q.start(1);
  q.increment();
  q.stop();
  assert.is(quiet.err(), '');
});

Progress('auto: lines when stderr is not a terminal', () => {
  const io = memoryIo();
  const p = createProgress({ mode: 'auto', label: 'y', stderr: io.stderr, clock: () => 0 });
  p.start(1);
  p.increment();
  p.stop();
  assert.match(io.err(), /^y: 1\/1 \(100%\)/);
});

const History = suite('history views');

const view = () => {
  const attempts = [attempt(1, 'retry'), attempt(2, 'success')];
  const state = fold(seedOf(seedState()), attempts, []);
  if (E.isLeft(state)) throw new Error('fixture');
  return { state: state.right, attempts, redrives: [], auditTrail: rebuildAuditTrail(attempts, []) };
};

History('the human view has the state, the attempts and the trail', () => {
  const out = renderHistory(view(), new Date(iso(600_000)));
  for (const s of [
    'Status        SUCCESS',
    'Attempts      2 of 3',
    'Attempts (2)',
    '503 Nope',
    'Audit trail (2 entries)',
    '(8m ago)',
  ]) {
    assert.ok(out.includes(s), `missing ${s}:\n${out}`);
  }
  const lagging = renderHistory({ ...view(), auditTrail: [] }, new Date(iso(600_000)));
  assert.match(lagging, /projector behind: 0 of 2 entries/);
});

History('hold events in the trail: their rows, who and why through the output rule; counted in the lag', () => {
  const attempts = [attempt(1, 'retry'), attempt(2, 'success')];
  const reason = 'INC-5 \u202eevil\u001b[2J';
  const holds = [pausedHold(1, 'held', 71_000, reason), pausedHold(2, 'released', 72_000, reason)];
  const state = fold(seedOf(seedState()), attempts, [], holds);
  if (E.isLeft(state)) throw new Error('fixture');
  const v = { state: state.right, attempts, redrives: [], holds, auditTrail: rebuildAuditTrail(attempts, [], holds) };
  const out = renderHistory(v, new Date(iso(600_000)));
  assert.ok(out.includes('Audit trail (4 entries)'), out);
  assert.match(out, /after 1 .* HOLD#1 HELD +paused .*by ops: INC-5/);
  assert.match(out, /HOLD#2 RELEASED/);
  assert.not.ok(out.includes('\u202e') || out.includes('\u001b[2J'), 'no raw bidi or escape sequence');
  const lagging = renderHistory({ ...v, auditTrail: v.auditTrail.slice(0, 2) }, new Date(iso(600_000)));
  assert.match(lagging, /projector behind: 2 of 4 entries/);
});

History(
  'the --json document: { state, attempts, auditTrail, redrives, resolutions } with the documented fields',
  () => {
    const j = historyJson(view());
    assert.equal(Object.keys(j), ['state', 'attempts', 'auditTrail', 'redrives', 'resolutions']);
    assert.equal(j.resolutions, []);
    for (const k of [
      'status',
      'attempts',
      'deliveryResult',
      'lastDeliveryAttempt',
      'lastUpdatedAt',
      'retryEligible',
      'nextAttemptAt',
      'maxAttempts',
    ]) {
      assert.ok(k in j.state, k);
    }
    assert.equal(
      j.attempts.map((a) => [a.attemptNumber, a.status, a.deliveryResult.statusCode]),
      [
        [1, 'FAILED', 503],
        [2, 'SUCCESS', 200],
      ],
    );
    assert.is(j.auditTrail.length, 2);
    assert.is(JSON.stringify(j).includes('abcdefghijkl'), false, 'no secret in the output');
  },
);

History('--json resolutions: the late result of a lost attempt, its fields one by one', () => {
  const late = attempt(1, 'success');
  const resolution: ResolutionItem = {
    type: 'RESOLUTION',
    messageId: late.messageId,
    attemptNumber: 1,
    attemptId: 'att-1',
    leaseId: 'lease-1',
    startedAt: late.startedAt,
    completedAt: late.completedAt,
    response: null,
    deliveryResult: late.deliveryResult,
    recordedAt: late.completedAt,
    truncated: late.truncated,
  };
  const j = historyJson({ ...view(), resolutions: [resolution] });
  assert.equal(
    j.resolutions.map((r) => [r.attemptNumber, r.attemptId, r.leaseId, r.deliveryResult.statusCode, r.recordedAt]),
    [[1, 'att-1', 'lease-1', late.deliveryResult.statusCode, late.completedAt]],
  );
  assert.equal(Object.keys(j.resolutions[0] ?? {}), [
    'attemptNumber',
    'attemptId',
    'leaseId',
    'deliveryResult',
    'startedAt',
    'completedAt',
    'response',
    'recordedAt',
    'truncated',
  ]);
  assert.is(j.attempts.length, 2, 'never counted as an attempt');
});

Time.run();
Table.run();
Progress.run();
History.run();
