// Help, version, "did you mean" and short usage errors, through the built `dh` binary.
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type DhResult, dhEnv, runDh, show } from './support/runDh.js';

const U = suite('dh help / --version / did you mean / usage errors');
// no table is read: any local URL will do
const env = dhEnv({ endpoint: 'http://127.0.0.1:9', tableName: 'usage-test' });
const ok = (r: DhResult, code = 0) => assert.is(r.code, code, show(r));

U('the package has a bin that runs compiled JS (no tsx): bin/dh.js, which imports the bundle of dist/', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    bin?: Record<string, string>;
  };
  assert.is(pkg.bin?.dh, './bin/dh.js');
  const bin = readFileSync(new URL('../bin/dh.js', import.meta.url), 'utf8');
  assert.match(bin, /await import\('\.\.\/dist\/dh\.js'\)/);
});

U('--version, -V, dh version', async () => {
  const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
    .version;
  for (const r of await Promise.all([runDh(['--version'], env), runDh(['-V'], env), runDh(['version'], env)])) {
    ok(r);
    assert.is(r.stdout, `dh ${version}\n`);
  }
});

U('dh help <cmd>, dh <cmd> --help and dh replay --help: the command, with examples', async () => {
  const [helpCmd, cmdHelp, replayHelp, helpReplay, helpRedrive, general] = await Promise.all([
    runDh(['help', 'history'], env),
    runDh(['history', '--help'], env),
    runDh(['replay', '--help'], env),
    runDh(['help', 'replay'], env),
    runDh(['help', 'replay', 'redrive'], env),
    runDh(['help'], env),
  ]);
  for (const r of [helpCmd, cmdHelp]) {
    ok(r);
    assert.match(r.stdout, /^usage: dh history <messageId>/);
    assert.match(r.stdout, /Examples:\n {2}dh history /);
  }
  for (const r of [replayHelp, helpReplay]) {
    ok(r);
    assert.match(r.stdout, /dh replay projections/);
    assert.match(r.stdout, /dh replay redrive/);
    assert.match(r.stdout, /Examples:/);
  }
  ok(helpRedrive);
  assert.match(helpRedrive.stdout, /^usage: dh replay redrive/);
  ok(general);
  assert.match(general.stdout, /Commands:/);
  assert.match(general.stdout, /tail/);
});

U('did you mean: commands, subcommands, flags, help topics', async () => {
  const [cmd, sub, flag, topic] = await Promise.all([
    runDh(['histroy', 'm-1'], env),
    runDh(['replay', 'projection', '--all'], env),
    runDh(['failed', '--snice', '-1h'], env),
    runDh(['help', 'faild'], env),
  ]);
  ok(cmd, 2);
  assert.match(cmd.stderr, /unknown command "histroy" \(did you mean "history"\?\)/);
  ok(sub, 2);
  assert.match(sub.stderr, /did you mean "projections"/);
  ok(flag, 2);
  assert.match(flag.stderr, /'--snice' \(did you mean --since\?\)/);
  ok(topic, 2);
  assert.match(topic.stderr, /did you mean "failed"/);
});

U('a usage error is its line, the synopsis and a pointer to --help (no wall of usage)', async () => {
  const r = await runDh(['history', 'bad id!'], env);
  ok(r, 2);
  const lines = r.stderr.trimEnd().split('\n');
  assert.is(lines.length, 3, r.stderr);
  assert.match(lines[0] ?? '', /^dh history: <messageId>: expected a message id/);
  assert.match(lines[1] ?? '', /^usage: dh history <messageId>/);
  assert.is(lines[2], 'Run "dh history --help" for all options and examples.');
});

U.run();
