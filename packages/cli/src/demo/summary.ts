import type { AttemptItem, StateItem } from '@delivery-history/core';

// The demo's closing numbers: outcomes by status and category, attempts, latencies, and
// the message most worth reading (the one whose attempts tell the longest story).

export type Summary = {
  readonly messages: number;
  readonly attempts: number;
  /** `${status} ${category}` -> messages (category of the last result; '-' when none). */
  readonly outcomes: ReadonlyMap<string, number>;
  /** attempts per message -> messages. */
  readonly attemptsPerMessage: ReadonlyMap<number, number>;
  /** responseTime of every attempt, ms. */
  readonly latencies: number[];
  /** createdAt -> final success, ms. */
  readonly timeToSuccess: number[];
  readonly interesting: { readonly messageId: string; readonly score: number } | null;
};

export const emptySummary = (): Summary => ({
  messages: 0,
  attempts: 0,
  outcomes: new Map(),
  attemptsPerMessage: new Map(),
  latencies: [],
  timeToSuccess: [],
  interesting: null,
});

const bump = <K>(m: Map<K, number>, k: K): void => {
  m.set(k, (m.get(k) ?? 0) + 1);
};

/** Distinct categories first, then attempts, then a redrive: the richest story wins. */
const storyScore = (state: StateItem, attempts: ReadonlyArray<AttemptItem>): number => {
  const categories = new Set(attempts.map((a) => a.deliveryResult.category)).size;
  const waited = attempts.some((a) => a.deliveryResult.category === 'rate_limited') ? 1 : 0;
  return categories * 100 + waited * 50 + (state.status === 'SUCCESS' ? 20 : 0) + attempts.length + state.redrives * 10;
};

export const addMessage = (s: Summary, state: StateItem, attempts: ReadonlyArray<AttemptItem>): Summary => {
  bump(s.outcomes as Map<string, number>, `${state.status} ${state.deliveryResult?.category ?? '-'}`);
  bump(s.attemptsPerMessage as Map<number, number>, state.attempts);
  for (const a of attempts) s.latencies.push(a.deliveryResult.responseTime);
  if (state.status === 'SUCCESS' && state.lastDeliveryAttempt !== null) {
    s.timeToSuccess.push(Date.parse(state.lastDeliveryAttempt) - Date.parse(state.createdAt));
  }
  const score = storyScore(state, attempts);
  const interesting =
    s.interesting === null || score > s.interesting.score ? { messageId: state.messageId, score } : s.interesting;
  return { ...s, messages: s.messages + 1, attempts: s.attempts + attempts.length, interesting };
};

/** Nearest-rank percentile of an unsorted sample (sorted copy). */
export const percentile = (sample: ReadonlyArray<number>, p: number): number | null => {
  if (sample.length === 0) return null;
  const sorted = [...sample].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? null;
};

export type Percentiles = { p50: number | null; p90: number | null; p99: number | null; max: number | null };

export const percentiles = (sample: ReadonlyArray<number>): Percentiles => ({
  p50: percentile(sample, 50),
  p90: percentile(sample, 90),
  p99: percentile(sample, 99),
  max: percentile(sample, 100),
});
