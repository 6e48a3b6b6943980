import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { HttpUrl } from '../codecs/primitives.js';

// ---------------------------------------------------------------------------
// Codecs of environment values. A variable's codec receives its trimmed value, or
// `undefined` when it is absent (readEnv applies the blank rule first). Each codec's
// `name` is what an error prints after "expected".
// ---------------------------------------------------------------------------

/** A string codec by one predicate (`name` is what an error prints after "expected"). */
export const rule = (name: string, ok: (s: string) => boolean): t.Type<string, string, unknown> =>
  new t.Type<string, string, unknown>(
    name,
    (u): u is string => typeof u === 'string' && ok(u),
    (u, c) => (typeof u === 'string' && ok(u) ? t.success(u) : t.failure(u, c)),
    t.identity,
  );

const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/** DynamoDB's rule for a table name: 3..255 characters of `[A-Za-z0-9_.-]`. */
export const isTableName = (s: string): boolean => TABLE_NAME.test(s);

export const TableName = rule('DynamoDB table name (3..255 chars of [A-Za-z0-9_.-])', isTableName);

// The SDK accepts a region that is a valid host label; reject anything else at start-up.
const HOST_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

export const AwsRegion = rule('AWS region (1..63 letters, digits or inner hyphens)', (s) => HOST_LABEL.test(s));

const EVENT_BUS = /^(arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/)?[A-Za-z0-9._\-/]{1,256}$/;

/** An EventBridge bus: its name (`[A-Za-z0-9._-/]`, 1..256) or its ARN. */
export const EventBusName = rule('EventBridge bus name or ARN', (s) => EVENT_BUS.test(s));

/** An endpoint or queue URL: absolute http: or https: with a host, checked with `URL`. */
export const EndpointUrl = HttpUrl;

/** Any value (the blank rule already made a blank one absent). */
export const AnyString = rule('string', () => true);

/** A decimal integer in [min, max]; `unit` is shown in errors (`integer 100..900000 (ms)`). */
export const intString = (min: number, max: number, unit?: string): t.Type<number, string, unknown> =>
  new t.Type<number, string, unknown>(
    `integer ${min}..${max}${unit === undefined ? '' : ` (${unit})`}`,
    (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= min && u <= max,
    (u, c) => {
      if (typeof u !== 'string' || !/^-?\d+$/.test(u)) return t.failure(u, c);
      const n = Number(u);
      return n >= min && n <= max ? t.success(n) : t.failure(u, c);
    },
    String,
  );

/** A value read by a package's own parser (`Left` is the reason, printed with `name`). */
export const parsedString = <A>(name: string, parse: (s: string) => E.Either<string, A>): t.Type<A, unknown, unknown> =>
  new t.Type<A, unknown, unknown>(
    name,
    (_u): _u is A => false,
    (u, c) => {
      if (typeof u !== 'string') return t.failure(u, c);
      const r = parse(u);
      return E.isRight(r) ? t.success(r.right) : t.failure(u, c, `${name} (${r.left})`);
    },
    () => undefined,
  );

/** Absent -> `undefined`; present -> `codec` (errors name only `codec`). */
export const optionalVar = <A, O>(codec: t.Type<A, O, unknown>): t.Type<A | undefined, O | undefined, unknown> =>
  new t.Type<A | undefined, O | undefined, unknown>(
    codec.name,
    (u): u is A | undefined => u === undefined || codec.is(u),
    (u, c) => (u === undefined ? t.success(undefined) : codec.validate(u, c)),
    (a) => (a === undefined ? undefined : codec.encode(a)),
  );
