import { parseArgs } from 'node:util';
import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { didYouMean } from './suggest.js';
import { UsageError } from './usageError.js';

// One parse for every command: node:util parseArgs (strict: unknown flags are errors), then
// an io-ts decode of the raw strings into the command's typed options. Codec keys are the
// flag names (`dry-run`) and the positional names, so errors can name what the user typed.

export type OptionSpec = { readonly type: 'string' | 'boolean'; readonly multiple?: boolean; readonly short?: string };
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export type CommandSpec = {
  readonly options: OptionSpecs;
  /** Names of positional arguments, in order; an entry ending in `...` takes the rest. */
  readonly positionals: ReadonlyArray<string>;
};

/** Flags every command accepts. */
export const COMMON_OPTIONS = {
  json: { type: 'boolean' },
  table: { type: 'string' },
  'endpoint-url': { type: 'string' },
  region: { type: 'string' },
  tz: { type: 'string' },
  wide: { type: 'boolean' },
  'no-pager': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpecs;

export type Raw = Record<string, unknown>;

const placePositionals = (spec: CommandSpec, positionals: string[]): E.Either<UsageError, Raw> => {
  const out: Raw = {};
  const names = spec.positionals;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] ?? '';
    if (name.endsWith('...')) {
      out[name.slice(0, -3)] = positionals.slice(i);
      return E.right(out);
    }
    out[name] = positionals[i];
  }
  if (positionals.length > names.length) {
    return E.left(UsageError(`unexpected argument "${positionals[names.length]}"`));
  }
  return E.right(out);
};

/**
 * `--since -1h`: parseArgs would read `-1h` as a flag; a value that looks like a negative
 * number or relative time after a string option is glued to it (`--since=-1h`). And
 * `--since yesterday 10:00` unquoted: a day word followed by a time of day is one value.
 */
const glueDashValues = (args: ReadonlyArray<string>, options: OptionSpecs): string[] => {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    const next = args[i + 1];
    const name = a.startsWith('--') && !a.includes('=') ? a.slice(2) : undefined;
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else if (
      name !== undefined &&
      options[name]?.type === 'string' &&
      /^(today|yesterday)$/i.test(next ?? '') &&
      /^\d{1,2}:\d{2}(:\d{2})?$/.test(args[i + 2] ?? '')
    ) {
      out.push(`${a}=${next} ${args[i + 2]}`);
      i += 2;
    } else out.push(a);
  }
  return out;
};

/** ` (did you mean "--since"?)` after an unknown option. */
const suggestion = (e: unknown, spec: CommandSpec): string => {
  if ((e as { code?: unknown }).code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return '';
  const got = /'(-{1,2}[^'=]+)/.exec(e instanceof Error ? e.message : '')?.[1];
  if (got === undefined) return '';
  const names = Object.keys({ ...COMMON_OPTIONS, ...spec.options });
  return didYouMean(got.replace(/^-+/, ''), names, (n) => `--${n}`);
};

/** Raw values by flag / positional name. */
export const parseRaw = (args: ReadonlyArray<string>, spec: CommandSpec): E.Either<UsageError, Raw> => {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: glueDashValues(args, { ...COMMON_OPTIONS, ...spec.options }),
      options: { ...COMMON_OPTIONS, ...spec.options },
      allowPositionals: true,
      strict: true,
    }) as { values: Record<string, unknown>; positionals: string[] };
  } catch (e) {
    // parseArgs throws TypeErrors with a code (ERR_PARSE_ARGS_UNKNOWN_OPTION, ...): user input.
    const message = e instanceof Error ? (e.message.split('\n')[0] ?? e.message) : String(e);
    return E.left(UsageError(`${message.replace(/\. To specify a positional argument.*$/, '')}${suggestion(e, spec)}`));
  }
  return E.map((pos: Raw) => ({ ...parsed.values, ...pos }))(placePositionals(spec, parsed.positionals));
};

const nameOf = (key: string, spec: CommandSpec): string =>
  spec.positionals.some((p) => p.replace(/\.\.\.$/, '') === key) ? `<${key}>` : `--${key}`;

const PROP_PARENTS = new Set(['InterfaceType', 'StrictType', 'ExactType', 'PartialType']);

/** The property name an error is about, looking through intersections and unions. */
const keyOf = (context: t.Context): string => {
  for (let i = 1; i < context.length; i++) {
    const parent = context[i - 1]?.type as { _tag?: string } | undefined;
    if (parent?._tag !== undefined && PROP_PARENTS.has(parent._tag)) return context[i]?.key ?? '';
  }
  return '';
};

const describe = (errors: t.Errors, spec: CommandSpec): string => {
  const parts = new Map<string, string>();
  for (const err of errors) {
    const key = keyOf(err.context);
    const name = key === '' ? 'arguments' : nameOf(key, spec);
    if (parts.has(name)) continue;
    const expected = err.message ?? `expected ${err.context[err.context.length - 1]?.type.name ?? 'a value'}`;
    parts.set(name, err.value === undefined ? 'is required' : expected);
  }
  return [...parts].map(([name, what]) => `${name}: ${what}`).join('; ');
};

/** Parses and decodes a command's arguments. */
export const decodeArgs = <A>(
  args: ReadonlyArray<string>,
  spec: CommandSpec,
  codec: t.Decoder<unknown, A>,
): E.Either<UsageError, A> =>
  E.chain((raw: Raw) => {
    const r = codec.decode(raw);
    return E.isRight(r) ? E.right(r.right) : E.left(UsageError(describe(r.left, spec)));
  })(parseRaw(args, spec));
