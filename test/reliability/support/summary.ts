// What each reliability file did, printed in one block and asserted by the caller:
// operations sent, faults injected, inputs tried, anything lost (must be 0).

export type Summary = {
  readonly file: string;
  readonly operationsSent: number;
  readonly faultsInjected: number;
  readonly inputsTried: number;
  readonly lost: number;
  readonly doubleCounted: number;
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
    ...Object.entries(s.details ?? {}).map(([k, v]) => `  ${`${k}:`.padEnd(17)} ${fmt(v)}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
};
