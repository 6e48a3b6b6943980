import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import { type Backoff, backoffDelayMs, type Clock, type Logger, type Sleep } from '@delivery-history/core';
import type { FailedMessage, ProjectionReport } from '@delivery-history/projector';
import { isRetryableProjectorError } from '@delivery-history/projector';

// ---------------------------------------------------------------------------
// Projects a batch; retries the records of retryable failed messages with back-off for
// `retryForMs` (a loaded table or out-of-order bulk writes can take a while to settle), then
// gives up on them. Like Lambda's retry-until-expiry, but bounded so one stuck message cannot
// hold its shard for a day. Non-retryable failures and malformed records are skipped at once.
// ---------------------------------------------------------------------------

export type BatchRetryDeps = {
  readonly project: (records: readonly _Record[]) => Promise<ProjectionReport>;
  readonly clock: Clock;
  readonly sleep: Sleep;
  /** [0,1), for the back-off's jitter. */
  readonly random: () => number;
  readonly backoff: Backoff;
  readonly retryForMs: number;
  /** Checked before each retry: a stopping poller gives up at once. */
  readonly isStopped: () => boolean;
  readonly logger: Logger;
};

export type BatchResult = {
  /** The first projection's report. */
  readonly report: ProjectionReport;
  /** Sequence numbers given up on (their messages heal on a later record, or by replay). */
  readonly skipped: readonly string[];
};

/** A warning every this many retries of a batch that keeps failing. */
const WARN_EVERY = 10;

const sequenceNumbers = (failed: readonly FailedMessage[]): string[] => failed.flatMap((f) => f.sequenceNumbers);

const split = (failed: readonly FailedMessage[]): { retry: FailedMessage[]; skip: string[] } => ({
  retry: failed.filter((f) => isRetryableProjectorError(f.error)),
  skip: sequenceNumbers(failed.filter((f) => !isRetryableProjectorError(f.error))),
});

const recordsOf = (records: readonly _Record[], failed: readonly FailedMessage[]): _Record[] => {
  const seqs = new Set(sequenceNumbers(failed));
  return records.filter((r) => seqs.has(r.dynamodb?.SequenceNumber ?? ''));
};

export const projectWithRetry =
  (d: BatchRetryDeps) =>
  async (records: readonly _Record[]): Promise<BatchResult> => {
    const report = await d.project(records);
    let { retry: pending, skip: skipped } = split(report.failed);
    const giveUpAt = d.clock().getTime() + d.retryForMs;
    for (let retry = 1; pending.length > 0 && d.clock().getTime() < giveUpAt && !d.isStopped(); retry++) {
      if (retry % WARN_EVERY === 0) {
        d.logger.warn('stream records still failing; retrying', {
          retries: retry,
          failures: pending.map((f) => ({ messageId: f.messageId, error: f.error._tag })),
        });
      }
      await d.sleep(backoffDelayMs(retry, d.backoff, d.random));
      const again = split((await d.project(recordsOf(records, pending))).failed);
      pending = again.retry;
      skipped = [...skipped, ...again.skip];
    }
    const malformed = report.malformed.flatMap((m) => (m.sequenceNumber !== null ? [m.sequenceNumber] : []));
    return { report, skipped: [...skipped, ...sequenceNumbers(pending), ...malformed] };
  };
