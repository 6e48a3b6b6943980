/** Sleeps that `wakeAll()` ends early (stop, caughtUp): a stopping poller never waits out a back-off. */
export type Sleeper = {
  sleep(ms: number): Promise<void>;
  wakeAll(): void;
};

export const makeSleeper = (): Sleeper => {
  const pending = new Set<() => void>();
  return {
    sleep: (ms) =>
      new Promise<void>((ok) => {
        const done = (): void => {
          clearTimeout(timer);
          pending.delete(done);
          ok();
        };
        const timer = setTimeout(done, ms);
        pending.add(done);
      }),
    wakeAll: () => {
      for (const done of [...pending]) done();
    },
  };
};
