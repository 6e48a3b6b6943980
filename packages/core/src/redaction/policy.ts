import * as E from 'fp-ts/lib/Either.js';
import {
  isHarmlessCodeValue,
  KEEP_RESPONSE_HEADERS,
  SECRET_HEADER_NAMES,
  SECRET_HEADER_PARTS,
  SECRET_HEADER_WORDS,
  SECRET_KEY_QUALIFIERS,
  SECRET_PARAM_NAMES,
  SECRET_PARAM_PARTS,
  SECRET_PARAM_WORDS,
} from './names.js';
import { PROVIDER_PATH_RULES, type PathRule, parsePathTemplate } from './paths.js';

// ---------------------------------------------------------------------------
// model: the ONE secret policy (invariant 9). Built-in lists plus the operator's settings;
// every redaction (request, response, logs) and `dh verify` ask these functions.
// ---------------------------------------------------------------------------

/** The four DELIVERY_* settings, each a comma-separated list. */
export interface SecretSettings {
  /** DELIVERY_REDACT_HEADERS: more header names (`*` wildcards allowed). */
  readonly redactHeaders: ReadonlyArray<string>;
  /** DELIVERY_REDACT_PARAMS: more query / matrix parameter names (`*` wildcards allowed). */
  readonly redactParams: ReadonlyArray<string>;
  /** DELIVERY_REDACT_PATHS: path templates (see paths.ts). */
  readonly redactPaths: ReadonlyArray<string>;
  /** DELIVERY_KEEP_RESPONSE_HEADERS: more response headers to store. */
  readonly keepResponseHeaders: ReadonlyArray<string>;
}

export interface SecretPolicy {
  readonly extraHeaders: ReadonlyArray<RegExp>;
  readonly extraParams: ReadonlyArray<RegExp>;
  readonly pathRules: ReadonlyArray<PathRule>;
  readonly keepResponseHeaders: ReadonlySet<string>;
}

export const NO_SECRET_SETTINGS: SecretSettings = {
  redactHeaders: [],
  redactParams: [],
  redactPaths: [],
  keepResponseHeaders: [],
};

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

const globToRegExp = (glob: string): RegExp =>
  new RegExp(
    `^${glob
      .trim()
      .toLowerCase()
      .split('*')
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );

/** Settings -> policy; a bad path template is a Left naming it. */
export const makeSecretPolicy = (settings: SecretSettings): E.Either<string, SecretPolicy> => {
  const rules: PathRule[] = [];
  for (const t of settings.redactPaths) {
    const r = parsePathTemplate(t);
    if (E.isLeft(r)) return r;
    rules.push(r.right);
  }
  return E.right({
    extraHeaders: settings.redactHeaders.map(globToRegExp),
    extraParams: settings.redactParams.map(globToRegExp),
    // the operator's own shapes first: they are the more specific ones
    pathRules: [...rules, ...PROVIDER_PATH_RULES],
    keepResponseHeaders: new Set([
      ...KEEP_RESPONSE_HEADERS,
      ...settings.keepResponseHeaders.map((h) => h.trim().toLowerCase()),
    ]),
  });
};

/** The built-in policy (no settings). */
export const defaultSecretPolicy: SecretPolicy = {
  extraHeaders: [],
  extraParams: [],
  pathRules: PROVIDER_PATH_RULES,
  keepResponseHeaders: new Set(KEEP_RESPONSE_HEADERS),
};

const list = (s: string | undefined): string[] =>
  (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');

const NAME_GLOB = /^[!#$%&'*+\-.^_`|~0-9A-Za-z[\]]+$/;

/** The four variables from an environment map (unset = empty list); Left names a bad entry. */
export const secretSettingsFromEnv = (
  env: Readonly<Record<string, string | undefined>>,
): E.Either<string, SecretSettings> => {
  const settings: SecretSettings = {
    redactHeaders: list(env.DELIVERY_REDACT_HEADERS),
    redactParams: list(env.DELIVERY_REDACT_PARAMS),
    redactPaths: list(env.DELIVERY_REDACT_PATHS),
    keepResponseHeaders: list(env.DELIVERY_KEEP_RESPONSE_HEADERS),
  };
  const bad = [
    ...settings.redactHeaders.map((n) => ['DELIVERY_REDACT_HEADERS', n] as const),
    ...settings.redactParams.map((n) => ['DELIVERY_REDACT_PARAMS', n] as const),
    ...settings.keepResponseHeaders.map((n) => ['DELIVERY_KEEP_RESPONSE_HEADERS', n] as const),
  ].find(([, n]) => !NAME_GLOB.test(n));
  if (bad !== undefined) return E.left(`${bad[0]}: ${JSON.stringify(bad[1].slice(0, 60))} is not a name`);
  const keepsSecret = settings.keepResponseHeaders.find((h) => isSecretHeader(defaultSecretPolicy, h));
  if (keepsSecret !== undefined)
    return E.left(`DELIVERY_KEEP_RESPONSE_HEADERS: ${keepsSecret} is a credential header and is never stored`);
  const badPath = settings.redactPaths.map(parsePathTemplate).find(E.isLeft);
  return badPath === undefined ? E.right(settings) : E.left(`DELIVERY_REDACT_PATHS: ${badPath.left}`);
};

/** secretSettingsFromEnv then makeSecretPolicy. */
export const secretPolicyFromEnv = (
  env: Readonly<Record<string, string | undefined>>,
): E.Either<string, SecretPolicy> => E.chain(makeSecretPolicy)(secretSettingsFromEnv(env));

// ---------------------------------------------------------------------------
// operations: names
// ---------------------------------------------------------------------------

const HEADER_EXACT: ReadonlySet<string> = new Set(SECRET_HEADER_NAMES);
const PARAM_EXACT: ReadonlySet<string> = new Set(SECRET_PARAM_NAMES);

const wordsOf = (name: string): string[] =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_.\-[\]]+/)
    .filter((w) => w !== '');

const hasQualifiedKey = (words: ReadonlyArray<string>): boolean =>
  words.some((w, i) => w === 'key' && i > 0 && SECRET_KEY_QUALIFIERS.has(words[i - 1] ?? ''));

/** Whether a header's value is a credential (case-insensitive). */
export const isSecretHeader = (policy: SecretPolicy, name: string): boolean => {
  const lower = name.trim().toLowerCase();
  if (HEADER_EXACT.has(lower) || SECRET_HEADER_PARTS.test(lower)) return true;
  const words = wordsOf(lower);
  return (
    words.some((w) => SECRET_HEADER_WORDS.has(w)) ||
    hasQualifiedKey(words) ||
    policy.extraHeaders.some((re) => re.test(lower))
  );
};

/**
 * Whether a query or matrix parameter's value is a credential. `name` is matched decoded
 * and lower-cased: exact names, words (camelCase, `_`, `-`, `.`), parts; `code` unless its
 * `value` is a 1-3 digit number (see names.ts).
 */
export const isSecretParam = (policy: SecretPolicy, name: string, value?: string): boolean => {
  const lower = name.trim().toLowerCase();
  if (lower === 'code') return value === undefined || !isHarmlessCodeValue(value);
  return (
    PARAM_EXACT.has(lower) ||
    SECRET_PARAM_PARTS.test(lower) ||
    wordsOf(name).some((w) => SECRET_PARAM_WORDS.has(w)) ||
    hasQualifiedKey(wordsOf(name)) ||
    policy.extraParams.some((re) => re.test(lower))
  );
};

/** A log attribute or JSON key that holds a credential (header or parameter rule, `code` aside). */
export const isSecretKey = (policy: SecretPolicy, key: string): boolean =>
  key.trim().toLowerCase() !== 'code' && (isSecretHeader(policy, key) || isSecretParam(policy, key));

/** Whether a response header is stored (allow-list); credential headers never are. */
export const keepsResponseHeader = (policy: SecretPolicy, name: string): boolean => {
  const lower = name.trim().toLowerCase();
  return policy.keepResponseHeaders.has(lower) && !isSecretHeader(policy, lower);
};
