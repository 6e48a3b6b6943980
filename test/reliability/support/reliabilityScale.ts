// Sizes of the reliability suite. The default fits CI's budget (the whole suite in a few
// minutes on 2 cores); DH_RELIABILITY_SCALE=N multiplies counts and durations for a
// longer soak on a developer machine.

const raw = Number(process.env.DH_RELIABILITY_SCALE ?? '1');

export const SCALE = Number.isFinite(raw) && raw > 0 ? Math.min(raw, 50) : 1;

export const scaled = (n: number): number => Math.max(1, Math.round(n * SCALE));
