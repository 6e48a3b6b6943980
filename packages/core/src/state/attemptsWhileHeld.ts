import type { HoldItem } from '../codecs/holdItem.js';
import type { AttemptItem } from '../codecs/items.js';

// ---------------------------------------------------------------------------
// Invariant 11, the part `fold` cannot see: a held message has no attempt for the time it was
// held. fold orders events by number, so an attempt made while HELD would apply as if after a
// release; this check uses what the events say about themselves instead: the attempt count a
// `held` event recorded, and the times. `dh verify` reports each finding.
// ---------------------------------------------------------------------------

type Span = { readonly held: HoldItem; readonly end: HoldItem | null };

/** Each `held` event with the event that ended it (`released` or `expired`), or null: still held. */
const spansOf = (holds: ReadonlyArray<HoldItem>): Span[] => {
  const sorted = [...holds].sort((a, b) => a.holdNumber - b.holdNumber);
  return sorted.flatMap((h, i) =>
    h.kind === 'held' ? [{ held: h, end: sorted.slice(i + 1).find((x) => x.kind !== 'held') ?? null }] : [],
  );
};

const during = (a: AttemptItem, s: Span): string | null => {
  const label = `ATTEMPT#${a.attemptNumber} (started ${a.startedAt})`;
  const hold = `HOLD#${s.held.holdNumber} held at ${s.held.at} after attempt ${s.held.afterAttempt}`;
  if (s.end === null) {
    // still held: nothing may follow the count it was held at
    return a.attemptNumber > s.held.afterAttempt ? `${label} recorded while ${hold} is still held` : null;
  }
  const inTime = a.startedAt > s.held.at && a.startedAt < s.end.at;
  return inTime ? `${label} made while ${hold}, until HOLD#${s.end.holdNumber} ${s.end.kind} at ${s.end.at}` : null;
};

/** One line per attempt made while its message was held (empty: invariant 11 holds). */
export const attemptsWhileHeld = (attempts: ReadonlyArray<AttemptItem>, holds: ReadonlyArray<HoldItem>): string[] => {
  const spans = spansOf(holds);
  return attempts.flatMap((a) => spans.flatMap((s) => during(a, s) ?? []));
};
