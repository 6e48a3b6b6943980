// A clock that only moves when told: claims need `nextAttemptAt <= now`, windows need fixed
// hours. `now` fits core's Clock port (() => Date).
export type FakeClock = {
  readonly now: () => Date;
  set(at: Date | number): void;
  advance(ms: number): void;
};

export const fakeClock = (start: Date | number = Date.UTC(2025, 0, 1)): FakeClock => {
  let t = typeof start === 'number' ? start : start.getTime();
  return {
    now: () => new Date(t),
    set: (at) => {
      t = typeof at === 'number' ? at : at.getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
};
