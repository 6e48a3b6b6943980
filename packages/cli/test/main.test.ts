import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EXIT } from '../src/exitCodes.js';
import { memoryIo } from '../src/io.js';
import { main } from '../src/main.js';

// Command dispatch without a table: names inherited from Object.prototype are unknown
// commands (found by the generated-argument reliability test: `dh __proto__` crashed).
const Main = suite('dh command dispatch');

for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'frobnicate']) {
  Main(`"${name}" is an unknown command (exit 2, says so)`, async () => {
    const io = memoryIo();
    assert.is(await main([name, '--json'], io), EXIT.usage);
    assert.match(io.err(), `unknown command "${name}"`);
  });
  Main(`"replay ${name}" is an unknown subcommand (exit 2, says so)`, async () => {
    const io = memoryIo();
    assert.is(await main(['replay', name], io), EXIT.usage);
    assert.match(io.err(), /replay needs a subcommand: projections or redrive/);
  });
}

Main('no command prints the usage and exits 0', async () => {
  const io = memoryIo();
  assert.is(await main([], io), EXIT.ok);
  assert.match(io.out(), /history/);
});

Main.run();
