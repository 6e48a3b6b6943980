import * as E from 'fp-ts/lib/Either.js';

// Time arguments: ISO-8601 (`2024-05-01`, `2024-05-01T10:00:00Z`, with an offset), `now`, or
// relative to now: `-1h`, `2d` (both mean "ago"), `+30m` (ahead). Units: s m h d w.

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const RELATIVE = /^([+-]?)(\d+(?:\.\d+)?)\s*([smhdw])$/;
// A date, optionally a time; a time without a zone is read as UTC (operators paste log times).
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export const TIME_HELP = 'ISO-8601 time (2024-05-01T10:00:00Z) or relative (-1h, 2d, 30m, now)';

export const parseTime = (input: string, now: Date): E.Either<string, Date> => {
  const s = input.trim();
  if (s === 'now') return E.right(now);
  const rel = RELATIVE.exec(s);
  if (rel !== null) {
    const [, sign, amount, unit] = rel;
    const ms = Number(amount) * (UNIT_MS[unit ?? 's'] ?? 1000);
    return E.right(new Date(now.getTime() + (sign === '+' ? ms : -ms)));
  }
  const iso = ISO.exec(s);
  if (iso !== null) {
    const hasTime = s.length > 10;
    const utc = hasTime && iso[1] === undefined ? `${s.replace(' ', 'T')}Z` : s.replace(' ', 'T');
    const ms = Date.parse(hasTime ? utc : `${s}T00:00:00Z`);
    if (!Number.isNaN(ms)) return E.right(new Date(ms));
  }
  return E.left(`expected ${TIME_HELP}, got "${input}"`);
};

const DURATION = /^(\d+(?:\.\d+)?)\s*([smhdw])$/;

export const DURATION_HELP = 'a duration (30s, 15m, 1h, 2d, 1w)';

/** A non-negative duration in ms. */
export const parseDuration = (input: string): E.Either<string, number> => {
  const d = DURATION.exec(input.trim());
  if (d === null) return E.left(`expected ${DURATION_HELP}, got "${input}"`);
  const [, amount, unit] = d;
  return E.right(Math.round(Number(amount) * (UNIT_MS[unit ?? 's'] ?? 1000)));
};
