// Runs every uvu test file, each in its own node process (isolation for fault tests), against
// ONE DynamoDB Local started here for the whole run and always stopped at the end.
// Usage: runTests.ts [--suite unit|reliability] [--jobs N] [files...]
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { startDynamoLocal } from '@delivery-history/devkit';
import { stallGuard } from '@delivery-history/devkit/testing';

const root = new URL('..', import.meta.url).pathname;

// The SDK warns on every start that its 2027 releases need Node 22; the pinned ones run here.
const warningListeners = process.listeners('warning');
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (!w.message.includes('NodeVersionSupportWarning')) for (const l of warningListeners) l(w);
});

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    suite: { type: 'string', default: 'unit' },
    jobs: { type: 'string', default: '2' },
    timeout: { type: 'string', default: '600' },
  },
});

const walk = (dir: string): string[] => {
  let out: string[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries) {
    if (e === 'node_modules' || e === 'dist' || e === 'cdk.out') continue;
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out = out.concat(walk(p));
    else if (p.endsWith('.test.ts')) out.push(p);
  }
  return out;
};

const collect = (): string[] => {
  if (positionals.length > 0) return positionals.map((p) => join(process.cwd(), p));
  const dirs = [
    ...readdirSync(join(root, 'packages')).map((p) => join(root, 'packages', p, 'test')),
    join(root, 'infra', 'test'),
    join(root, 'test'),
  ];
  const all = dirs.flatMap(walk).sort();
  const isReliability = (f: string) => f.includes(`${join('test', 'reliability')}/`);
  return values.suite === 'reliability' ? all.filter(isReliability) : all.filter((f) => !isReliability(f));
};

type Result = {
  file: string;
  passed: number;
  failed: number;
  skipped: number;
  code: number | null;
  ms: number;
  /** The blocks reliability files print (test/reliability/support/reliabilitySummary.ts). */
  summaries: string[];
};

/** `== reliability/<file> ==` and its indented lines. */
const summariesOf = (text: string): string[] =>
  [...text.matchAll(/^== reliability\/.*==\n(?: {2}.*\n?)*/gm)].map((m) => m[0].trimEnd());

const SUMMARY_FIELDS = ['operations sent', 'faults injected', 'inputs tried', 'lost', 'double-counted'] as const;
// invariant 5's books, printed by the files that deliver through a receiver (Accounting in summary.ts)
const ACCOUNTING_FIELDS = [
  'requests received',
  'attempts recorded',
  'lost attempts',
  'outcomes recovered through SQS',
] as const;
const fieldOf = (block: string, field: string): number | null => {
  const m = new RegExp(`^ {2}${field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\s+(\\d+)`, 'm').exec(block);
  return m === null ? null : Number(m[1]);
};
const summed = (blocks: ReadonlyArray<string>, field: string): number =>
  blocks.reduce((n, b) => n + (fieldOf(b, field) ?? 0), 0);

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI colours
const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

const count = (text: string, label: string): number =>
  [...text.matchAll(new RegExp(`^\\s*${label}:\\s+(\\d+)`, 'gm'))].reduce((n, m) => n + Number(m[1]), 0);

const runFile = (file: string, env: NodeJS.ProcessEnv): Promise<Result> =>
  new Promise((ok) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', file], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString('utf8');
    });
    // A hang guard, not a budget: past --timeout a file is killed only once its process tree has
    // stopped using CPU, so a busy machine slows a file down without failing it.
    const stopGuard =
      child.pid === undefined
        ? () => {}
        : stallGuard(child.pid, { afterMs: Number(values.timeout) * 1000 }, (why) => {
            out += `\n[runner] ${why} (--timeout ${values.timeout}s), killing\n`;
            child.kill('SIGKILL');
          });
    child.on('close', (code) => {
      stopGuard();
      const text = stripAnsi(out);
      const total = count(text, 'Total');
      const passed = count(text, 'Passed');
      const skipped = count(text, 'Skipped');
      const failed = Math.max(total - passed - skipped, code === 0 ? 0 : 1);
      const name = relative(root, file);
      const ms = Date.now() - started;
      const ok_ = code === 0 && failed === 0 && total > 0;
      process.stdout.write(`${ok_ ? 'ok  ' : 'FAIL'} ${name} (${passed}/${total}, ${(ms / 1000).toFixed(1)}s)\n`);
      const summaries = summariesOf(text);
      if (!ok_ || process.env.DH_TEST_VERBOSE === '1') process.stdout.write(`${text.trimEnd()}\n\n`);
      else if (summaries.length > 0) process.stdout.write(`${summaries.join('\n')}\n\n`);
      ok({ file: name, passed, failed: ok_ ? 0 : Math.max(failed, 1), skipped, code, ms, summaries });
    });
  });

const main = async (): Promise<number> => {
  const files = collect();
  if (files.length === 0) {
    console.error('no test files found');
    return 1;
  }
  const dynamo = await startDynamoLocal();
  const env = {
    ...process.env,
    NO_COLOR: '1',
    DH_TEST_DYNAMODB_ENDPOINT: dynamo.endpoint,
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  };
  console.log(`DynamoDB Local at ${dynamo.endpoint}; ${files.length} test files, ${values.jobs} at a time`);
  const results: Result[] = [];
  const queue = [...files];
  const worker = async () => {
    for (let f = queue.shift(); f !== undefined; f = queue.shift()) results.push(await runFile(f, env));
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Number(values.jobs)) }, worker));
  } finally {
    await dynamo.stop();
  }
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const skipped = results.reduce((n, r) => n + r.skipped, 0);
  const bad = results.filter((r) => r.failed > 0).map((r) => r.file);
  const blocks = results.flatMap((r) => r.summaries);
  if (blocks.length > 0) {
    console.log(
      `reliability totals over ${blocks.length} files: ${SUMMARY_FIELDS.map((f) => `${f} ${summed(blocks, f)}`).join(', ')}`,
    );
  }
  const accounted = blocks.filter((b) => fieldOf(b, 'requests received') !== null);
  if (accounted.length > 0) {
    console.log(
      `reliability accounting over ${accounted.length} files: ${ACCOUNTING_FIELDS.map((f) => `${f} ${summed(accounted, f)}`).join(', ')}`,
    );
  }
  if (bad.length > 0) console.log(`failing files: ${bad.join(', ')}`);
  console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
  return failed > 0 ? 1 : 0;
};

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
