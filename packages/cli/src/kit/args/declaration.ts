import type { COMMON } from './common.js';
import type { AnyOption, AnyPositional, Option, Options, Positional } from './option.js';

// A command's declaration: its name, positionals, flags (option.ts) and help prose. The
// parser (parse.ts), the decoded arguments' type (ArgsOf) and the help text (usage.ts) are
// made from it; nothing about a flag is written anywhere else.

export type Declaration<
  O extends Options = Options,
  P extends ReadonlyArray<AnyPositional> = ReadonlyArray<AnyPositional>,
> = {
  /** `history`, `replay redrive`, `endpoints pause`. */
  readonly name: string;
  readonly positionals: P;
  /** The command's own flags (the common ones come with every command: common.ts). */
  readonly options: O;
  /**
   * The synopsis after `dh <name>` when the flags have a shape the default does not show
   * (`(--since TIME | --cursor C)`, `[--attempt N [--no-body]]`); a declared flag it does not
   * name is added after it as `[--flag VALUE]`, so a new flag is never left out.
   */
  readonly synopsis?: string;
  readonly about: string;
  readonly examples: ReadonlyArray<string>;
};

type ValueOf<X> = X extends Option<infer A> ? A : X extends Positional<infer A> ? A : never;

type PositionalsOf<P extends ReadonlyArray<AnyPositional>> = {
  readonly [K in P[number] as K['name']]: ValueOf<K>;
};

/** Decoded flags: one key per flag, as typed (`dry-run`). */
export type ValuesOf<O extends Options> = { readonly [K in keyof O]: ValueOf<O[K]> };

/** The decoded arguments of a declaration: the common flags, its own flags and its positionals. */
export type ArgsOf<D> =
  D extends Declaration<infer O, infer P> ? ValuesOf<typeof COMMON> & ValuesOf<O> & PositionalsOf<P> : never;

/** Declares a command (the literal types of its names are kept for ArgsOf). */
export const declare = <const O extends Options, const P extends ReadonlyArray<AnyPositional>>(
  d: Declaration<O, P>,
): Declaration<O, P> => d;

/** Flags shared by several commands: one declaration, spread into each command's options. */
export const flags = <const O extends Readonly<Record<string, AnyOption>>>(o: O): O => o;
