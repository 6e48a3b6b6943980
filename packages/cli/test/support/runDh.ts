// Runs the real, built `dh` (packages/cli/dist/dh.js, the package's `bin`: the bundle of the
// compiled JS, no tsx) as a child process, with the environment pointing at a test table. The workspace is
// built once per test process first (`tsc -b`, a no-op when dist is current; under a lock,
// so parallel test files do not build at the same time). Bounded in time; never left running.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmdirSync, statSync } from 'node:fs';

const root = new URL('../../../../', import.meta.url).pathname;
export const BIN = `${root}packages/cli/dist/dh.js`;

const LOCK = `${root}node_modules/.dh-build-lock`;

const takeLock = (): boolean => {
  try {
    mkdirSync(LOCK);
    return true;
  } catch {
    // a lock older than 5 minutes is left over from a killed run
    try {
      if (Date.now() - statSync(LOCK).mtimeMs > 300_000) rmdirSync(LOCK);
    } catch {
      // gone meanwhile
    }
    return false;
  }
};

let built = false;

/** `pnpm build` (tsc -b, then the bundle) once per process, so the binary under test is the source under test. */
export const ensureBuilt = (): void => {
  if (built) return;
  const deadline = Date.now() + 600_000;
  while (!takeLock()) {
    if (Date.now() > deadline) throw new Error(`build lock ${LOCK} held for 10 minutes`);
    spawnSync('sleep', ['0.5']);
  }
  try {
    const tsc = `${root}node_modules/typescript/bin/tsc`;
    const r = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`pnpm build failed:\n${r.stdout}${r.stderr}`);
    // the second half of `pnpm build`: the binary is the bundle of what tsc emitted
    const b = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/bundleCli.ts'], { cwd: root, encoding: 'utf8' });
    if (b.status !== 0) throw new Error(`bundling dh failed:\n${b.stdout}${b.stderr}`);
  } finally {
    rmdirSync(LOCK);
  }
  built = true;
};

/** Starts the built `dh` (for tests that talk to it while it runs: local, tail, Ctrl-C). */
export const spawnDh = (args: ReadonlyArray<string>, env: NodeJS.ProcessEnv): ChildProcess => {
  ensureBuilt();
  return spawn(process.execPath, [BIN, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
};

/** A running `dh` and what it has printed so far (tests that wait on its output). */
export type RunningDh = {
  readonly child: ChildProcess;
  out(): string;
  err(): string;
};

/** Starts the built `dh` and collects its stdout and stderr as they come. */
export const collectDh = (args: ReadonlyArray<string>, env: NodeJS.ProcessEnv): RunningDh => {
  const child = spawnDh(args, env);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString('utf8');
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString('utf8');
  });
  return { child, out: () => out, err: () => err };
};

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
    ensureBuilt();
    const started = Date.now();
    const child = spawn(process.execPath, [BIN, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
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

/**
 * Every page of a paged `--json` list: `args`, then `first` on the first call and `--cursor`
 * after, until no cursor or `max` pages. A run that does not exit 0 fails the test.
 */
export const pagesOf = async <P extends { readonly cursor: string | null }>(
  args: ReadonlyArray<string>,
  env: NodeJS.ProcessEnv,
  max: number,
  first: ReadonlyArray<string> = [],
): Promise<P[]> => {
  const pages: P[] = [];
  let cursor: string | null = null;
  do {
    const r = await runDh([...args, ...(cursor === null ? first : ['--cursor', cursor])], env);
    if (r.code !== 0) throw new Error(show(r));
    const page = jsonOf<P>(r);
    pages.push(page);
    cursor = page.cursor;
  } while (cursor !== null && pages.length < max);
  return pages;
};
