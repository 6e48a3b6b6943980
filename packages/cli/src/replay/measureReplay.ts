import * as E from 'fp-ts/lib/Either.js';
import { type ReplayDeps, type ReplayOptions, type ReplayReport, replayProjections } from './replayProjections.js';

// For the bench (100,000 messages) and scale tests: a replay with its resident memory
// sampled while it runs. Run it in a fresh process for numbers worth comparing.

export type ReplayMeasurement = {
  readonly report: ReplayReport;
  readonly rssStartBytes: number;
  readonly rssPeakBytes: number;
  readonly heapPeakBytes: number;
  readonly durationMs: number;
  readonly messagesPerSecond: number;
};

export const measureReplay = async (
  deps: ReplayDeps,
  options: ReplayOptions,
  sampleMs = 50,
): Promise<E.Either<string, ReplayMeasurement>> => {
  const rssStartBytes = process.memoryUsage().rss;
  let rssPeakBytes = rssStartBytes;
  let heapPeakBytes = process.memoryUsage().heapUsed;
  const sample = () => {
    const m = process.memoryUsage();
    rssPeakBytes = Math.max(rssPeakBytes, m.rss);
    heapPeakBytes = Math.max(heapPeakBytes, m.heapUsed);
  };
  const timer = setInterval(sample, sampleMs);
  const started = Date.now();
  try {
    const report = await replayProjections(deps, options)();
    sample();
    if (E.isLeft(report)) return E.left(report.left.message);
    const durationMs = Date.now() - started;
    return E.right({
      report: report.right,
      rssStartBytes,
      rssPeakBytes,
      heapPeakBytes,
      durationMs,
      messagesPerSecond: durationMs > 0 ? (report.right.scanned * 1000) / durationMs : 0,
    });
  } finally {
    clearInterval(timer);
  }
};
