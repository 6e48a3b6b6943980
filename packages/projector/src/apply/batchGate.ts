// One batch's store calls gathered across its messages (a DataLoader with a barrier): an
// apply that reaches a read or a write is parked; when every apply still running is parked
// (or `maxWaitMs` passed: one may be sleeping in a back-off), every lane sends what it holds
// as one call per `max` inputs. The applies keep their own code path, one message each; only
// the round trips are shared.

export type BatchGate = {
  /** An apply of the batch started; `leave` when it ended (which may release the others). */
  readonly enter: () => void;
  readonly leave: () => void;
  /**
   * A lane: `run` answers each input in order and never rejects (errors are values);
   * `failed` is the answer for every input of a call that rejected anyway (a programmer error).
   */
  readonly lane: <I, O>(
    run: (inputs: readonly I[]) => Promise<readonly O[]>,
    max: number,
    failed: (input: I, e: unknown) => O,
  ) => (input: I) => Promise<O>;
};

type Lane = { readonly held: () => number; readonly flush: () => void };

export const createBatchGate = (o: { readonly maxWaitMs: number }): BatchGate => {
  let active = 0;
  const lanes: Lane[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flushAll = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    for (const l of lanes) l.flush();
  };
  const settle = (): void => {
    const parked = lanes.reduce((n, l) => n + l.held(), 0);
    if (parked === 0) return;
    if (parked >= active) flushAll();
    else timer ??= setTimeout(flushAll, o.maxWaitMs);
  };
  return {
    enter: () => {
      active += 1;
    },
    leave: () => {
      active -= 1;
      settle();
    },
    lane: <I, O>(
      run: (inputs: readonly I[]) => Promise<readonly O[]>,
      max: number,
      failed: (input: I, e: unknown) => O,
    ) => {
      let held: Array<{ readonly input: I; readonly done: (o: O) => void }> = [];
      const send = (batch: typeof held): void => {
        run(batch.map((h) => h.input)).then(
          (out) => {
            batch.forEach((h, i) => {
              const r = out[i];
              h.done(r === undefined ? failed(h.input, new Error('no answer')) : r);
            });
          },
          (e: unknown) => {
            for (const h of batch) h.done(failed(h.input, e));
          },
        );
      };
      lanes.push({
        held: () => held.length,
        flush: () => {
          const all = held;
          held = [];
          for (let i = 0; i < all.length; i += max) send(all.slice(i, i + max));
        },
      });
      return (input: I) =>
        new Promise<O>((done) => {
          held.push({ input, done });
          settle();
        });
    },
  };
};
