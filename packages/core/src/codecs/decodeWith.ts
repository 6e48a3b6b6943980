import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';

// ---------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------

export interface DecodeError {
  readonly _tag: 'DecodeError';
  /** One line: `invalid <Codec>: <path>: expected <X>, got <value>; ...` */
  readonly message: string;
  readonly errors: t.Errors;
}

export const DecodeError = (message: string, errors: t.Errors): DecodeError => ({
  _tag: 'DecodeError',
  message,
  errors,
});

export const isDecodeError = (u: unknown): u is DecodeError =>
  typeof u === 'object' && u !== null && (u as { _tag?: unknown })._tag === 'DecodeError';

// ---------------------------------------------------------------------------
// reporter
// ---------------------------------------------------------------------------

const SKIP_PARENT = new Set(['UnionType', 'IntersectionType']);
const SENSITIVE_KEY = /authorization|cookie|secret|token|signature|password|api-?key|auth/i;
const MAX_VALUE_CHARS = 80;
/** The reason stays one short line: at most this many failing paths, each path this long. */
const MAX_SHOWN_PATHS = 10;
const MAX_PATH_CHARS = 200;

/** The `_tag` of a codec, looking through `withDefault` wrappers (they add no path segment). */
const tagOf = (d: t.Decoder<unknown, unknown>): string | undefined => {
  const tagged = d as { _tag?: string; inner?: t.Decoder<unknown, unknown> };
  return tagged._tag === 'DefaultType' && tagged.inner !== undefined ? tagOf(tagged.inner) : tagged._tag;
};

/** `.headers.X-Foo`, `.items[2]`; union/intersection member indexes are not part of the path. */
export const pathOf = (context: t.Context): string => {
  let path = '';
  for (let i = 1; i < context.length; i++) {
    const entry = context[i];
    const parent = context[i - 1];
    if (entry === undefined || parent === undefined) continue;
    const parentTag = tagOf(parent.type);
    if (parentTag !== undefined && SKIP_PARENT.has(parentTag)) continue;
    path += parentTag === 'ArrayType' || parentTag === 'TupleType' ? `[${entry.key}]` : `.${entry.key}`;
  }
  return path === '' ? '(root)' : path;
};

const scrub = (s: string): string => s.replace(/\/\/[^/@\s]*@/g, '//[REDACTED]@');

/** Bounds of a value the reporter prints whole: deeper or larger values are only described. */
const MAX_SHOWN_DEPTH = 32;
const MAX_SHOWN_NODES = 1_000;

/**
 * Null when `value` is within the bounds, else a short description. Iterative and bounded
 * (visits at most MAX_SHOWN_NODES nodes), so a hostile body (a 1 MiB nested array) can never
 * overflow the stack in JSON.stringify or Array.prototype.toString.
 */
const tooBigToShow = (value: unknown): string | null => {
  if (typeof value !== 'object' || value === null) return null;
  const stack: Array<[unknown, number]> = [[value, 1]];
  let nodes = 0;
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v !== 'object' || v === null) continue;
    nodes++;
    const kind = Array.isArray(v) ? 'array' : 'object';
    if (depth > MAX_SHOWN_DEPTH) return `(${kind} nested deeper than ${MAX_SHOWN_DEPTH} levels)`;
    if (nodes > MAX_SHOWN_NODES) return `(${kind} with more than ${MAX_SHOWN_NODES} nested values)`;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return null;
};

export const showValue = (path: string, value: unknown): string => {
  if (value === undefined) return 'undefined';
  if (SENSITIVE_KEY.test(path) && typeof value !== 'object') return '[REDACTED]';
  const tooBig = tooBigToShow(value);
  if (tooBig !== null) return tooBig;
  let s: string;
  try {
    s = JSON.stringify(value) ?? String(value);
  } catch {
    s = typeof value === 'object' ? '(unprintable value)' : String(value);
  }
  s = scrub(s);
  return s.length > MAX_VALUE_CHARS ? `${s.slice(0, MAX_VALUE_CHARS)}…` : s;
};

const expectedOf = (error: t.ValidationError): string => {
  if (error.message !== undefined) return error.message.replace(/^expected /, '');
  const last = error.context[error.context.length - 1];
  return last === undefined ? 'unknown' : last.type.name;
};

/** One line listing each failing path with what was expected and the offending value. */
export const formatErrors = (name: string, errors: t.Errors): string => {
  const byPath = new Map<string, { expected: string[]; value: unknown }>();
  for (const error of errors) {
    const path = pathOf(error.context);
    const entry = byPath.get(path) ?? { expected: [], value: error.value };
    const expected = expectedOf(error);
    if (!entry.expected.includes(expected)) entry.expected.push(expected);
    byPath.set(path, entry);
  }
  const shown = [...byPath].slice(0, MAX_SHOWN_PATHS);
  const parts = shown.map(
    ([path, { expected, value }]) =>
      `${path.length > MAX_PATH_CHARS ? `${path.slice(0, MAX_PATH_CHARS)}…` : path}: expected ${expected.join(' or ')}, got ${showValue(path, value)}`,
  );
  const more = byPath.size - shown.length;
  return `invalid ${name}: ${parts.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
};

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

/** Decode `value` with `codec`; failures become a `DecodeError` with a one-line message. */
export const decodeWith = <A, O>(codec: t.Type<A, O, unknown>, value: unknown): E.Either<DecodeError, A> => {
  const result = codec.decode(value);
  return E.isRight(result)
    ? E.right(result.right)
    : E.left(DecodeError(formatErrors(codec.name, result.left), result.left));
};
