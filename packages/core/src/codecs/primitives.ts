import * as t from 'io-ts';
import { codePointName, firstUnsafeChar } from './unsafeChar.js';

// ---------------------------------------------------------------------------
// Small reusable codecs. Their `name` is what the decode reporter prints after
// "expected", so names are written for humans ("integer 1..100", "http(s) URL").
// Decoded types stay plain (string/number), not branded, to keep consumers simple.
// ---------------------------------------------------------------------------

const refine = <A>(base: t.Type<A, A, unknown>, name: string, ok: (a: A) => boolean): t.Type<A, A, unknown> =>
  new t.Type<A, A, unknown>(
    name,
    (u): u is A => base.is(u) && ok(u),
    (u, c) => (base.is(u) && ok(u) ? t.success(u) : t.failure(u, c)),
    t.identity,
  );

/** An integer in [min, max] (either bound may be open with Infinity). */
export const intRange = (min: number, max: number, name?: string): t.Type<number, number, unknown> =>
  refine(
    t.number,
    name ?? (max === Number.POSITIVE_INFINITY ? `integer >= ${min}` : `integer ${min}..${max}`),
    (n) => Number.isInteger(n) && n >= min && n <= max,
  );

export const NonNegativeInt = intRange(0, Number.POSITIVE_INFINITY);
export const PositiveInt = intRange(1, Number.POSITIVE_INFINITY);

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** ISO-8601 UTC timestamp as produced by `Date.prototype.toISOString()`. */
export const IsoTimestamp = refine(
  t.string,
  'ISO-8601 UTC timestamp',
  (s) => ISO_UTC.test(s) && !Number.isNaN(Date.parse(s)),
);

const isHttpUrl = (s: string): boolean => {
  if (!URL.canParse(s)) return false;
  const u = new URL(s);
  return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0;
};

/** An absolute http: or https: URL with a host. */
export const HttpUrl = refine(t.string, 'http(s) URL', isHttpUrl);

const MESSAGE_ID = /^[A-Za-z0-9._:-]{1,200}$/;

/** 1..200 chars of `[A-Za-z0-9._:-]`. */
export const MessageId = refine(t.string, 'message id (1..200 chars of [A-Za-z0-9._:-])', (s) => MESSAGE_ID.test(s));

const CORRELATION_ID = 'correlation id';

/** Why `s` is not a correlation id (it reaches index keys, logs and every view), or null. */
const correlationIdProblem = (s: string): string | null => {
  if (s.length === 0) return 'non-empty';
  const unsafe = firstUnsafeChar(s);
  if (unsafe !== null)
    return `without control, bidi or zero-width characters (${codePointName(unsafe.char)} at index ${unsafe.index})`;
  return s.trim() === '' ? 'that is not only whitespace' : null;
};

/**
 * A producer's correlation id: non-empty, not only whitespace, no control, bidi or
 * zero-width character (`UNSAFE_CHAR`). The reason names the character by code point.
 */
export const CorrelationId = new t.Type<string, string, unknown>(
  CORRELATION_ID,
  (u): u is string => typeof u === 'string' && correlationIdProblem(u) === null,
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c);
    const problem = correlationIdProblem(u);
    return problem === null ? t.success(u) : t.failure(u, c, `expected ${CORRELATION_ID} ${problem}`);
  },
  t.identity,
);

/** Header-like map: string keys to string values. */
export const StringMap = t.record(t.string, t.string, 'string map');

export const nullable = <C extends t.Mixed>(codec: C): t.UnionC<[C, t.NullC]> =>
  t.union([codec, t.null], `${codec.name} | null`);

/** Decodes `undefined` (missing key) to `fallback`; other values go through `codec`. */
export class DefaultType<C extends t.Mixed> extends t.Type<t.TypeOf<C>, t.OutputOf<C>, unknown> {
  readonly _tag = 'DefaultType' as const;
  constructor(
    readonly inner: C,
    readonly fallback: t.TypeOf<C>,
  ) {
    super(inner.name, inner.is, (u, c) => (u === undefined ? t.success(fallback) : inner.validate(u, c)), inner.encode);
  }
}

export const withDefault = <C extends t.Mixed>(codec: C, fallback: t.TypeOf<C>): DefaultType<C> =>
  new DefaultType(codec, fallback);
