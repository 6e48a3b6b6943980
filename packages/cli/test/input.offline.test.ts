import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { closest } from '../src/kit/args/suggest.js';
import { parseTimeInput } from '../src/kit/args/timeInput.js';
import { absoluteTime } from '../src/kit/format/time.js';
import { instantOfWall, offsetMinutes } from '../src/kit/format/zone.js';
import { interruptLine, onInterrupt } from '../src/kit/interrupt.js';

const now = new Date('2025-06-01T12:34:56.000Z');

const T = suite('parseTimeInput: what --since/--until accept');

T('compound relative, keywords, time of day, epoch seconds and ms', () => {
  assert.equal(parseTimeInput('-1d2h', now, 'UTC'), E.right(new Date('2025-05-31T10:34:56.000Z')));
  assert.equal(parseTimeInput('today', now, 'UTC'), E.right(new Date('2025-06-01T00:00:00.000Z')));
  assert.equal(parseTimeInput('yesterday', now, 'UTC'), E.right(new Date('2025-05-31T00:00:00.000Z')));
  assert.equal(parseTimeInput('10:00', now, 'UTC'), E.right(new Date('2025-06-01T10:00:00.000Z')));
  assert.equal(parseTimeInput('1748779200', now, 'UTC'), E.right(new Date('2025-06-01T12:00:00.000Z')));
  assert.equal(parseTimeInput('1748779200000', now, 'UTC'), E.right(new Date('2025-06-01T12:00:00.000Z')));
});

T('a day and a time of day: "yesterday 10:00", "today 09:30:15", in the zone', () => {
  assert.equal(parseTimeInput('yesterday 10:00', now, 'UTC'), E.right(new Date('2025-05-31T10:00:00.000Z')));
  assert.equal(parseTimeInput('Today  09:30:15', now, 'UTC'), E.right(new Date('2025-06-01T09:30:15.000Z')));
  assert.equal(parseTimeInput('yesterday 10:00', now, 'Europe/Paris'), E.right(new Date('2025-05-31T08:00:00.000Z')));
  const bad = parseTimeInput('yesterday 25:00', now, 'UTC');
  assert.ok(E.isLeft(bad) && /no such time of day "yesterday 25:00"/.test(bad.left), JSON.stringify(bad));
  const noon = parseTimeInput('yesterday noon', now, 'UTC');
  assert.ok(E.isLeft(noon), 'a day word with something else is refused');
  assert.ok(E.isLeft(parseTimeInput('10:00 yesterday', now, 'UTC')));
});

T('zone-less input is read in the zone; explicit offsets win', () => {
  // Paris is UTC+2 in June
  assert.equal(parseTimeInput('10:00', now, 'Europe/Paris'), E.right(new Date('2025-06-01T08:00:00.000Z')));
  assert.equal(parseTimeInput('today', now, 'Europe/Paris'), E.right(new Date('2025-05-31T22:00:00.000Z')));
  assert.equal(parseTimeInput('2025-05-01 10:30', now, 'Europe/Paris'), E.right(new Date('2025-05-01T08:30:00.000Z')));
  assert.equal(parseTimeInput('2025-05-01T10:30Z', now, 'Europe/Paris'), E.right(new Date('2025-05-01T10:30:00.000Z')));
});

T('precise errors', () => {
  const left = (s: string) => {
    const r = parseTimeInput(s, now, 'UTC');
    return E.isLeft(r) ? r.left : 'accepted';
  };
  assert.match(left('2025-13-01'), /month 13/);
  assert.match(left('2025-02-29'), /day 29 \(month 2 has 28\)/);
  assert.match(left('2025-05-01T24:00'), /hour 24/);
  assert.match(left('25:00'), /no such time of day/);
  assert.match(left('last tuesday'), /expected ISO-8601 time/);
});

const Z = suite('zones');

Z('offsets and display', () => {
  assert.is(offsetMinutes('UTC', now.getTime()), 0);
  assert.is(offsetMinutes('Asia/Kolkata', now.getTime()), 330);
  assert.is(instantOfWall('Europe/Paris', Date.UTC(2025, 0, 1, 12)), Date.UTC(2025, 0, 1, 11));
  assert.is(absoluteTime('2025-06-01T12:00:00Z', 'UTC'), '2025-06-01 12:00:00Z');
  assert.is(absoluteTime('2025-06-01T12:00:00Z', 'America/New_York'), '2025-06-01 08:00:00-04:00');
});

const S = suite('did you mean');

S('close names, prefixes, transpositions; nothing for far ones', () => {
  assert.is(closest('histroy', ['history', 'failed']), 'history');
  assert.is(closest('snice', ['since', 'until']), 'since');
  assert.is(closest('corr', ['correlation', 'history']), 'correlation');
  assert.is(closest('xyz', ['history', 'failed']), null);
});

const I = suite('Ctrl-C summary line');

I('the registered command says what it did', () => {
  const forget = onInterrupt('replay projections', () => '120 of 500 messages checked');
  assert.is(interruptLine(), 'dh replay projections: interrupted; 120 of 500 messages checked\n');
  forget();
  assert.is(interruptLine(), 'dh: interrupted\n');
});

T.run();
Z.run();
S.run();
I.run();
