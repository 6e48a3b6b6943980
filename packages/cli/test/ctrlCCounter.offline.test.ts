// One Ctrl-C is one key press, however many copies of the signal reach `dh` (the terminal
// signals the whole foreground group; a wrapper in it may pass its copy on).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ctrlCCounter, SAME_CTRL_C_MS } from '../src/kit/interrupt.js';

const C = suite('ctrlCCounter');

C('copies of the first Ctrl-C are the same press; a press after the window is the second', () => {
  let t = 1_000;
  const presses = ctrlCCounter(() => t);
  assert.is(presses.press(), 'first');
  t += 3;
  assert.is(presses.press(), 'again', 'the same Ctrl-C passed on by a wrapper');
  t += SAME_CTRL_C_MS - 10;
  assert.is(presses.press(), 'again');
  t += 20;
  assert.is(presses.press(), 'second', 'the operator pressed again: quit at once');
});

C.run();
