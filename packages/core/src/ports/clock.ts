// Time is passed in: tests move it, and nothing reads the global clock directly.

export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
