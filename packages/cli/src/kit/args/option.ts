import * as t from 'io-ts';

// One declaration per flag: its name (the key it is declared under), its type (an io-ts
// decoder of the raw string, or of true for a switch), its default, the variable it stands
// for and its help line. The parseArgs spec, the decoded arguments' type and the help text
// are all made from it (declaration.ts, parse.ts, usage.ts), so a flag cannot be accepted
// without being typed and documented, or documented without being accepted.

/**
 * What decoders may depend on: the command's clock and display zone (`--since -1h`, `--since
 * 10:00`), and the environment a flag's declared variable is read from when the flag is absent.
 */
export type ArgContext = {
  readonly now: Date;
  readonly zone: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
};

// An io-ts type of the raw value (string, or true for a switch; undefined when absent).
type Codec<A> = t.Type<A, unknown, unknown>;
type CodecOf<A> = Codec<A> | ((c: ArgContext) => Codec<A>);

export type Option<A> = {
  readonly kind: 'string' | 'boolean';
  /** Repeatable (`--message a --message b`): decoded as an array. */
  readonly multiple: boolean;
  readonly short: string | undefined;
  /** The value's placeholder in help (`N`, `TIME`, `oldest|newest`); '' for a switch. */
  readonly value: string;
  readonly help: string;
  /**
   * The variable the flag stands for, said in help. A command's own flag is read from it when
   * absent (a blank variable is absent), decoded by the flag's type (parse.ts); the common
   * flags' variables are read by their own readers (configuration, zone, pager).
   */
  readonly env: string | undefined;
  /** The default said in help (`50`, `1h`) when the flag's absence means a value. */
  readonly defaultText: string | undefined;
  /** Absent from the synopsis (an alias the help text names): still in the options list. */
  readonly inSynopsis: boolean;
  /** Decodes the raw value (undefined when absent). */
  readonly decoder: (c: ArgContext) => Codec<A>;
};

/** A positional argument: decoded like a flag, named `<name>` in errors. */
export type Positional<A, N extends string = string> = {
  readonly name: N;
  readonly optional: boolean;
  readonly decoder: (c: ArgContext) => Codec<A>;
};

type Meta = {
  readonly value: string;
  readonly help: string;
  readonly short?: string;
  readonly env?: string;
  /** Said in help only: the command applies it (the decoded value stays `undefined`). */
  readonly defaultText?: string;
  readonly inSynopsis?: boolean;
};

/** The flag's declared variable in `env`, trimmed; undefined when it has none, or it is unset or blank. */
export const declaredVar = (
  o: { readonly env: string | undefined },
  env: Readonly<Record<string, string | undefined>> | undefined,
): string | undefined => {
  const v = o.env === undefined ? undefined : env?.[o.env]?.trim();
  return v === '' ? undefined : v;
};

const contextual = <A>(d: CodecOf<A>): ((c: ArgContext) => Codec<A>) => (d instanceof t.Type ? () => d : d);

/** `undefined` decodes as `fallback`, anything else with `c`. */
const orElse = <A, B>(c: Codec<A>, fallback: B): Codec<A | B> =>
  new t.Type<A | B, unknown, unknown>(
    c.name,
    (u): u is A | B => u === fallback || c.is(u),
    (u, ctx) => (u === undefined ? t.success(fallback) : c.validate(u, ctx)),
    t.identity,
  );

const base = (m: Meta) => ({
  short: m.short,
  value: m.value,
  help: m.help,
  env: m.env,
  defaultText: m.defaultText,
  inSynopsis: m.inSynopsis ?? true,
});

/** `--name VALUE`, optional: absent is `undefined`, or `default` when one is given (and said in help). */
export function option<A>(d: CodecOf<A>, m: Meta & { readonly default: A }): Option<A>;
export function option<A>(d: CodecOf<A>, m: Meta & { readonly defaultFrom: (c: ArgContext) => A }): Option<A>;
export function option<A>(d: CodecOf<A>, m: Meta): Option<A | undefined>;
export function option<A>(
  d: CodecOf<A>,
  m: Meta & { readonly default?: A; readonly defaultFrom?: (c: ArgContext) => A },
): Option<A | undefined> {
  const dec = contextual(d);
  const said = m.default === undefined ? m.defaultText : String(m.default);
  return {
    kind: 'string',
    multiple: false,
    ...base({ ...m, ...(said === undefined ? {} : { defaultText: said }) }),
    decoder: (c) => orElse(dec(c), m.defaultFrom === undefined ? m.default : m.defaultFrom(c)),
  };
}

/** `--name VALUE` that must be given. */
export const required = <A>(d: CodecOf<A>, m: Meta): Option<A> => ({
  kind: 'string',
  multiple: false,
  ...base(m),
  decoder: contextual(d),
});

/** `--name VALUE`, repeatable (`--message a --message b`): absent is `undefined`. */
export const list = <A>(d: CodecOf<A>, m: Meta): Option<ReadonlyArray<A> | undefined> => {
  const dec = contextual(d);
  return { kind: 'string', multiple: true, ...base(m), decoder: (c) => orElse(t.readonlyArray(dec(c)), undefined) };
};

/** `--name`, a switch: `true` when given, else `undefined`. */
export const flag = (m: Omit<Meta, 'value'>): Option<boolean | undefined> => ({
  kind: 'boolean',
  multiple: false,
  ...base({ ...m, value: '' }),
  decoder: () => orElse(t.boolean, undefined),
});

/** `<name>`, required. */
export const positional = <const N extends string, A>(name: N, d: CodecOf<A>): Positional<A, N> => ({
  name,
  optional: false,
  decoder: contextual(d),
});

/** `[<name>]`: `undefined` when absent. */
export const optionalPositional = <const N extends string, A>(name: N, d: CodecOf<A>): Positional<A | undefined, N> => {
  const dec = contextual(d);
  return { name, optional: true, decoder: (c) => orElse(dec(c), undefined) };
};

// biome-ignore lint/suspicious/noExplicitAny: a record of options of any value type
export type AnyOption = Option<any>;
export type Options = Readonly<Record<string, AnyOption>>;
// biome-ignore lint/suspicious/noExplicitAny: a list of positionals of any value type
export type AnyPositional = Positional<any>;
