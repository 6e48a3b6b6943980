// Help and README agree with what each command accepts: for every command, the flags of
// `dh <command> --help`'s synopsis are the flags of its README heading, every flag the
// command accepts is in them (an alias at least in the help text), and nothing else is.
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DECLARATIONS } from '../src/declarations.js';
import { COMMON } from '../src/kit/args/common.js';
import { synopsisOf } from '../src/kit/args/usage.js';

const SPECS = DECLARATIONS;
const COMMON_OPTIONS = COMMON;
/** Each command's synopsis and prose, as `dh <command> --help` prints them. */
const USAGE = Object.fromEntries(
  Object.entries(DECLARATIONS).map(([name, d]) => [name, { usage: synopsisOf(d), about: d.about }]),
);

/** Flags said in the help text rather than the synopsis: other names of a listed one. */
const ALIASES: Readonly<Record<string, string>> = { host: 'endpoint', status: 'exhausted' };

const flagsOf = (text: string): string[] =>
  [...new Set([...text.matchAll(/--([a-z][a-z-]*)/g)].map((m) => m[1] ?? ''))].sort();

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The README heading of each command: `## dh <command> ...` or `### ...`, by command name. */
const headings = new Map<string, string>();
for (const m of readme.matchAll(/^#{2,3} `dh (.+)`$/gm)) {
  const text = m[1] ?? '';
  const [first, second] = text.split(' ');
  // two-word commands: `replay <what>`, `endpoints pause|resume`
  const twoWords = first === 'replay' || (first === 'endpoints' && (second === 'pause' || second === 'resume'));
  const name = twoWords ? `${first} ${second}` : (first ?? '');
  headings.set(name, text);
}

const H = suite('help and README');

H('every command has a help entry and a README heading', () => {
  assert.equal(Object.keys(USAGE).sort(), Object.keys(SPECS).sort());
  for (const name of Object.keys(SPECS)) assert.ok(headings.has(name), `README heading for dh ${name}`);
});

for (const [name, spec] of Object.entries(SPECS)) {
  H(`dh ${name}: help synopsis == README heading == what it accepts`, () => {
    const entry = USAGE[name];
    const help = flagsOf(entry?.usage ?? '');
    const doc = flagsOf(headings.get(name) ?? '');
    assert.equal(doc, help, `README heading vs --help synopsis of dh ${name}`);
    const accepted = new Set([...Object.keys(spec.options), ...Object.keys(COMMON_OPTIONS)]);
    for (const f of help) assert.ok(accepted.has(f), `dh ${name} --help names --${f}, which it does not accept`);
    for (const f of Object.keys(spec.options)) {
      const alias = ALIASES[f];
      const said = help.includes(f) || (alias !== undefined && (entry?.about ?? '').includes(`--${f}`));
      assert.ok(said, `dh ${name} accepts --${f}, which its --help synopsis does not name`);
    }
  });
}

H.run();
