import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { type Logger, withKeys, withTimeout } from '@delivery-history/core';
import type { OutboxPort } from '../sqs/outboxPort.js';
import { MAX_VISIBILITY_SECONDS, type VisibilityPort } from '../sqs/visibilityPort.js';
import { type ProcessDeps, processRecord } from './processRecord.js';
import { Done, type RecordDecision, RecordNotDone, Redeliver } from './recordDecision.js';

// ---------------------------------------------------------------------------
// The SQS handler: Powertools' BatchProcessor runs the records in parallel and turns
// the ones that are not done into `batchItemFailures`; before that, each failure gets
// the visibility its decision asks for.
// ---------------------------------------------------------------------------

export type HandlerDeps = ProcessDeps & {
  readonly visibility: VisibilityPort;
  /** SendMessage to the record's queue (observed outcomes during a DynamoDB outage); none: never sent. */
  readonly outbox?: OutboxPort;
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

/**
 * Protocol 7: the exchange goes back on the queue as a new message that records it later;
 * sent, this record is done (the new message carries the delivery on). Not sent: the record
 * stays (SQS redelivers it), and the claim's takeover records the attempt as `lost`.
 */
const handOff = async (
  deps: HandlerDeps,
  parent: Logger,
  record: SQSRecord,
  decision: Extract<RecordDecision, { _tag: 'Handoff' }>,
): Promise<RecordDecision> => {
  const log = withKeys(parent, decision.keys);
  try {
    if (deps.outbox === undefined) throw new Error('no SQS outbox configured');
    await withTimeout(
      deps.outbox.sendMessage(record, decision.body, decision.delayMs),
      deps.sqsTimeoutMs ?? 2_000,
      'SQS SendMessage',
    );
    deps.metrics.add('OutcomesSentThroughSqs', 'Count', 1);
    log.warn('append failed after an HTTP request was sent; observed outcome sent back through SQS', {
      reason: decision.reason,
      delayMs: decision.delayMs,
    });
    return Done('observed outcome sent back through SQS');
  } catch (error) {
    deps.metrics.add('OutcomesNotSent', 'Count', 1);
    log.error(
      'attempt not recorded after an HTTP request was sent; SQS unreachable too: the record returns and its claim records the attempt as lost once the lease expires',
      { reason: decision.reason, sqsError: error instanceof Error ? error.message : String(error) },
    );
    return Redeliver(decision.reason);
  }
};

export const createHandler = (deps: HandlerDeps): SqsBatchHandler => {
  return async (event, context) => {
    const invokedAt = deps.clock().getTime();
    // Lambda's request id on every line of this invocation, when there is one.
    const logger = context === undefined ? deps.logger : withKeys(deps.logger, { awsRequestId: context.awsRequestId });
    const process = processRecord({ ...deps, logger });
    const recordHandler = async (record: SQSRecord): Promise<string> => {
      const log = withKeys(logger, { sqsMessageId: record.messageId });
      const processed = await process(record);
      const decision = processed._tag === 'Handoff' ? await handOff(deps, log, record, processed) : processed;
      await applyDecision(deps, log, record, decision, invokedAt);
      if (decision._tag !== 'Done') throw new RecordNotDone(decision as Exclude<RecordDecision, { _tag: 'Done' }>);
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
