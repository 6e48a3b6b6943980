import { EXIT, main, memoryIo } from '@delivery-history/cli/testing';
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { shapeMessage } from '../bench/support/benchFixtures.js';
import { bulkLoad } from '../bench/support/loader.js';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { seedFromEnv } from '@delivery-history/testkit/seededRandom';
import { scaled } from './support/reliabilityScale.js';
import { printSummary } from './support/reliabilitySummary.js';

// Generated `dh` command lines (in process, through the CLI's exported `main`, against a
// small real table): known commands and flags with out-of-range, malformed, huge and
// unicode values, unknown commands and flags, `--flag=value` forms, stray positionals.
// Every run ends with a documented exit code (0..3) within its time limit, a usage or
// runtime error says so on stderr in words (no stack trace), and `--json` output parses.
// `local` and `demo` (long-running servers) are only asked for --help. Every URL a run can
// see points at this machine.

type Ctx = { t: TestTable };
const Cli = suite<Ctx>('reliability: generated CLI arguments');

const RUNS = scaled(150);
const CALL_LIMIT_MS = 60_000;
// Recent instants only: a failed-window query reads 8 index partitions per day of window, so a
// window of months takes tens of seconds even on an empty table (reported, not fuzzed here).
const RECENT = new Date(Date.now() - 2 * 86_400_000).toISOString();
const EXIT_CODES = new Set<number>(Object.values(EXIT));

Cli.before(async (ctx) => {
  ctx.t = await useTestTable('rel-bad-cli');
  const base = Date.now() - 3_600_000;
  await bulkLoad(
    ctx.t.doc,
    ctx.t.tableName,
    { from: 0, to: 30 },
    (i) => shapeMessage(`cli-${i}`, new Date(base + i * 1000), i % 3 === 0 ? [500] : i % 3 === 1 ? [200] : [404]).items,
  );
});
Cli.after(async (ctx) => {
  await ctx.t.drop();
});

const COMMANDS = ['history', 'failed', 'endpoint', 'correlation', 'verify', 'replay', 'help', '--help', '-h'];
const FLAGS = [
  '--json',
  '--since',
  '--until',
  '--limit',
  '--cursor',
  '--message',
  '--all',
  '--dry-run',
  '--segments',
  '--concurrency',
  '--reason',
  '--by',
  '--extra-attempts',
  '--exhausted',
  '--endpoint',
  '--table',
  '--endpoint-url',
  '--region',
  '--progress',
  '--item-budget',
  '--max-violations',
  '--allow-lag',
  '--help',
  '--max-report',
  '--messages',
  '--yes',
  '-x',
  '--',
  '--no-such-flag',
];

const value = (endpoint: string) =>
  fc.oneof(
    fc.constantFrom(
      'cli-1',
      'cli-2',
      'nope',
      '-1h',
      '2d',
      'now',
      RECENT,
      '2026-13-45',
      '0',
      '-5',
      '1e9',
      'NaN',
      '',
      ' ',
    ),
    fc.constantFrom(
      '127.0.0.1',
      '127.0.0.1:9',
      endpoint,
      'http://127.0.0.1:1',
      'ftp://127.0.0.1',
      'none',
      'bar',
      'lines',
    ),
    fc.string({ maxLength: 12 }),
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.integer().map(String),
    fc.constant('z'.repeat(10_000)),
  );

const token = (endpoint: string) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...FLAGS) },
    { weight: 3, arbitrary: value(endpoint) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...FLAGS), value(endpoint)).map(([f, v]) => `${f}=${v}`) },
  );

/** Any http(s) URL other than this machine's is swapped for a refused local one. */
const localOnly = (argv: string[]): string[] =>
  argv.map((a) =>
    /https?:\/\//i.test(a) && !/https?:\/\/127\.0\.0\.1(:\d+)?(\/|$)/i.test(a.replace(/^--[a-z-]+=/, ''))
      ? 'http://127.0.0.1:1'
      : a,
  );

/** Command lines that mostly make sense, so the paths past argument parsing run too. */
const sensibleArb = (endpoint: string) =>
  fc
    .tuple(
      fc.constantFrom<ReadonlyArray<string>>(
        ['history', 'cli-1'],
        ['history', 'cli-404'],
        ['failed', '--since', '-2h'],
        ['failed', '--since', RECENT, '--until', 'now', '--exhausted'],
        ['endpoint', '127.0.0.1:9'],
        ['correlation', 'corr-cli-2'],
        ['verify', '--message', 'cli-3'],
        ['verify', '--message', 'cli-missing'],
        ['replay', 'projections', '--message', 'cli-4', '--dry-run'],
        ['replay', 'redrive', '--message', 'cli-5', '--reason', 'test', '--dry-run'],
      ),
      fc.constantFrom<ReadonlyArray<string>>(
        [],
        ['--json'],
        ['--table', 'no-such-table'],
        ['--endpoint-url', 'http://127.0.0.1:1'],
        ['--json', '--limit', '2'],
      ),
      fc.array(token(endpoint), { maxLength: 2 }),
      fc.boolean(),
    )
    .map(([base, extra, noise, withNoise]) => localOnly([...base, ...extra, ...(withNoise ? noise : [])]));

const randomArb = (endpoint: string) =>
  fc
    .tuple(
      fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom(...COMMANDS) },
        { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
        { weight: 1, arbitrary: fc.constantFrom('local', 'demo') },
      ),
      fc.constantFrom('projections', 'redrive', 'other'),
      fc.array(token(endpoint), { maxLength: 7 }),
    )
    .map(([command, sub, rest]) => {
      // the long-running commands only ever get --help
      if (command === 'local' || command === 'demo') return [command, '--help'];
      const argv = command === 'replay' ? [command, sub, ...rest] : [command, ...rest];
      return localOnly(argv);
    });

const argvArb = (endpoint: string) => fc.oneof(randomArb(endpoint), sensibleArb(endpoint));

const timeLimit = <A>(p: Promise<A>): Promise<A | 'timeout'> =>
  Promise.race([p, new Promise<'timeout'>((ok) => setTimeout(() => ok('timeout'), CALL_LIMIT_MS).unref())]);

Cli('every generated command line: a documented exit code and a clear message, never a crash', async (ctx) => {
  const { t } = ctx;
  const env = {
    AWS_ENDPOINT_URL_DYNAMODB: t.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: t.endpoint,
    DELIVERY_TABLE_NAME: t.tableName,
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    DELIVERY_ALLOW_TARGETS: '127.0.0.1',
  };
  const codes: Record<string, number> = {};
  const problems: string[] = [];
  let tried = 0;
  const seed = seedFromEnv();
  const run = await fc.check(
    fc.asyncProperty(argvArb(t.endpoint), async (argv) => {
      tried++;
      const io = memoryIo(env);
      let code: number | 'timeout' | 'threw';
      try {
        code = await timeLimit(main(argv, io));
      } catch (e) {
        code = 'threw';
        problems.push(`${JSON.stringify(argv).slice(0, 200)} threw ${e instanceof Error ? e.message : String(e)}`);
      }
      codes[String(code)] = (codes[String(code)] ?? 0) + 1;
      const err = io.err();
      const out = io.out();
      const say = (what: string) => problems.push(`${JSON.stringify(argv).slice(0, 200)} -> ${code}: ${what}`);
      if (typeof code !== 'number' || !EXIT_CODES.has(code)) say('not a documented exit code');
      if ((code === EXIT.usage || code === EXIT.runtime) && err.trim() === '')
        say('error exit without a message on stderr');
      if (/\n\s+at .+:\d+:\d+\)?\n/.test(err)) say(`stack trace on stderr: ${err.slice(0, 200)}`);
      const helpAsked = argv.some((a) => a === '--help' || a === '-h' || a.startsWith('--help=')) || argv[0] === 'help';
      if (code === EXIT.ok && argv.includes('--json') && !helpAsked && out.trim() !== '') {
        try {
          JSON.parse(out);
        } catch {
          say(`--json output does not parse: ${out.slice(0, 120)}`);
        }
      }
      return true;
    }),
    { seed, numRuns: RUNS, interruptAfterTimeLimit: 150_000, markInterruptAsFailure: false },
  );

  printSummary({
    file: 'badInputCli',
    operationsSent: tried,
    faultsInjected: 0,
    inputsTried: tried,
    lost: 0,
    doubleCounted: 0,
    details: {
      seed,
      'property runs': `${run.numRuns}${run.interrupted ? ' (time limit reached)' : ''}`,
      'exit codes': codes,
      problems: problems.length,
    },
  });

  assert.is(run.failed, false, String(run.errorInstance));
  assert.ok(tried > 0);
  assert.equal(problems.slice(0, 10), [], `${problems.length} problems`);
  for (const c of ['0', '1', '2', '3']) assert.ok((codes[c] ?? 0) > 0, `exit code ${c} was exercised`);
});

Cli.run();
