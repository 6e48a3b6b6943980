// Preloaded by the launcher test: reports the process's V8 heap limit on stderr at exit.
import { getHeapStatistics } from 'node:v8';

process.on('exit', () => {
  process.stderr.write(`heap-limit-mib ${Math.round(getHeapStatistics().heap_size_limit / 1024 / 1024)}\n`);
});
