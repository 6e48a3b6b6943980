// Each flag is declared once: for every command, its help text, its parser and its decoded
// arguments are all made from its declaration, and a flag added to a declaration (here a
// made-up `--colour`) shows up in all three without being written anywhere else.
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DECLARATIONS } from '../src/declarations.js';
import { historyArgs } from '../src/history/historyArgs.js';
import { COMMON } from '../src/kit/args/common.js';
import { type ArgsOf, type Declaration, declare } from '../src/kit/args/declaration.js';
import { list, option } from '../src/kit/args/option.js';
import { decodeArgs, parseSpecOf } from '../src/kit/args/parse.js';
import { commandUsage, synopsisOf } from '../src/kit/args/usage.js';
import { EXIT } from '../src/kit/exitCodes.js';
import { memoryIo } from '../src/kit/io.js';
import { main } from '../src/main.js';

const at = { now: new Date('2026-12-07T12:00:00.000Z'), zone: 'UTC' };

const D = suite('flags declared once');

/** What the help text says of each flag: its name, value, help line (first line) and variable. */
const helpSays = (d: Declaration, name: string): void => {
  const o = { ...COMMON, ...d.options }[name];
  if (o === undefined) throw new Error(`no --${name}`);
  const help = commandUsage(d);
  const label = `--${name}${o.value === '' ? '' : ` ${o.value}`}`;
  if (name !== 'help') {
    assert.ok(help.includes(`  ${label}`), `dh ${d.name} --help lists ${label}`);
    const first = o.help.split('\n')[0] ?? '';
    assert.ok(help.includes(first), `dh ${d.name} --help says what --${name} is: ${first}`);
    if (o.env !== undefined) assert.ok(help.includes(`$${o.env}`), `dh ${d.name} --help names $${o.env} for --${name}`);
    if (o.defaultText !== undefined)
      assert.ok(help.includes(o.defaultText), `dh ${d.name} --help says --${name}'s default ${o.defaultText}`);
  }
  if (o.inSynopsis && name in d.options)
    assert.ok(synopsisOf(d).includes(`--${name}`), `dh ${d.name}'s synopsis names --${name}`);
};

/** What the parser accepts: exactly the declared flags (own and common), each as declared. */
const parserTakes = (d: Declaration): void => {
  const spec = parseSpecOf(d);
  const declared = { ...COMMON, ...d.options };
  assert.equal(Object.keys(spec).sort(), Object.keys(declared).sort(), `dh ${d.name}: parser flags == declared flags`);
  for (const [name, o] of Object.entries(declared)) {
    assert.is(spec[name]?.type, o.kind, `--${name} parsed as ${o.kind}`);
    assert.is(spec[name]?.multiple === true, o.multiple, `--${name} repeatable as declared`);
  }
};

/** What the decoded arguments hold: one key per declared flag and positional, decoded by its type. */
const decodedHas = (d: Declaration): void => {
  const positionals = d.positionals.map((p) => (p.name === 'host' ? 'example.com' : 'm-1'));
  const r = decodeArgs(positionals, d, at);
  // a command whose required flags are missing says which, each by its declared name
  if (E.isLeft(r)) {
    for (const part of r.left.message.split('; '))
      assert.match(part, /^--[a-z-]+: is required$/, `dh ${d.name}: ${r.left.message}`);
    return;
  }
  const keys = [...Object.keys(COMMON), ...Object.keys(d.options), ...d.positionals.map((p) => p.name)];
  assert.equal(Object.keys(r.right).sort(), [...new Set(keys)].sort(), `dh ${d.name}: decoded keys == declared`);
};

for (const d of Object.values(DECLARATIONS)) {
  D(`dh ${d.name}: help, parser and decoded arguments come from its declaration`, () => {
    for (const name of Object.keys({ ...COMMON, ...d.options })) helpSays(d, name);
    parserTakes(d);
    decodedHas(d);
  });
}

D("dh prints the declaration's help: `dh <command> --help` and `dh help <command>`", async () => {
  for (const d of Object.values(DECLARATIONS)) {
    const [cmd, ...sub] = d.name.split(' ');
    const io = memoryIo();
    assert.is(await main([cmd ?? '', ...sub, '--help'], io), EXIT.ok);
    assert.is(io.out(), commandUsage(d), `dh ${d.name} --help`);
  }
});

// One flag more, in one place: the declaration.
const Colour = t.keyof({ red: null, blue: null }, 'red|blue');
const extended = declare({
  ...historyArgs,
  options: {
    ...historyArgs.options,
    colour: option(Colour, { value: 'red|blue', help: 'the colour of the thing', env: 'DH_COLOUR', default: 'red' }),
    tag: list(t.string, { value: 'T', help: 'tags, repeatable' }),
  },
});

D('a flag added to a declaration is in the help text', () => {
  helpSays(extended, 'colour');
  helpSays(extended, 'tag');
  const help = commandUsage(extended);
  assert.match(help, /\n {2}--colour red\|blue {6}the colour of the thing \(\$DH_COLOUR\) \(default red\)\n/);
  assert.match(synopsisOf(extended), /\[--colour red\|blue\] \[--tag T\.\.\.\]$/);
  // and not in the declaration it was not added to
  assert.not.ok(commandUsage(historyArgs).includes('--colour'));
});

D('a flag added to a declaration is parsed', () => {
  parserTakes(extended);
  assert.equal(parseSpecOf(extended).colour, { type: 'string' });
  assert.equal(parseSpecOf(extended).tag, { type: 'string', multiple: true });
  const unknown = decodeArgs(['m-1', '--colour', 'red'], historyArgs, at);
  assert.ok(E.isLeft(unknown) && /--colour/.test(unknown.left.message), 'history itself does not take --colour');
});

D('a flag added to a declaration is decoded, with its type and default', () => {
  decodedHas(extended);
  const r = decodeArgs(['m-1', '--colour', 'blue', '--tag', 'a', '--tag', 'b', '--attempt', '2'], extended, at);
  if (E.isLeft(r)) return assert.unreachable(r.left.message);
  // the decoded type has the new keys (a compile error otherwise), typed as declared
  const colour: 'red' | 'blue' = r.right.colour;
  const tags: ReadonlyArray<string> | undefined = r.right.tag;
  const attempt: number | undefined = r.right.attempt;
  assert.equal([colour, tags, attempt, r.right.messageId], ['blue', ['a', 'b'], 2, 'm-1']);
  const dflt = decodeArgs(['m-1'], extended, at);
  assert.ok(E.isRight(dflt) && dflt.right.colour === 'red', 'absent: the declared default');
  const bad = decodeArgs(['m-1', '--colour', 'green'], extended, at);
  assert.ok(E.isLeft(bad) && bad.left.message === '--colour: expected red|blue', JSON.stringify(bad));
});

D("a flag's declared variable is read through the declaration when the flag is absent", () => {
  const withEnv = (env: Record<string, string | undefined>, args: string[]) =>
    decodeArgs(['m-1', ...args], extended, { ...at, env });
  const fromVar = withEnv({ DH_COLOUR: ' blue ' }, []);
  assert.ok(E.isRight(fromVar) && fromVar.right.colour === 'blue', 'absent flag: its variable, trimmed');
  const flagWins = withEnv({ DH_COLOUR: 'blue' }, ['--colour', 'red']);
  assert.ok(E.isRight(flagWins) && flagWins.right.colour === 'red', 'the flag wins over its variable');
  const blank = withEnv({ DH_COLOUR: '  ' }, []);
  assert.ok(E.isRight(blank) && blank.right.colour === 'red', 'a blank variable is absent: the default');
  const bad = withEnv({ DH_COLOUR: 'green' }, []);
  assert.ok(E.isLeft(bad) && bad.left.message === '--colour: expected red|blue', 'decoded by the flag type');
  // a real one: --by stands for DH_OPERATOR on every command that records who
  for (const d of Object.values(DECLARATIONS)) {
    const by = d.options.by;
    if (by === undefined) continue;
    assert.is(by.env, 'DH_OPERATOR', `dh ${d.name} --by`);
  }
});

D('the decoded type is the declaration, at compile time', () => {
  type History = ArgsOf<typeof historyArgs>;
  type Extended = ArgsOf<typeof extended>;
  const keys = (x: Record<keyof Extended, true>) => Object.keys(x);
  // every key of the extended type, and no other (a missing or extra key is a compile error)
  const all = keys({
    colour: true,
    tag: true,
    attempt: true,
    'no-body': true,
    messageId: true,
    json: true,
    table: true,
    'endpoint-url': true,
    region: true,
    tz: true,
    wide: true,
    'no-pager': true,
    help: true,
  });
  assert.is(all.length, Object.keys({ ...COMMON, ...extended.options }).length + extended.positionals.length);
  // @ts-expect-error history's own arguments have no --colour
  const none: History['colour'] = undefined;
  assert.is(none, undefined);
});

D.run();
