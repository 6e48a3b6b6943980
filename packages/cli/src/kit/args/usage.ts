import { COMMON } from './common.js';
import type { Declaration } from './declaration.js';
import type { Option, Options } from './option.js';

// Help text, made from the commands' declarations: `dh help <command>` and
// `dh <command> --help` print the synopsis, what it does, its options (one line per declared
// flag), examples and the common options; a usage error prints only the synopsis line and a
// pointer here (usageHint).

/** Where an option's help starts (the label before it is padded to this column). */
const COLUMN = 25;

/** `--name VALUE`, `--name VALUE...` when repeatable, then its short form. */
const labelOf = (name: string, o: Option<unknown>): string =>
  `--${name}${o.value === '' ? '' : ` ${o.value}${o.multiple ? '...' : ''}`}${o.short === undefined ? '' : `, -${o.short}`}`;

/** An option's help: its line, the variable it stands for and its default when the line does not say them. */
const helpOf = (o: Option<unknown>): string => {
  const env = o.env === undefined || o.help.includes(`$${o.env}`) ? '' : ` ($${o.env})`;
  const dflt = o.defaultText === undefined || o.help.includes('default') ? '' : ` (default ${o.defaultText})`;
  return `${o.help}${env}${dflt}`;
};

/** One entry per declared flag, in declaration order. */
export const optionLines = (options: Options): string =>
  Object.entries(options)
    .map(([name, o]) => {
      const label = `  ${labelOf(name, o)}`;
      const [first, ...rest] = helpOf(o).split('\n');
      const pad = ' '.repeat(COLUMN);
      const head = label.length < COLUMN - 1 ? `${label.padEnd(COLUMN)}${first}` : `${label}\n${pad}${first}`;
      return [head, ...rest.map((r) => `${pad}${r}`)].join('\n');
    })
    .join('\n');

const flagsNamed = (text: string): Set<string> =>
  new Set([...text.matchAll(/--([a-z][a-z-]*)/g)].map((m) => m[1] ?? ''));

/**
 * `dh <name> <synopsis>`: the declared shape, else the positionals and every flag in
 * declaration order; a flag the shape does not name is added after it.
 */
export const synopsisOf = (d: Declaration): string => {
  const shape = d.synopsis ?? d.positionals.map((p) => (p.optional ? `[<${p.name}>]` : `<${p.name}>`)).join(' ');
  const named = flagsNamed(shape);
  const rest = Object.entries(d.options)
    .filter(([name, o]) => o.inSynopsis && !named.has(name))
    .map(([name, o]) => `[${labelOf(name, { ...o, short: undefined })}]`);
  return [`dh ${d.name}`, shape, ...rest].filter((x) => x !== '').join(' ');
};

const COMMON_HELP = `Common options:
${optionLines(Object.fromEntries(Object.entries(COMMON).filter(([name]) => name !== 'help')))}
Times (--since/--until): ISO-8601 (2025-05-01T10:00Z, 2025-05-01), relative (-1h, -1d2h, 30m),
now, today, yesterday, a time of day (10:00, today in --tz; yesterday 10:00), epoch seconds (1746093600).
Output: on a terminal tables fit its width (error text cut with "…" first, then short times,
then the least useful columns hidden; ids never) and statuses are coloured; piped, nothing is
cut or coloured. NO_COLOR=1 turns colour off, FORCE_COLOR=1 on.
Exit codes: 0 ok/found, 1 not found / drift / check failed, 2 usage or configuration error,
3 DynamoDB or SQS error (unreachable, missing table, not DynamoDB), 130 interrupted (Ctrl-C).`;

const optionsPart = (d: Declaration): string =>
  Object.keys(d.options).length === 0 ? '' : `\nOptions:\n${optionLines(d.options)}\n`;

/** Full help of one command (`dh <command> --help`, `dh help <command>`). */
export const commandUsage = (d: Declaration): string => {
  const examples = d.examples.map((x) => `  ${x}`).join('\n');
  return `usage: ${synopsisOf(d)}\n${d.about}\n${optionsPart(d)}\nExamples:\n${examples}\n\n${COMMON_HELP}\n`;
};

/** `dh replay --help`: the three subcommands. */
export const replayUsage = (
  subcommands: ReadonlyArray<Declaration>,
): string => `usage: dh replay <projections|redrive|endpoints> [options]

Subcommands:
${subcommands
  .map((d) => `  ${synopsisOf(d)}\n${d.about}\n  Examples:\n${d.examples.map((x) => `    ${x}`).join('\n')}\n`)
  .join('\n')}
Run "dh replay projections --help" (or redrive, endpoints) for one of them.

${COMMON_HELP}
`;

/** After a usage error: the synopsis line and where the rest is. */
export const usageHint = (name: string | null, d: Declaration | undefined): string => {
  if (name === null) return 'Run "dh --help" for the commands.\n';
  if (name === 'replay')
    return 'usage: dh replay <projections|redrive|endpoints> ...\nRun "dh replay --help" for all three.\n';
  const first = (d === undefined ? `dh ${name}` : synopsisOf(d)).split('\n')[0];
  return `usage: ${first}\nRun "dh ${name} --help" for all options and examples.\n`;
};

export const GENERAL_USAGE = `usage: dh <command> [options]    (from a checkout: pnpm -s dh <command> ...)

Commands:
  history <id>          one message: state, attempts, audit trail (--attempt N: one attempt)
  failed --since T      failed messages in a time window
  endpoint <host>       messages to one endpoint
  correlation <id>      messages sharing a correlation id
  endpoints [<host>]    endpoint health: success rate, latency, failures (hourly aggregates)
  tail                  follow new attempts live
  replay projections    rebuild projections and audit trails; report or repair drift
  replay redrive        re-drive failed deliveries with an auditable reason
  replay endpoints      rebuild the endpoint-health aggregates from the attempts
  verify                check every invariant over the table
  expunge               remove a message's content (audited), or re-apply the secret policy
  console               the support console: a local web page over the same views
  local                 the whole system on this machine (DynamoDB Local, projector, worker)
  demo                  end-to-end demo on this machine, with a summary
  help <command>        a command's options and examples

Examples:
  dh history order-1085
  dh failed --since -1h --endpoint hooks.example.com
  dh history order-1085 --attempt 2
  dh replay redrive --since 10:00 --endpoint hooks.example.com --reason "INC-42 fixed"

Run "dh <command> --help" for a command's options; "dh --version" for the version.

${COMMON_HELP}
`;
