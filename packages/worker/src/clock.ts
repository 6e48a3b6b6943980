/** Time is passed in (tests move it; nothing reads the global clock directly). */
export type Clock = { readonly now: () => Date };

export const systemClock: Clock = { now: () => new Date() };
