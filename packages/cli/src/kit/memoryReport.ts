// Diagnostics for scale tests and the bench: with DH_MEMORY_REPORT=1, `dh` samples its heap
// while it runs and prints one line at exit on stderr:
//   dh-memory {"heapPeakBytes":..,"heapAfterGcBytes":..,"rssPeakBytes":..}
// (heapAfterGcBytes needs node --expose-gc; otherwise it is the heap at exit.)

export type MemoryReport = {
  readonly heapPeakBytes: number;
  readonly heapAfterGcBytes: number;
  readonly rssPeakBytes: number;
};

export const startMemoryReport = (sampleMs = 25): (() => MemoryReport) => {
  let heapPeak = 0;
  let rssPeak = 0;
  const sample = () => {
    const m = process.memoryUsage();
    heapPeak = Math.max(heapPeak, m.heapUsed);
    rssPeak = Math.max(rssPeak, m.rss);
  };
  const timer = setInterval(sample, sampleMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    sample();
    (globalThis as { gc?: () => void }).gc?.();
    return { heapPeakBytes: heapPeak, heapAfterGcBytes: process.memoryUsage().heapUsed, rssPeakBytes: rssPeak };
  };
};
