// The output rule in the CLI's writers (invariant 10), offline: tables, streamed rows, tsv,
// fields, the history views and --json escape stored text before fitting; the guard under
// every Io write passes only dh's own colour and spinner sequences. The same views against a
// hostile receiver and DynamoDB Local: packages/cli/test/hostileOutput.connected.test.ts.
import * as fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { toJson } from '../src/kit/format/json.js';
import { renderAttempt, renderHistory } from '../src/history/historyView.js';
import { terminalSafe } from '../src/kit/format/safeOut.js';
import { renderFields, renderTable, renderTsv, streamRow } from '../src/kit/format/table.js';
import { memoryIo } from '../src/kit/io.js';
import { attempt, seedState } from './support/cliItems.js';

const Rule = suite('the output rule in the CLI writers');

// C0 but newline and tab, DEL, C1, bidi controls, zero-width characters, U+2028/2029.
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding controls is this test's job
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]/u;
// What dh itself may write on a terminal: its colours and the spinner's line reset.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are dh's own sequences
const OWN = /\u001b\[(?:1|2|22|31|32|33|36|39)m|\r\u001b\[K/g;
const safe = (s: string, what: string) =>
  assert.not.ok(UNSAFE.test(s.replace(OWN, '')), `${what}: ${JSON.stringify(s)}`);

const CLEAR = '\u001b[2J';
const TITLE = '\u001b]0;pwned\u0007';
const CLIP = '\u001b]52;c;ZWNobyBwd25lZA==\u0007';
const LINK = '\u001b]8;;https://evil.example\u001b\\here\u001b]8;;\u001b\\';
const HOSTILE = `${CLEAR}${TITLE}${CLIP}${LINK} FAILED\rSUCCESS\b\b\u009b31m a\u202eb\u2066c\u2069 z\u200bw\u200dj\ufeff`;

Rule('tables, streamed rows, tsv and fields escape every cell; the text stays visible', () => {
  const rows = [
    ['m-1', HOSTILE, 'next'],
    ['m-2', 'plain', `tail${TITLE}`],
  ];
  for (const width of [null, 20, 40, 80, 200]) {
    for (const color of [false, true]) {
      const out = renderTable(['ID', { head: 'ERROR', shrink: 4 }, 'X'], rows, [], { width, color });
      safe(out, `table at ${width}${color ? ' in colour' : ''}`);
      assert.ok(out.includes('m-2'), 'the next row is still there');
    }
  }
  const piped = renderTable(['ID', 'ERROR', 'X'], rows);
  for (const visible of [
    '\\x1b[2J',
    '\\x1b]0;pwned\\x07',
    '\\x1b]52;c;',
    'FAILED\\rSUCCESS',
    '\\x9b31m',
    '<U+202E>',
    '<U+200B>',
  ])
    assert.ok(piped.includes(visible), `${visible} shown in:\n${piped}`);
  safe(renderTsv(['A', 'B'], rows), 'tsv');
  assert.is(renderTsv(['A'], [[`x${TITLE}\ty`]]), 'A\nx\\x1b]0;pwned\\x07\\ty\n');
  safe(
    streamRow(
      [
        { head: 'A', width: 4 },
        { head: 'B', width: 4 },
      ],
      [`a${CLEAR}`, HOSTILE],
      { width: 30, color: true },
    ),
    'stream row',
  );
  safe(renderFields([[`key${CLEAR}`, HOSTILE]]), 'fields');
});

Rule('history and --attempt: stored text from the receiver and the producer is escaped', () => {
  const base = seedState('m-1');
  const state = {
    ...base,
    correlationId: `corr${TITLE}`,
    request: { ...base.request, url: `https://h.example/${CLEAR}` },
  };
  const a = attempt(1, 'final');
  const hostile = {
    ...a,
    request: { ...a.request, headers: { [`x-${CLEAR}`]: `v${CLIP}` } },
    response: { headers: { server: `srv${TITLE}`, 'x-request-id': `id\u202e` } },
    deliveryResult: {
      ...a.deliveryResult,
      statusText: `Busy ${TITLE}${CLEAR}`,
      errorDetails: {
        code: 'HTTP_503',
        message: `HTTP 503 ${HOSTILE}`,
        category: 'server_error' as const,
        responseSnippet: `line 1\n\tline 2 ${HOSTILE}\r\nend`,
      },
    },
  };
  const view = { state, attempts: [hostile], redrives: [], auditTrail: [] };
  const now = new Date(Date.parse(a.completedAt) + 1000);
  for (const width of [null, 80])
    safe(renderHistory(view, now, { width, color: width !== null, zone: 'UTC' }), `history at ${width}`);
  const one = renderAttempt(view, hostile, now);
  safe(one, '--attempt');
  assert.ok(one.includes('line 1\n\tline 2 \\x1b[2J'), 'the snippet keeps its lines and tabs, controls shown');
  assert.ok(one.includes('\\r\nend'), 'a CR before a newline is shown, the newline kept');
  assert.ok(one.includes('srv\\x1b]0;pwned\\x07'));
  assert.ok(one.includes('x-\\x1b[2J:'), 'a header name is escaped too');
});

Rule('--json: C1, bidi, zero-width and U+2028 as \\uXXXX; parses back to the stored text', () => {
  const value = { a: HOSTILE, b: 'l\u2028p' };
  const out = toJson(value);
  safe(out, 'json');
  assert.ok(
    out.includes('\\u009b31m') && out.includes('\\u202e') && out.includes('\\u200b') && out.includes('\\u2028'),
  );
  assert.equal(JSON.parse(out), value);
});

Rule('the guard under every write escapes everything but dh\u2019s own colours and spinner reset', () => {
  assert.is(terminalSafe('\u001b[31mFAILED\u001b[39m\n'), '\u001b[31mFAILED\u001b[39m\n');
  assert.is(terminalSafe('\r\u001b[K⠋ working'), '\r\u001b[K⠋ working');
  assert.is(terminalSafe(`${CLEAR}x\ry\u001b[8m\u001b[K`), '\\x1b[2Jx\\ry\\x1b[8m\\x1b[K');
  const io = memoryIo();
  io.stdout.write(`a${TITLE}\n`);
  io.stderr.write(`dh: bad value "${CLIP}"\n`);
  assert.is(io.out(), 'a\\x1b]0;pwned\\x07\n');
  safe(io.err(), 'stderr');
});

Rule('property: any cells at any width render terminal-safe, and a cut never ends inside an escape', () => {
  const char = fc.oneof(
    fc.constantFrom('\u001b', '\u0007', '\r', '\b', '\n', '\t', '\u009b', '\u202e', '\u200b', '[', ']', '日', 'é'),
    // no literal `\` or `<`: a cut after one would look like a cut escape to the check below
    fc
      .string({ unit: 'binary', minLength: 1, maxLength: 1 })
      .filter((c) => c !== '\\' && c !== '<'),
  );
  const cell = fc.array(char, { maxLength: 30 }).map((cs) => cs.join(''));
  fc.assert(
    fc.property(
      fc.array(fc.tuple(cell, cell), { minLength: 1, maxLength: 4 }),
      fc.integer({ min: 10, max: 120 }),
      (rows, width) => {
        const out = renderTable(['ID', { head: 'TEXT', shrink: 2 }], rows, [], { width, color: false });
        safe(out, `at ${width}`);
        for (const line of out.split('\n')) assert.not.match(line, /(\\x?[0-9a-f]?|<U?\+?[0-9A-F]*)…/, line);
      },
    ),
    { numRuns: 500 },
  );
});

Rule.run();
