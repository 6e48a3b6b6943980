// Runs the real `dh` (packages/cli/src/bin.ts) as a child process, the way `pnpm dh` does,
// with the environment pointing at a test table. Bounded in time; never left running.
import { spawn } from 'node:child_process';

const root = new URL('../../../', import.meta.url).pathname;
const BIN = `${root}packages/cli/src/bin.ts`;

export type DhResult = {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
};

export type DhEnv = { readonly endpoint: string; readonly tableName: string; readonly extra?: Record<string, string> };

/** The environment a command sees: only what we set (plus PATH/HOME), so the caller's shell cannot leak in. */
export const dhEnv = (e: DhEnv): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  NO_COLOR: '1',
  AWS_REGION: 'local',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_ENDPOINT_URL_DYNAMODB: e.endpoint,
  DELIVERY_TABLE_NAME: e.tableName,
  ...e.extra,
});

export const runDh = (args: ReadonlyArray<string>, env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<DhResult> =>
  new Promise((ok) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', BIN, ...args], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
    });
    const timer = setTimeout(() => {
      stderr += `\n[runDh] killed after ${timeoutMs} ms`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      ok({ code, stdout, stderr, ms: Date.now() - started });
    });
  });

/** Parses stdout as JSON, with the output in the error when it is not. */
export const jsonOf = <A = unknown>(r: DhResult): A => {
  try {
    return JSON.parse(r.stdout) as A;
  } catch {
    throw new Error(`stdout is not JSON (exit ${r.code}):\n${r.stdout}\n--- stderr ---\n${r.stderr}`);
  }
};

export const show = (r: DhResult): string =>
  `exit ${r.code} after ${r.ms} ms\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;
