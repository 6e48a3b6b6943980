import type * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { type DecodeError, decodeWith } from '../codecs/decodeWith.js';

// ---------------------------------------------------------------------------
// The one environment reader. A package declares its variables as a record of codecs
// (shared rules from `sharedVars`, its own defaults with `withDefault` / `optionalVar`)
// and reads them once at start-up. One blank rule for every variable: unset, empty and
// whitespace-only are all "absent" (deploy tools often write ''); a present value is
// trimmed. A failure is a `DecodeError` whose one-line message names every bad variable
// with its value (bounded, and redacted for secret-looking names) and what was expected.
// ---------------------------------------------------------------------------

export type EnvSource = Readonly<Record<string, string | undefined>>;

/** A record of variable codecs: the key is the variable's name. */
export type EnvVars = t.Props;

export type EnvOf<V extends EnvVars> = t.TypeOf<t.TypeC<V>>;

export type EnvReader<A> = (env: EnvSource) => E.Either<DecodeError, A>;

/** The blank rule: `undefined` for an unset, empty or whitespace-only value, else the trimmed value. */
export const envValue = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
};

/** The declared variables that are present, trimmed. */
const presentVars = (env: EnvSource, names: ReadonlyArray<string>): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const name of names) {
    const v = envValue(env[name]);
    if (v !== undefined) out[name] = v;
  }
  return out;
};

/** A reader of `vars` from an environment; `name` heads the error (`invalid <name>: ...`). */
export const readEnv = <V extends EnvVars>(name: string, vars: V): EnvReader<EnvOf<V>> => {
  const codec = t.type(vars, name);
  const names = Object.keys(vars);
  return (env) => decodeWith(codec, presentVars(env, names));
};
