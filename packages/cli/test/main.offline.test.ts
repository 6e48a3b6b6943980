import { DecodeError } from '@delivery-history/core';
import { Invalid } from '@delivery-history/store';
import { NotFound as StoreNotFound, Throttled } from '@delivery-history/store/testing';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { UsageError } from '../src/kit/args/usageError.js';
import {
  CheckFailed,
  type CliFailure,
  failureMessage,
  NotFound,
  Refused,
  showsUsage,
  storeFailure,
  Unexpected,
} from '../src/kit/failure.js';
import { EXIT, exitCodeOf } from '../src/kit/exitCodes.js';
import { memoryIo } from '../src/kit/io.js';
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
    assert.match(io.err(), /replay needs a subcommand: projections, redrive or endpoints/);
  });
}

Main('no command prints the usage and exits 0', async () => {
  const io = memoryIo();
  assert.is(await main([], io), EXIT.ok);
  assert.match(io.out(), /history/);
});

Main('a bad variable is a configuration error: exit 2, the variable named, then the usage', async () => {
  const io = memoryIo({ AWS_ENDPOINT_URL_DYNAMODB: 'localhost:8000', DELIVERY_TABLE_NAME: 'x' });
  assert.is(await main(['history', 'm-1'], io), EXIT.config);
  assert.match(io.err(), /^dh history: invalid configuration: \.DELIVERY_TABLE_NAME: expected DynamoDB table name/);
  assert.match(io.err(), /\.AWS_ENDPOINT_URL_DYNAMODB: expected http\(s\) URL, got "localhost:8000"/);
  assert.match(io.err(), /usage: dh history/);
});

Main('a bad DELIVERY_MAX_ATTEMPTS stops a re-drive before it reads the table', async () => {
  const io = memoryIo({ DELIVERY_MAX_ATTEMPTS: 'many' });
  assert.is(await main(['replay', 'redrive', '--message', 'm-1', '--reason', 'r'], io), EXIT.config);
  assert.match(io.err(), /DELIVERY_MAX_ATTEMPTS: expected integer 1\.\.100, got "many"/);
});

const Exit = suite('exit codes of CLI failures (README "Exit codes")');

const ctx = { op: 'test', messageId: 'm-1' };
const failures: ReadonlyArray<[CliFailure, number, string | null]> = [
  [UsageError('--since: expected ISO-8601 time'), 2, '--since: expected ISO-8601 time'],
  [
    DecodeError('invalid configuration: .AWS_REGION: expected AWS region', []),
    2,
    'invalid configuration: .AWS_REGION: expected AWS region',
  ],
  [Refused, 2, null],
  [NotFound('no failed messages'), 1, 'no failed messages'],
  [NotFound(null), 1, null],
  [CheckFailed, 1, null],
  [storeFailure(StoreNotFound(ctx), 'message "m-1" (table t)'), 1, 'message "m-1" (table t) not found'],
  [storeFailure(Invalid(ctx, 'bad cursor'), 'x'), 2, 'bad cursor'],
  [storeFailure(Throttled(ctx, 'slow down'), 'x'), 3, 'slow down'],
  [
    { _tag: 'TableError', message: 'scan: ResourceNotFoundException: no table', cause: null },
    3,
    'scan: ResourceNotFoundException: no table',
  ],
  [
    Unexpected(Object.assign(new Error('connect ECONNREFUSED'), { name: 'TimeoutError' })),
    3,
    'TimeoutError: connect ECONNREFUSED',
  ],
  [Unexpected(new Error('boom')), 3, 'boom'],
];

for (const [f, code, message] of failures) {
  Exit(`${f._tag}${f._tag === 'NotFound' && f.message === null ? ' (quiet)' : ''} -> ${code}`, () => {
    assert.is(exitCodeOf(f), code);
    assert.is(failureMessage(f), message);
    assert.is(showsUsage(f), f._tag === 'UsageError' || f._tag === 'DecodeError');
  });
}

Exit('every exit code is documented', () => {
  const documented = new Set<number>(Object.values(EXIT));
  for (const [f] of failures) assert.ok(documented.has(exitCodeOf(f)));
});

Main.run();
Exit.run();
