import * as E from 'fp-ts/lib/Either.js';
import { instantOfWall, offsetMinutes } from '../format/zone.js';
import { parseTime } from './timeArg.js';

// What --since/--until accept, on top of parseTime (ISO, relative, now): compound relative
// times (-1d2h), today, yesterday, a time of day (10:00, today), a day and a time of day
// (yesterday 10:00), epoch seconds (or ms), and
// zone-less ISO read in the display zone (--tz/TZ, UTC by default). Errors say what is wrong.

export const TIME_INPUT_HELP =
  'ISO-8601 time (2025-05-01T10:00Z), relative (-1h, -1d2h), now, today, yesterday, a time of day (10:00, yesterday 10:00) or epoch seconds';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const COMPOUND = /^([+-]?)((?:\d+(?:\.\d+)?[smhdw])+)$/;
const TIME_OF_DAY = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const ISO_PARTS = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const DAY_MS = 86_400_000;

/** Midnight (in `tz`) of the day `now` is in, `daysBack` days earlier. */
const startOfDay = (now: Date, tz: string, daysBack: number): Date => {
  const local = new Date(now.getTime() + offsetMinutes(tz, now.getTime()) * 60_000);
  const midnight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - daysBack * DAY_MS;
  return new Date(instantOfWall(tz, midnight));
};

const compound = (sign: string, body: string, now: Date): Date => {
  let ms = 0;
  for (const m of body.matchAll(/(\d+(?:\.\d+)?)([smhdw])/g)) ms += Number(m[1]) * (UNIT_MS[m[2] ?? 's'] ?? 1000);
  return new Date(now.getTime() + (sign === '+' ? ms : -ms));
};

/** A precise complaint about an ISO-looking value, or null when its fields are in range. */
const isoFieldError = (m: RegExpExecArray): string | null => {
  const [, , mo, d, h, mi, s] = m;
  const month = Number(mo);
  if (month < 1 || month > 12) return `month ${month}`;
  const day = Number(d);
  const year = Number(m[1]);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const max = month === 2 && !leap ? 28 : (DAYS_IN_MONTH[month - 1] ?? 31);
  if (day < 1 || day > max) return `day ${day} (month ${month} has ${max})`;
  if (h !== undefined && Number(h) > 23) return `hour ${Number(h)}`;
  if (mi !== undefined && Number(mi) > 59) return `minute ${Number(mi)}`;
  if (s !== undefined && Number(s) > 59) return `second ${Number(s)}`;
  return null;
};

const zonelessIso = (m: RegExpExecArray, tz: string): Date => {
  const [, y, mo, d, h, mi, s, frac] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
  return new Date(instantOfWall(tz, wall) + Math.round(Number(frac ?? 0) * 1000));
};

const DAY_WORDS: Readonly<Record<string, number>> = { today: 0, yesterday: 1 };

/** `HH:MM[:SS]` as ms after midnight; null when not that shape; a Left when out of range. */
const timeOfDay = (text: string, input: string): E.Either<string, number> | null => {
  const tod = TIME_OF_DAY.exec(text);
  if (tod === null) return null;
  const [, h, mi, sec] = tod;
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec ?? 0) > 59) return E.left(`no such time of day "${input}"`);
  return E.right((Number(h) * 3600 + Number(mi) * 60 + Number(sec ?? 0)) * 1000);
};

/**
 * `today`, `yesterday`, either followed by a time of day (`yesterday 10:00`), a time of day
 * alone (today), `-1d2h`-style offsets; undefined when none of them.
 */
const parseWords = (input: string, s: string, now: Date, tz: string): E.Either<string, Date> | undefined => {
  const rel = COMPOUND.exec(s);
  if (rel !== null) return E.right(compound(rel[1] ?? '', rel[2] ?? '', now));
  const [first = '', second, ...rest] = s.split(/\s+/);
  const daysBack = Object.hasOwn(DAY_WORDS, first) ? (DAY_WORDS[first] ?? 0) : null;
  if (rest.length > 0 || (daysBack === null && second !== undefined)) return undefined;
  if (daysBack !== null && second === undefined) return E.right(startOfDay(now, tz, daysBack));
  const ms = timeOfDay(daysBack === null ? first : (second ?? ''), input);
  if (ms === null) return daysBack === null ? undefined : E.left(`no such time of day "${input}"`);
  return E.map((m: number) => new Date(startOfDay(now, tz, daysBack ?? 0).getTime() + m))(ms);
};

/** Epoch seconds (9-10 digits) or milliseconds (12-13 digits); undefined otherwise. */
const parseEpoch = (s: string): E.Either<string, Date> | undefined => {
  if (/^\d{9,10}$/.test(s)) return E.right(new Date(Number(s) * 1000));
  if (/^\d{12,13}$/.test(s)) return E.right(new Date(Number(s)));
  return undefined;
};

/** A --since/--until value as an instant. */
export const parseTimeInput = (input: string, now: Date, tz: string): E.Either<string, Date> => {
  const s = input.trim().toLowerCase();
  const simple = parseWords(input, s, now, tz) ?? parseEpoch(s);
  if (simple !== undefined) return simple;
  const iso = ISO_PARTS.exec(input.trim());
  if (iso !== null) {
    const wrong = isoFieldError(iso);
    if (wrong !== null) return E.left(`${wrong} in "${input}" is out of range`);
    if (iso[8] === undefined) return E.right(zonelessIso(iso, tz));
  }
  const base = parseTime(input, now);
  return E.isRight(base) ? base : E.left(`expected ${TIME_INPUT_HELP}, got "${input}"`);
};
