import { parseArgs } from 'node:util';
import * as E from 'fp-ts/lib/Either.js';
import { COMMON } from './common.js';
import type { ArgsOf, Declaration } from './declaration.js';
import { type ArgContext, declaredVar, type Options } from './option.js';
import { didYouMean } from './suggest.js';
import { UsageError } from './usageError.js';

// One parse for every command, made from its declaration: node:util parseArgs (strict:
// unknown flags are errors), then each flag and positional decoded by its own io-ts type, so
// an error names what the user typed (`--since`, `<messageId>`) without looking into io-ts.

export type OptionSpec = { readonly type: 'string' | 'boolean'; readonly multiple?: boolean; readonly short?: string };
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The parseArgs spec of some declared flags. */
export const specOf = (options: Options): OptionSpecs =>
  Object.fromEntries(
    Object.entries(options).map(([name, o]) => [
      name,
      { type: o.kind, ...(o.multiple ? { multiple: true } : {}), ...(o.short === undefined ? {} : { short: o.short }) },
    ]),
  );

/** What parseArgs is given for a command: the common flags and its own. */
export const parseSpecOf = (d: Declaration): OptionSpecs => specOf({ ...COMMON, ...d.options });

export type Raw = Record<string, unknown>;

const placePositionals = (d: Declaration, positionals: string[]): E.Either<UsageError, Raw> => {
  const out: Raw = {};
  const names = d.positionals.map((p) => p.name);
  for (let i = 0; i < names.length; i++) out[names[i] ?? ''] = positionals[i];
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
const suggestion = (e: unknown, options: OptionSpecs): string => {
  if ((e as { code?: unknown }).code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return '';
  const got = /'(-{1,2}[^'=]+)/.exec(e instanceof Error ? e.message : '')?.[1];
  if (got === undefined) return '';
  const names = Object.keys(options);
  return didYouMean(got.replace(/^-+/, ''), names, (n) => `--${n}`);
};

/** Raw values by flag / positional name. */
export const parseRaw = (args: ReadonlyArray<string>, d: Declaration): E.Either<UsageError, Raw> => {
  const options = parseSpecOf(d);
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: glueDashValues(args, options),
      options,
      allowPositionals: true,
      strict: true,
    }) as { values: Record<string, unknown>; positionals: string[] };
  } catch (e) {
    // parseArgs throws TypeErrors with a code (ERR_PARSE_ARGS_UNKNOWN_OPTION, ...): user input.
    const message = e instanceof Error ? (e.message.split('\n')[0] ?? e.message) : String(e);
    return E.left(
      UsageError(`${message.replace(/\. To specify a positional argument.*$/, '')}${suggestion(e, options)}`),
    );
  }
  return E.map((pos: Raw) => ({ ...parsed.values, ...pos }))(placePositionals(d, parsed.positionals));
};

/**
 * Parses and decodes a command's arguments: every flag and positional by its declared type,
 * in declaration order (the common flags first); each wrong one is named once.
 */
export const decodeArgs = <D extends Declaration>(
  args: ReadonlyArray<string>,
  d: D,
  c: ArgContext,
): E.Either<UsageError, ArgsOf<D>> =>
  E.chain((given: Raw) => {
    // a command's own flag that is absent is read from its declared variable (option.ts)
    const fromEnv = Object.entries(d.options).flatMap(([key, o]) => {
      const v = given[key] === undefined ? declaredVar(o, c.env) : undefined;
      return v === undefined ? [] : [[key, o.multiple ? [v] : v] as const];
    });
    const raw: Raw = { ...given, ...Object.fromEntries(fromEnv) };
    const flag = ([key, o]: [string, Options[string]]) => [key, `--${key}`, o.decoder(c)] as const;
    const fields = [
      ...Object.entries(COMMON).map(flag),
      ...d.positionals.map((p) => [p.name, `<${p.name}>`, p.decoder(c)] as const),
      ...Object.entries(d.options).map(flag),
    ];
    const out: Raw = {};
    const wrong: string[] = [];
    for (const [key, name, decoder] of fields) {
      const r = decoder.decode(raw[key]);
      if (E.isRight(r)) out[key] = r.right;
      else
        wrong.push(
          `${name}: ${raw[key] === undefined ? 'is required' : (r.left[0]?.message ?? `expected ${decoder.name}`)}`,
        );
    }
    return wrong.length === 0 ? E.right(out as ArgsOf<D>) : E.left(UsageError(wrong.join('; ')));
  })(parseRaw(args, d));
