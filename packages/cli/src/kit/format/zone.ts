// Time zones: the offset arithmetic for the zone times are shown (and zone-less input is
// read) in. Which zone that is (UTC unless `--tz ZONE` or `$TZ` names an IANA zone) is decided
// once per command (withArgs) and passed: to the decoders (ArgContext) and the views (Layout).

export const isValidZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const isUtc = (tz: string): boolean => /^(utc|etc\/utc|gmt|z|etc\/gmt|universal)$/i.test(tz);

/** The zone's offset from UTC at `utcMs`, in minutes (e.g. +120 for CEST). */
export const offsetMinutes = (tz: string, utcMs: number): number => {
  if (isUtc(tz)) return 0;
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((wall - Math.floor(utcMs / 1000) * 1000) / 60_000);
};

/** The instant of a wall-clock time (fields as if UTC) in `tz`. */
export const instantOfWall = (tz: string, wallAsUtcMs: number): number => {
  const first = wallAsUtcMs - offsetMinutes(tz, wallAsUtcMs) * 60_000;
  return wallAsUtcMs - offsetMinutes(tz, first) * 60_000;
};

/** `+02:00`, `-05:30`, `Z`. */
export const offsetLabel = (minutes: number): string => {
  if (minutes === 0) return 'Z';
  const sign = minutes > 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
};
