import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The heap cap the CLI README suggests for replay and verify (NODE_OPTIONS=--max-old-space-size=96). */
const CAPPED_OLD_SPACE_MB = 96;

// Runs test/bench/replayChild.ts in a fresh process (its memory is the replay's alone) with
// the peak-memory hook, and returns the child's JSON line plus its peak RSS and CPU time.

export type ReplayResult = {
  readonly scanned: number;
  readonly drifted: number;
  readonly actions: Record<string, number>;
  readonly durationMs: number;
  readonly messagesPerSecond: number;
  readonly rssStartBytes: number;
  readonly rssPeakBytes: number;
  readonly heapPeakBytes: number;
};

const root = new URL('../../../', import.meta.url).pathname;

/**
 * How the replay runs: `now` is what `dh replay` does (forEachParallel's page budget, the
 * launcher's heap cap); `before` is the code before issue 17 (a page per segment, no cap).
 */
export type ReplayVariant = {
  readonly label: string;
  readonly pageBudget: number | null;
  readonly maxOldSpaceMb: number | null;
};

export const replayVariant = (label: 'now' | 'before', segments: number): ReplayVariant =>
  label === 'now'
    ? { label, pageBudget: null, maxOldSpaceMb: CAPPED_OLD_SPACE_MB }
    : { label, pageBudget: segments, maxOldSpaceMb: null };

export const runReplayChild = (
  target: { endpoint: string; tableName: string },
  segments: number,
  concurrency: number,
  variant: ReplayVariant = replayVariant('now', segments),
  timeoutMs = 900_000,
): Promise<{ result: ReplayResult; peakRssKiB: number | null; cpuMs: number | null }> =>
  new Promise((ok, fail) => {
    const dir = mkdtempSync(join(tmpdir(), 'dh-replay-'));
    const peakFile = join(dir, 'peak.json');
    const hook = new URL('./peakMemoryHook.ts', import.meta.url).pathname;
    const child = spawn(
      process.execPath,
      [
        ...(variant.maxOldSpaceMb !== null ? [`--max-old-space-size=${variant.maxOldSpaceMb}`] : []),
        '--import',
        'tsx',
        '--import',
        hook,
        '--conditions=source',
        join(root, 'test/bench/replayChild.ts'),
      ],
      {
        cwd: root,
        env: {
          ...process.env,
          DH_BENCH_PEAK_FILE: peakFile,
          DH_REPLAY_ENDPOINT: target.endpoint,
          DH_REPLAY_TABLE: target.tableName,
          DH_REPLAY_SEGMENTS: String(segments),
          DH_REPLAY_CONCURRENCY: String(concurrency),
          DH_REPLAY_PAGE_BUDGET: variant.pageBudget === null ? '' : String(variant.pageBudget),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      err = (err + d.toString('utf8')).slice(-4000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      let peak: { peakRssKiB?: number; cpuMs?: number } = {};
      try {
        peak = JSON.parse(readFileSync(peakFile, 'utf8')) as typeof peak;
      } catch {
        // no hook output: the figures from measureReplay stand alone
      }
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0) return fail(new Error(`replay process exited ${code}: ${err.slice(-800)}`));
      try {
        const result = JSON.parse(out.trim().split('\n').pop() ?? '') as ReplayResult;
        ok({ result, peakRssKiB: peak.peakRssKiB ?? null, cpuMs: peak.cpuMs ?? null });
      } catch {
        fail(new Error(`replay process printed no result: ${out.slice(0, 300)} ${err.slice(-300)}`));
      }
    });
  });
