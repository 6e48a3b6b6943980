// What each reliability file did, printed in one block and asserted by the caller:
// operations sent, faults injected, inputs tried, anything lost (must be 0); files that deliver
// through a receiver also give its accounting (invariant 5), summed by scripts/runTests.ts.

/** The books of invariant 5 over a file's messages: requests received <= attempts recorded. */
export type Accounting = {
  /** HTTP requests the receivers saw. */
  readonly requestsReceived: number;
  readonly attemptsRecorded: number;
  /** Attempts recorded with category `lost` (a claim whose result was never observed). */
  readonly lostAttempts: number;
  /** Observed outcomes handed back through SQS after a failed append and recorded from there. */
  readonly recoveredThroughSqs: number;
};

export type Summary = {
  readonly file: string;
  readonly operationsSent: number;
  readonly faultsInjected: number;
  readonly inputsTried: number;
  readonly lost: number;
  readonly doubleCounted: number;
  readonly accounting?: Accounting;
  /** Anything else worth reading (counts by kind, timings). */
  readonly details?: Readonly<Record<string, unknown>>;
};

const fmt = (v: unknown): string => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));

export const printSummary = (s: Summary): void => {
  const lines = [
    `== reliability/${s.file} ==`,
    `  operations sent:  ${s.operationsSent}`,
    `  faults injected:  ${s.faultsInjected}`,
    `  inputs tried:     ${s.inputsTried}`,
    `  lost:             ${s.lost}`,
    `  double-counted:   ${s.doubleCounted}`,
    ...(s.accounting === undefined
      ? []
      : [
          `  requests received: ${s.accounting.requestsReceived}`,
          `  attempts recorded: ${s.accounting.attemptsRecorded}`,
          `  lost attempts:    ${s.accounting.lostAttempts}`,
          `  outcomes recovered through SQS: ${s.accounting.recoveredThroughSqs}`,
        ]),
    ...Object.entries(s.details ?? {}).map(([k, v]) => `  ${`${k}:`.padEnd(17)} ${fmt(v)}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
};
