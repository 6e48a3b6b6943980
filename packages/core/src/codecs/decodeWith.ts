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

export const showValue = (path: string, value: unknown): string => {
  if (value === undefined) return 'undefined';
  if (SENSITIVE_KEY.test(path) && typeof value !== 'object') return '[REDACTED]';
  let s: string;
  try {
    s = JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
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
  const parts = [...byPath].map(
    ([path, { expected, value }]) => `${path}: expected ${expected.join(' or ')}, got ${showValue(path, value)}`,
  );
  return `invalid ${name}: ${parts.join('; ')}`;
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
