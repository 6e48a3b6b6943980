import { offsetLabel, offsetMinutes } from './zone.js';

// Times for humans: absolute (UTC unless --tz/TZ, second precision) plus relative to now ("3m ago").

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
];

/** `2h 5m`, `42s`, `850ms`: the two largest units. */
export const formatDuration = (ms: number): string => {
  const abs = Math.abs(Math.round(ms));
  if (abs < 1000) return `${abs}ms`;
  const parts: string[] = [];
  let rest = abs;
  for (const [unit, size] of UNITS) {
    if (rest >= size && parts.length < 2) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    } else if (parts.length > 0) break;
  }
  return parts.join(' ');
};

/** `3m ago`, `in 20s`, `just now`. */
export const relativeTime = (iso: string, now: Date): string => {
  const delta = now.getTime() - Date.parse(iso);
  if (Number.isNaN(delta)) return '?';
  if (Math.abs(delta) < 1000) return 'just now';
  return delta > 0 ? `${formatDuration(delta)} ago` : `in ${formatDuration(-delta)}`;
};

/**
 * `2024-05-01 10:00:03Z` in UTC (an operator compares it with logs), or in the display zone
 * with its offset: `2024-05-01 12:00:03+02:00`.
 */
export const absoluteTime = (iso: string, tz: string): string => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const offset = offsetMinutes(tz, ms);
  return `${new Date(ms + offset * 60_000).toISOString().slice(0, 19).replace('T', ' ')}${offsetLabel(offset)}`;
};

/** `2024-05-01 10:00:03Z (3m ago)`, or `-` for no time. */
export const formatTime = (iso: string | null | undefined, now: Date, tz: string): string =>
  iso === null || iso === undefined ? '-' : `${absoluteTime(iso, tz)} (${relativeTime(iso, now)})`;

/** Milliseconds as `850 ms` / `1.24 s` (latencies). */
export const formatLatency = (ms: number): string =>
  ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

/** A result's response time; `-` when it is not known (a `lost` attempt: no answer was seen, its 0 is not a time). */
export const resultTime = (r: { readonly category: string; readonly responseTime: number }): string =>
  r.category === 'lost' ? '-' : formatLatency(r.responseTime);
