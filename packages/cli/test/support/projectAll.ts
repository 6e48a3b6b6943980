// Runs the projector's local poller over a test table until every write so far is in the
// audit trails, then stops it.
import { startPoller } from '@delivery-history/devkit';
import type { TestTable } from '@delivery-history/testkit/testTable';

export const projectAll = async (t: TestTable, timeoutMs = 60_000): Promise<void> => {
  if (t.streamArn === undefined) throw new Error('test table has no stream');
  const poller = startPoller({
    clients: { doc: t.doc, streams: t.streams },
    tableName: t.tableName,
    streamArn: t.streamArn,
    idleBackoffMs: 25,
    maxIdleBackoffMs: 100,
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      poller.caughtUp(),
      new Promise((_, fail) => {
        timer = setTimeout(() => fail(new Error(`projector not caught up within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    await poller.stop();
  }
};
