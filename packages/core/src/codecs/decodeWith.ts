import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { scrubText } from '../redaction/freeText.js';
import { REDACTED } from '../redaction/names.js';
import { defaultSecretPolicy, isSecretKey } from '../redaction/policy.js';
import { analyzeUrl } from '../redaction/url.js';
import { escapeUnsafeInJson } from '../display/displayJson.js';
import { displayLine } from '../display/displayText.js';

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
const MAX_VALUE_CHARS = 80;
const MAX_KEY_CHARS = 40;
const MAX_PATHS = 8;
/** A reason stays one readable line, far below a log line's budget. */
const MAX_MESSAGE_CHARS = 1_000;
const SHOW_DEPTH = 2;
const SHOW_ENTRIES = 5;

/**
 * The `_tag` of a codec, looking through `withDefault` and `t.exact` wrappers (they add no
 * path segment; an exact intersection's members are then skipped like any intersection's).
 */
const tagOf = (d: t.Decoder<unknown, unknown>): string | undefined => {
  const tagged = d as { _tag?: string; inner?: t.Decoder<unknown, unknown>; type?: t.Decoder<unknown, unknown> };
  if (tagged._tag === 'DefaultType' && tagged.inner !== undefined) return tagOf(tagged.inner);
  if (tagged._tag === 'ExactType' && tagged.type !== undefined) return tagOf(tagged.type);
  return tagged._tag;
};

const cut = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max)}…` : s);

/** `.headers.X-Foo`, `.items[2]`; union/intersection member indexes are not part of the path. */
export const pathOf = (context: t.Context): string => {
  let path = '';
  for (let i = 1; i < context.length; i++) {
    const entry = context[i];
    const parent = context[i - 1];
    if (entry === undefined || parent === undefined) continue;
    const parentTag = tagOf(parent.type);
    if (parentTag !== undefined && SKIP_PARENT.has(parentTag)) continue;
    const key = cut(scrubText(entry.key, defaultSecretPolicy), MAX_KEY_CHARS);
    path += parentTag === 'ArrayType' || parentTag === 'TupleType' ? `[${key}]` : `.${key}`;
  }
  return path === '' ? '(root)' : path;
};

const lastKey = (path: string): string => /([^.[\]]+)\]?$/.exec(path)?.[1] ?? '';

/** A string as it may be shown: a URL redacted by the policy (kept verbatim without secrets), then the free-text scrub. */
const showString = (s: string): string => {
  const head = s.slice(0, 4 * MAX_VALUE_CHARS);
  const isUrl = /^[a-z][a-z0-9+.-]*:/i.test(head) && URL.canParse(head);
  const url = isUrl ? analyzeUrl(head, defaultSecretPolicy) : null;
  // an opaque "URL" (`localhost:8000`, no `//`) has no parts to judge: the free-text scrub below does
  const shownUrl = url === null || url.secrets.length === 0 ? head : url.redacted;
  return scrubText(shownUrl, defaultSecretPolicy);
};

/** A bounded, redacted copy of a value (keys under the policy's credential names redacted). */
const shown = (value: unknown, depth: number): unknown => {
  if (typeof value === 'string') return showString(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= SHOW_DEPTH) return Array.isArray(value) ? `[array(${value.length})]` : '[object]';
  if (Array.isArray(value)) return value.slice(0, SHOW_ENTRIES).map((v) => shown(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .slice(0, SHOW_ENTRIES)
      .map(([k, v]) => [
        cut(scrubText(k, defaultSecretPolicy), MAX_KEY_CHARS),
        isSecretKey(defaultSecretPolicy, k) ? REDACTED : shown(v, depth + 1),
      ]),
  );
};

/** The offending value for a reason: redacted by the secret policy, bounded in size and depth. */
export const showValue = (path: string, value: unknown): string => {
  if (value === undefined) return 'undefined';
  if (isSecretKey(defaultSecretPolicy, lastKey(path))) return REDACTED;
  let s: string;
  try {
    const json = JSON.stringify(shown(value, 0));
    s = json === undefined ? displayLine(String(value)) : escapeUnsafeInJson(json);
  } catch {
    s = typeof value;
  }
  return cut(s, MAX_VALUE_CHARS);
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
  const parts = [...byPath]
    .slice(0, MAX_PATHS)
    .map(
      ([path, { expected, value }]) =>
        `${path}: expected ${cut(expected.join(' or '), 200)}, got ${showValue(path, value)}`,
    );
  const more = byPath.size > MAX_PATHS ? `; and ${byPath.size - MAX_PATHS} more` : '';
  return cut(`invalid ${name}: ${parts.join('; ')}${more}`, MAX_MESSAGE_CHARS);
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
