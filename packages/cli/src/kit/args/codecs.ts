import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { isValidZone } from '../format/zone.js';
import { DURATION_HELP, parseDuration } from './timeArg.js';
import { parseTimeInput, TIME_INPUT_HELP } from './timeInput.js';

// io-ts codecs for command-line values (strings from node:util parseArgs). Each codec's
// name is what the error message says was expected.

const fromString = <A>(name: string, parse: (s: string) => E.Either<string, A>): t.Type<A, string, unknown> =>
  new t.Type<A, string, unknown>(
    name,
    (_u): _u is A => false,
    (u, c) => {
      if (typeof u !== 'string') return t.failure(u, c, `expected ${name}`);
      const r = parse(u);
      return E.isRight(r) ? t.success(r.right) : t.failure(u, c, r.left);
    },
    () => {
      throw new Error(`${name} is decode-only`);
    },
  );

/** An integer in [min, max] given as a string. */
export const IntArg = (min: number, max: number): t.Type<number, string, unknown> =>
  fromString(`integer ${min}..${max}`, (s) => {
    const n = Number(s);
    return /^\s*\d+\s*$/.test(s) && Number.isInteger(n) && n >= min && n <= max
      ? E.right(n)
      : E.left(`expected an integer ${min}..${max}, got "${s}"`);
  });

/** A time (ISO, relative to `now`, today, a time of day, epoch seconds; zone-less in the display zone). */
export const TimeArg = (now: Date, tz: string): t.Type<Date, string, unknown> =>
  fromString(TIME_INPUT_HELP, (s) => parseTimeInput(s, now, tz));

/** A command's time flag: read at its clock, in its display zone. */
export const timeArg = (c: { readonly now: Date; readonly zone: string }): t.Type<Date, string, unknown> =>
  TimeArg(c.now, c.zone);

/** An IANA time zone (`Europe/Paris`, `UTC`). */
export const ZoneArg = fromString('IANA time zone', (s) =>
  isValidZone(s.trim()) ? E.right(s.trim()) : E.left(`expected an IANA time zone (UTC, Europe/Paris), got "${s}"`),
);

/** A duration (`15m`, `1h`), in ms. */
export const DurationArg = fromString(DURATION_HELP, parseDuration);

const MESSAGE_ID = /^[A-Za-z0-9._:-]{1,200}$/;

export const MessageIdArg = fromString('message id', (s) =>
  MESSAGE_ID.test(s) ? E.right(s) : E.left(`expected a message id (1..200 chars of [A-Za-z0-9._:-]), got "${s}"`),
);

const HOST = /^[a-z0-9.-]+(?::\d{1,5})?$|^\[[0-9a-f:.]+\](?::\d{1,5})?$/;

/** An endpoint as stored (`host[:port]`, lower-cased); a URL is an error that says so. */
export const HostArg = fromString('host[:port]', (s) => {
  const lower = s.trim().toLowerCase();
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(lower)) {
    return E.left(`expected host[:port] (not a URL; for the DynamoDB endpoint use --endpoint-url), got "${s}"`);
  }
  return HOST.test(lower) ? E.right(lower) : E.left(`expected host[:port], got "${s}"`);
});

export const NonEmptyArg = fromString('non-empty text', (s) =>
  s.trim().length > 0 ? E.right(s.trim()) : E.left('expected non-empty text'),
);

/** http(s) URL (DynamoDB endpoint override). */
export const UrlArg = fromString('http(s) URL', (s) =>
  URL.canParse(s) && /^https?:$/.test(new URL(s).protocol) ? E.right(s) : E.left(`expected an http(s) URL, got "${s}"`),
);

export const ProgressMode = t.keyof({ auto: null, bar: null, lines: null, none: null }, 'auto|bar|lines|none');
export type ProgressMode = t.TypeOf<typeof ProgressMode>;
