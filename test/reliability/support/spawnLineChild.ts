import { type ChildProcess, spawn } from 'node:child_process';

// A support script (workerChild.ts, drainChild.ts, projectorChild.ts) as its own process, so a
// test can SIGKILL it at an aimed point: its stdout read line by line (the lines it announces
// its steps with), its stderr kept for the failure message.

const root = new URL('../../../', import.meta.url).pathname;

export type LineChild = {
  readonly proc: ChildProcess;
  /** stderr, and the stdout lines `onLine` did not take (evidence for a failed check). */
  readonly lines: string[];
  readonly exited: Promise<number | null>;
};

/**
 * Starts `script` (a path from the repo root) with `env` added to this process's. `onLine` sees
 * each stdout line; it returns false for one it does not use, which is kept in `lines`.
 */
export const spawnLineChild = (
  script: string,
  env: Record<string, string>,
  onLine: (line: string) => boolean,
): LineChild => {
  const proc = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', `${root}${script}`], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  // the parent writes to a child that may be dead by then
  proc.stdin?.on('error', () => undefined);
  let buf = '';
  proc.stdout?.on('data', (d: Buffer) => {
    buf += d.toString('utf8');
    const parts = buf.split('\n');
    buf = parts.pop() ?? '';
    for (const line of parts) if (!onLine(line)) lines.push(line);
  });
  proc.stderr?.on('data', (d: Buffer) => lines.push(d.toString('utf8').trim()));
  return { proc, lines, exited: new Promise((ok) => proc.on('exit', (code) => ok(code))) };
};

/** SIGKILLs the child if it still runs, and waits for its exit. */
export const killChild = async (c: LineChild | null): Promise<void> => {
  if (c === null) return;
  if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
  await c.exited;
};
