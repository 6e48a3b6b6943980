// Preloaded (`--import`) into a child whose peak memory the bench reports: at exit, writes
// the process's peak resident set (VmHWM, KiB), its final heap and its CPU time to
// DH_BENCH_PEAK_FILE.
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.env.DH_BENCH_PEAK_FILE;
if (file !== undefined && file !== '') {
  process.on('exit', () => {
    let hwm = Number.NaN;
    try {
      const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'));
      hwm = Number(m?.[1]);
    } catch {
      // no /proc (not Linux): only the heap figure is written
    }
    const cpu = process.cpuUsage();
    writeFileSync(
      file,
      JSON.stringify({
        peakRssKiB: hwm,
        heapUsedBytes: process.memoryUsage().heapUsed,
        cpuMs: (cpu.user + cpu.system) / 1000,
      }),
    );
  });
}
