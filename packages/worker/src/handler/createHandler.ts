import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type Logger, withKeys, withTimeout } from '@delivery-history/core';
import { MAX_VISIBILITY_SECONDS, type VisibilityPort } from '../sqs/visibilityPort.js';
import { type ProcessDeps, processRecord } from './processRecord.js';
import { type RecordDecision, RecordNotDone } from './recordDecision.js';

// ---------------------------------------------------------------------------
// The SQS handler: Powertools' BatchProcessor runs the records in parallel and turns
// the ones that are not done into `batchItemFailures`; before that, each failure gets
// the visibility its decision asks for.
// ---------------------------------------------------------------------------

export type HandlerDeps = ProcessDeps & {
  readonly visibility: VisibilityPort;
  /** Bound on one visibility change (default 2 s); past it SQS's own timeout applies. */
  readonly sqsTimeoutMs?: number;
};

export type SqsBatchHandler = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>;

/** Kept below SQS's 12 h limit, which counts from the receive (a little before we started). */
const VISIBILITY_SAFETY_MS = 60_000;

const visibilityFor = (decision: RecordDecision, maxMs: number): number | null => {
  switch (decision._tag) {
    case 'RetryIn':
      return Math.min(decision.delayMs, maxMs);
    case 'Poison':
      return 0;
    default:
      return null;
  }
};

const applyDecision = async (
  deps: HandlerDeps,
  log: Logger,
  record: SQSRecord,
  decision: RecordDecision,
  invokedAt: number,
): Promise<void> => {
  const maxMs = MAX_VISIBILITY_SECONDS * 1000 - (deps.clock().getTime() - invokedAt) - VISIBILITY_SAFETY_MS;
  const delayMs = visibilityFor(decision, Math.max(0, maxMs));
  if (delayMs === null) return;
  try {
    await withTimeout(
      deps.visibility.changeVisibility(record, delayMs),
      deps.sqsTimeoutMs ?? 2_000,
      'SQS ChangeMessageVisibility',
    );
  } catch (error) {
    // Degrade, never hang: the record still fails and SQS shows it again after the queue's
    // visibility timeout; the claim then says NotDue/Leased and we schedule it again.
    deps.metrics.add('SqsVisibilityErrors', 'Count', 1);
    log.warn('could not change the record visibility; SQS redelivers it after its visibility timeout', {
      decision: decision._tag,
      delayMs,
      error: error instanceof Error ? error.message : String(error),
    });
  }
};

export const createHandler = (deps: HandlerDeps): SqsBatchHandler => {
  return async (event, context) => {
    const invokedAt = deps.clock().getTime();
    // Lambda's request id on every line of this invocation, when there is one.
    const logger = context === undefined ? deps.logger : withKeys(deps.logger, { awsRequestId: context.awsRequestId });
    const process = processRecord({ ...deps, logger });
    const recordHandler = async (record: SQSRecord): Promise<string> => {
      const decision = await process(record);
      const log = withKeys(logger, { sqsMessageId: record.messageId });
      await applyDecision(deps, log, record, decision, invokedAt);
      if (decision._tag !== 'Done') throw new RecordNotDone(decision);
      return decision.reason;
    };
    try {
      // A new processor per invocation: the local driver runs several batches at once.
      return await processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), {
        // An all-failed batch is still a partial response: the per-record visibilities stand.
        throwOnFullBatchFailure: false,
        ...(context !== undefined ? { context } : {}),
      });
    } finally {
      deps.metrics.flush();
    }
  };
};
