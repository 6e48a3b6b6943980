import { type Poller, startPoller } from '@delivery-history/devkit';
import { memoryCheckpoint } from '@delivery-history/devkit/testing';
import type { TestTable } from './testTable.js';

type Overrides = Partial<Omit<Parameters<typeof startPoller>[0], 'clients' | 'tableName' | 'streamArn'>>;

/**
 * devkit's stream poller (the projector's apply) over a test table's stream: checkpoints in
 * memory, a quick idle back-off (20 to 250 ms); `o` overrides any of them and adds deps.
 */
export const startTestPoller = (t: TestTable, o: Overrides = {}): Poller =>
  startPoller({
    clients: t,
    tableName: t.tableName,
    streamArn: t.streamArn ?? '',
    checkpoint: memoryCheckpoint(),
    idleBackoffMs: 20,
    maxIdleBackoffMs: 250,
    ...o,
  });
