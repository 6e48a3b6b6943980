import * as fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { UNSAFE_CHAR } from '../src/codecs/unsafeChar.js';
import { displayJson } from '../src/display/displayJson.js';
import { displayLine, displayText } from '../src/display/displayText.js';
import { cutToWidth, displayWidth, fitLine } from '../src/display/displayWidth.js';
import { wrapLine } from '../src/display/wrapLine.js';

const Display = suite('the one output rule (invariant 10)');

// What a terminal must never receive from stored text: C0 (but newline and tab where a view
// allows them), DEL, C1, bidi controls, zero-width characters, line and paragraph separators.
const TERMINAL_UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding controls is this test's job
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]/u;

const HOSTILE = [
  '\u001b[2J',
  '\u001b]0;owned\u0007',
  '\u001b]52;c;ZWNobyBwd25lZA==\u0007',
  '\u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\',
  'FAILED\rSUCCESS',
  'abc\b\b\bxyz',
  '\u009b31m',
  'a\u202eb\u2066c\u2067d\u2068e\u2069f\u200eg\u200fh\u061ci',
  'z\u200bw\u200cs\u200dp\u2060x\ufeffy',
  'l\u2028p\u2029',
  '\u007f',
];

Display('every hostile sequence is visible and inert, single-line and multi-line', () => {
  for (const s of HOSTILE) {
    for (const shown of [displayLine(s), displayText(s)]) {
      assert.not.ok(TERMINAL_UNSAFE.test(shown), JSON.stringify(shown));
      assert.not.ok(UNSAFE_CHAR.test(shown.replace(/[\n\t]/g, '')), JSON.stringify(shown));
    }
  }
  assert.is(displayLine('\u001b[2J'), '\\x1b[2J');
  assert.is(displayLine('\u001b]0;t\u0007'), '\\x1b]0;t\\x07');
  assert.is(displayLine('FAILED\rSUCCESS'), 'FAILED\\rSUCCESS');
  assert.is(displayLine('\u009b'), '\\x9b');
  assert.is(displayLine('\u007f'), '\\x7f');
  assert.is(displayLine('a\u202eb'), 'a<U+202E>b');
  assert.is(displayLine('z\u200bw'), 'z<U+200B>w');
  assert.is(displayLine('\u{e0041}'), '<U+E0041>');
  assert.is(displayLine('lone\ud800'), 'lone<U+D800>');
  assert.is(displayLine('a\nb\tc'), 'a\\nb\\tc');
  assert.is(displayText('a\nb\tc\r\n'), 'a\nb\tc\\r\n');
});

Display('ordinary text is shown unchanged, and escaping twice changes nothing', () => {
  for (const s of ['plain', 'ünïcödé ✓ 日本語 🚀', 'C:\\path\\x1b', '<U+202E> literal', '']) {
    assert.is(displayLine(s), s);
    assert.is(displayText(s), s);
  }
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (s) => {
      assert.is(displayLine(displayLine(s)), displayLine(s));
      assert.is(displayText(displayText(s)), displayText(s));
    }),
  );
});

Display('displayJson escapes C1, bidi, zero-width and U+2028/2029 as \\uXXXX and round-trips', () => {
  assert.is(displayJson({ a: 'x\u009by\u202ez\u200b\u2028' }), '{"a":"x\\u009by\\u202ez\\u200b\\u2028"}');
  assert.is(displayJson({ t: 'tag\u{e0041}' }), '{"t":"tag\\udb40\\udc41"}');
  fc.assert(
    fc.property(fc.jsonValue(), fc.string({ unit: 'binary' }), (v, s) => {
      const value = { v, s };
      const shown = displayJson(value, 2);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: finding controls is this test's job
      assert.not.ok(/[\u0000-\u0009\u000b-\u001f]/.test(shown.replace(/\n/g, '')));
      assert.not.ok(UNSAFE_CHAR.test(shown.replace(/\n/g, '')), JSON.stringify(shown));
      assert.is(JSON.stringify(JSON.parse(shown)), JSON.stringify(value), 'parses back to the same value');
    }),
  );
  for (const ordinary of [{ a: 'plain ünï 日本 🚀', n: [1, null, true] }, 'x', 3])
    assert.is(displayJson(ordinary, 2), JSON.stringify(ordinary, null, 2));
});

Display('widths count the escaped text; wide characters take two columns', () => {
  assert.is(displayWidth('abc'), 3);
  assert.is(displayWidth('\u001b'), 4);
  assert.is(displayWidth('\u202e'), 8);
  assert.is(displayWidth('日本'), 4);
  assert.is(displayWidth('e\u0301'), 1);
  assert.is(displayWidth('\\x1b'), 4, 'the escaped form measures the same');
});

Display('fitLine cuts at whole escapes and ends with an ellipsis', () => {
  assert.is(fitLine('abc', 3), 'abc');
  assert.is(fitLine('abcd', 3), 'ab…');
  assert.is(fitLine('a\u001b[2J', 4), 'a…', 'the escape does not fit: it goes whole');
  assert.is(fitLine('a\u001b[2J', 6), 'a\\x1b…');
  assert.is(fitLine('日本語', 4), '日…');
  assert.is(cutToWidth('a\u001b[2J', 6), 'a\u001b…', 'cutToWidth cuts the raw text; escaping comes after');
});

// A random line (weighted towards what attacks a terminal) and a random width.
const hostileChar = fc.oneof(
  fc.constantFrom('\u001b', '\u0007', '\r', '\b', '\n', '\t', '\u009b', '\u202e', '\u2066', '\u200b', '\ufeff', '\\'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.constantFrom('日', 'é', '\u0301', '🚀', 'a', '[', ']', ';'),
);

Display('property: a fitted cell is terminal-safe, within its width, and never ends inside an escape', () => {
  fc.assert(
    fc.property(fc.array(hostileChar, { maxLength: 40 }), fc.integer({ min: 0, max: 60 }), (chars, width) => {
      const raw = chars.join('');
      const fitted = fitLine(raw, width);
      assert.not.ok(TERMINAL_UNSAFE.test(fitted), JSON.stringify(fitted));
      assert.not.ok(/[\n\t]/.test(fitted));
      assert.ok(displayWidth(fitted) <= Math.max(width, 0), `${JSON.stringify(fitted)} within ${width}`);
      const whole = displayLine(raw);
      if (displayWidth(raw) <= width) assert.is(fitted, whole);
      else {
        assert.ok(fitted === '' || fitted.endsWith('…'));
        // The kept part is the escaped form of a prefix of the characters: it ends where one
        // character's display ends, never in the middle of `\xHH` or `<U+…>`.
        const kept = fitted.slice(0, -1);
        const boundaries = new Set([0]);
        let at = 0;
        for (const c of chars) {
          at += displayLine(c).length;
          boundaries.add(at);
        }
        assert.ok(whole.startsWith(kept) && boundaries.has(kept.length), JSON.stringify(fitted));
      }
    }),
    { numRuns: 2000 },
  );
});

Display('wrapLine folds at spaces, inside a word where it must, never inside an escape', () => {
  assert.equal(wrapLine('hello world this is text', 11), ['hello world', 'this is', 'text']);
  assert.equal(wrapLine('x'.repeat(25), 10), ['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  assert.equal(wrapLine('ab\u001b[2J', 5), ['ab', '\\x1b[', '2J']);
  fc.assert(
    fc.property(
      fc.array(
        hostileChar.filter((c) => c !== '\n'),
        { maxLength: 60 },
      ),
      // from 10: the widest escape (`<U+E0041>`) takes 9 columns and is never split
      fc.integer({ min: 10, max: 30 }),
      (chars, width) => {
        const lines = wrapLine(chars.join(''), width);
        for (const l of lines) {
          assert.ok(displayWidth(l) <= width, `${JSON.stringify(l)} within ${width}`);
          assert.not.ok(TERMINAL_UNSAFE.test(l) || /[\n\t]/.test(l), JSON.stringify(l));
        }
        // nothing lost but the spaces a break replaced
        assert.is(lines.join('').replace(/ /g, ''), displayLine(chars.join('')).replace(/ /g, ''));
      },
    ),
  );
});

Display.run();
