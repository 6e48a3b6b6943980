// Every view fits the terminal (issue 26), offline: the list keeps ENDPOINT when its rows span
// several endpoints (a bare-host filter over several ports), a streamed tail row at 80 columns
// gives way by priority, a progress bar's line and a spinner's line fit their width. The same
// views in tmux panes of 80x24 and 160x50: packages/cli/test/viewsFitPane.connected.test.ts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { barSize, startPhase } from '../src/kit/format/progress.js';
import { type SummaryRow, renderList } from '../src/listing/summaryList.js';
import { renderTable, type StreamColumn, streamRow } from '../src/kit/format/table.js';
import { attempt, seedState } from './support/cliItems.js';

const Fit = suite('every view fits');

const widest = (s: string): number => Math.max(...s.split('\n').map((l) => [...l].length));

const rowOf = (id: string, endpoint: string): SummaryRow => {
  const s = seedState(id);
  const a = attempt(1, 'retry', id);
  return { ...s, endpoint, status: 'FAILED', retryEligible: true, deliveryResult: a.deliveryResult };
};

Fit('a list keeps ENDPOINT at 80 columns when its rows span several endpoints', () => {
  const now = new Date('2025-01-01T01:00:00.000Z');
  const several = {
    items: [rowOf('m-one', 'hooks.example.com:8443'), rowOf('m-two', 'hooks.example.com:9443')],
    cursor: null,
  };
  const out = renderList(several, now, 'lastUpdatedAt', { width: 80, color: false, zone: 'UTC' });
  assert.ok(widest(out) <= 80, out);
  assert.match(out.split('\n')[0] ?? '', /\bENDPOINT\b/, out);
  // one host, several ports: the port is what tells them apart, and it is shown
  assert.match(out, /^m-one .*:8443\b/m, out);
  assert.match(out, /^m-two .*:9443\b/m, out);
  const hosts = { items: [rowOf('m-one', 'a.example.com:8443'), rowOf('m-two', 'b.example.com:8443')], cursor: null };
  const two = renderList(hosts, now, 'lastUpdatedAt', { width: 80, color: false, zone: 'UTC' });
  assert.ok(widest(two) <= 80 && two.includes('a.example.com:8443') && two.includes('b.example.com:8443'), two);
  const one = {
    items: [rowOf('m-one', 'hooks.example.com:8443'), rowOf('m-two', 'hooks.example.com:8443')],
    cursor: null,
  };
  const single = renderList(one, now, 'lastUpdatedAt', { width: 80, color: false, zone: 'UTC' });
  assert.ok(widest(single) <= 80, single);
  assert.not.match(single.split('\n')[0] ?? '', /\bENDPOINT\b/, 'one endpoint: it gives way as before');
});

const TAIL: ReadonlyArray<StreamColumn> = [
  { head: 'COMPLETED', width: 20, narrow: 9 },
  { head: 'MESSAGE', width: 28 },
  { head: 'STATUS', width: 7 },
  { head: 'CATEGORY', width: 13, drop: 1 },
  { head: 'ENDPOINT', width: 22, drop: 2 },
  { head: 'ERROR', width: 12 },
];

Fit('a streamed row fits 80 columns: short forms, then the lowest-ranked columns go; piped it is whole', () => {
  const cells = [
    { text: '2025-01-01 00:00:00Z', narrow: '00:00:00Z' },
    'm-1',
    'FAILED',
    'server_error',
    'h.example',
    'x'.repeat(200),
  ];
  for (const width of [80, 100, 160]) {
    const head = streamRow(
      TAIL,
      TAIL.map((c) => c.head),
      { width, color: false },
      true,
    );
    const row = streamRow(TAIL, cells, { width, color: false });
    assert.ok(widest(head + row) <= width, `${width}:\n${head}${row}`);
    assert.is(
      head.split(/\s+/).filter((h) => h !== '').length,
      row.split(/\s{2,}/).filter((c) => c.trim() !== '').length,
      'header and row agree',
    );
  }
  const narrow = streamRow(TAIL, cells, { width: 80, color: false });
  assert.ok(narrow.startsWith('00:00:00Z  m-1'), narrow);
  assert.not.ok(narrow.includes('server_error'), 'CATEGORY gave way first');
  assert.ok(streamRow(TAIL, cells).includes('x'.repeat(200)), 'piped: nothing cut');
});

Fit('a progress bar and a spinner fit their terminal', () => {
  assert.is(barSize('replay', 200), 40);
  assert.ok('replay'.length + barSize('replay', 80) + 56 <= 80);
  assert.is(barSize('a very long label for a bar', 40), 10, 'never below 10 cells');
  let written = '';
  const tty = {
    isTTY: true,
    columns: 80,
    write: (s: string) => {
      written += s;
    },
  };
  startPhase({ mode: 'auto', stderr: tty, clock: () => 0, text: `counting ${'messages '.repeat(20)}` }).stop();
  const line = written.split('\r\u001b[K').find((l) => l !== '') ?? '';
  assert.ok([...line].length <= 80, `${[...line].length}: ${line}`);
  assert.match(line, /…/);
});

Fit('a lastResort name is cut only when nothing else can give, and then the table fits', () => {
  const host = `${'a-receiver-with-a-long-host-name-'.repeat(2)}example.com`;
  const cols = [
    { head: 'ENDPOINT', lastResort: 24 },
    { head: 'SUCCESS', align: 'right' as const },
    { head: 'P50', drop: 1 },
  ];
  const wide = renderTable(cols, [[host, '99.0%', '≤ 300 ms']], [], { width: 120, color: false });
  assert.ok(wide.includes(host), 'whole where it fits');
  const narrow = renderTable(cols, [[host, '99.0%', '≤ 300 ms']], [], { width: 80, color: false });
  assert.ok(widest(narrow) <= 80, narrow);
  assert.not.match(narrow, /P50/, 'the droppable column went first');
  assert.match(narrow, /-long-host-name-exam…\s+99\.0%/, narrow);
});

Fit.run();
