import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

// `dh` as an operator runs it (`pnpm dh ...` = node + tsx on the CLI's sources), in a child
// process pointed at DynamoDB Local; optionally with its peak memory recorded at exit.

export type DhRun = {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  /** Peak resident set of the child (KiB), when measured. */
  readonly peakRssKiB: number | null;
  /** CPU time of the child (user + system, ms), when measured. */
  readonly cpuMs: number | null;
};

const root = new URL('../../../', import.meta.url).pathname;

export const runDh = (
  args: ReadonlyArray<string>,
  target: { endpoint: string; tableName: string },
  options: { measureMemory?: boolean; timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<DhRun> =>
  new Promise((ok, fail) => {
    const dir = options.measureMemory === true ? mkdtempSync(join(tmpdir(), 'dh-peak-')) : null;
    const peakFile = dir === null ? null : join(dir, 'peak.json');
    const hook = new URL('./peakMemoryHook.ts', import.meta.url).pathname;
    const nodeArgs = ['--import', 'tsx', ...(peakFile !== null ? ['--import', hook] : []), '--conditions=source'];
    const t0 = performance.now();
    const child = spawn(process.execPath, [...nodeArgs, join(root, 'packages/cli/src/bin.ts'), ...args], {
      cwd: root,
      env: {
        ...process.env,
        NO_COLOR: '1',
        AWS_ENDPOINT_URL_DYNAMODB: target.endpoint,
        AWS_ENDPOINT_URL_DYNAMODB_STREAMS: target.endpoint,
        DELIVERY_TABLE_NAME: target.tableName,
        AWS_REGION: 'local',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        ...(peakFile !== null ? { DH_BENCH_PEAK_FILE: peakFile } : {}),
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString('utf8')).slice(-20_000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      let peakRssKiB: number | null = null;
      let cpuMs: number | null = null;
      if (peakFile !== null && dir !== null) {
        try {
          const m = JSON.parse(readFileSync(peakFile, 'utf8')) as { peakRssKiB: number; cpuMs: number };
          peakRssKiB = Number(m.peakRssKiB);
          cpuMs = Number(m.cpuMs);
        } catch {
          peakRssKiB = null;
        }
        rmSync(dir, { recursive: true, force: true });
      }
      ok({ code, stdout, stderr, ms: performance.now() - t0, peakRssKiB, cpuMs });
    });
  });
