// The one check of a --since/--until window (and of --created-since/--created-until), with one
// wording: every command answers a window that starts in the future or ends before it starts
// with the same usage error (exit 2), before it reads anything.

type Names = { readonly since: string; readonly until: string };

const SINCE_UNTIL: Names = { since: '--since', until: '--until' };

/** What is wrong with the window, or null. `future: false` skips the "in the future" check (a cursor's window). */
export const timeWindowError = (
  w: { readonly since: Date | null; readonly until: Date | null },
  now: Date,
  o: { readonly names?: Names; readonly future?: boolean } = {},
): string | null => {
  const names = o.names ?? SINCE_UNTIL;
  if (o.future !== false && w.since !== null && w.since.getTime() > now.getTime())
    return `${names.since} ${w.since.toISOString()} is in the future`;
  if (w.since !== null && w.until !== null && w.until.getTime() <= w.since.getTime())
    return `${names.until} must be after ${names.since}`;
  return null;
};

const dateOf = (iso: string | null): Date | null => (iso === null ? null : new Date(iso));

/** The same check over ISO strings (a list's resolved window). */
export const isoWindowError = (
  since: string | null,
  until: string | null,
  now: Date,
  o: { readonly names?: Names; readonly future?: boolean } = {},
): string | null => timeWindowError({ since: dateOf(since), until: dateOf(until) }, now, o);
