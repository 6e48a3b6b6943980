import type { Clock, DeliveryRequest, RetryPolicy } from '@delivery-history/core';
import { determineDeliveryOutcome } from '@delivery-history/core';
import type { SQSRecord } from 'aws-lambda';
import * as E from 'fp-ts/lib/Either.js';
import type { HttpClient, HttpExchange } from '../http/httpClient.js';
import {
  defaultSecretPolicy,
  type Logger,
  redactingLogger,
  redactRequestWith,
  requestSecrets,
  type SecretPolicy,
  safeLogKey,
  withKeys,
} from '@delivery-history/core';
import { scrubExchange } from '../http/scrubExchange.js';
import type { WorkerMetrics } from '../observability/metrics.js';
import { isRetryable } from '@delivery-history/store';
import { decodeRecordBody } from './decodeRecord.js';
import { Done, Poison, type RecordDecision, Redeliver, RetryIn } from './recordDecision.js';
import type { AppendResult, Claimed, DeliveryStore, StoreFailure } from './storePort.js';

// ---------------------------------------------------------------------------
// One record: decode -> create if new -> claim -> HTTP -> classify -> append.
// Never rejects: every path ends in a RecordDecision.
// ---------------------------------------------------------------------------

export type ProcessDeps = {
  readonly store: DeliveryStore;
  readonly http: Pick<HttpClient, 'deliver'>;
  readonly clock: Clock;
  /** In [0, 1): backoff jitter. */
  readonly random: () => number;
  readonly logger: Logger;
  readonly metrics: WorkerMetrics;
  readonly policy: RetryPolicy;
  readonly leaseMs: number;
  /** The secret policy (config `secrets`); default: the built-in one. */
  readonly secrets?: SecretPolicy;
};

/** Extra wait past a lease's expiry before looking again (clock skew between workers). */
const LEASE_MARGIN_MS = 1_000;

type Step<A> = E.Either<RecordDecision, A>;

const msUntil = (iso: string | undefined, now: Date): number =>
  iso === undefined ? 0 : Math.max(0, Date.parse(iso) - now.getTime());

const storeTrouble = (
  deps: ProcessDeps,
  log: Logger,
  op: string,
  e: StoreFailure,
  retry: (e: StoreFailure) => boolean = isRetryable,
): RecordDecision => {
  deps.metrics.add('DynamoDBErrors', 'Count', 1, { error: e._tag });
  const attrs = { op, error: e._tag, code: e.code, awsCode: e.awsCode ?? null, reason: e.message };
  if (retry(e)) {
    log.error('store unavailable; the SQS record will be redelivered', attrs);
    return Redeliver(`${op}: ${e.message}`);
  }
  // TooLarge, Invalid, Corrupt...: repeating cannot help; park it in the DLQ with the reason.
  log.error('store refused the message for good; sending the record to the DLQ', attrs);
  return Poison(`${op}: ${e.message}`);
};

const createStep = async (deps: ProcessDeps, log: Logger, request: DeliveryRequest): Promise<Step<void>> => {
  // the store redacts with core's built-in policy; the operator's settings apply here first
  const created = await deps.store.createMessage(redactRequestWith(request, deps.secrets ?? defaultSecretPolicy))();
  if (E.isRight(created)) {
    if (created.right.created) log.info('message created', { endpoint: created.right.state.endpoint });
    return E.right(undefined);
  }
  const e = created.left;
  if (e._tag === 'Conflict') {
    deps.metrics.add('PoisonRecords', 'Count', 1);
    log.error('messageId already used for a different request; sending the record to the DLQ', { reason: e.message });
    return E.left(Poison(`messageId reused with a different request: ${e.message}`));
  }
  return E.left(storeTrouble(deps, log, 'createMessage', e));
};

const skip = (
  deps: ProcessDeps,
  log: Logger,
  reason: string,
  decision: RecordDecision,
  attrs: object,
): RecordDecision => {
  deps.metrics.add('RecordsSkipped', 'Count', 1, { reason });
  log.info(`record skipped: ${reason}`, { ...attrs, decision: decision._tag });
  return decision;
};

const claimStep = async (deps: ProcessDeps, log: Logger, messageId: string): Promise<Step<Claimed>> => {
  const claimed = await deps.store.claim(messageId, { leaseMs: deps.leaseMs })();
  if (E.isRight(claimed)) return claimed;
  const e = claimed.left;
  const now = deps.clock();
  switch (e._tag) {
    case 'AlreadyFinal':
      // A duplicate or late copy of a finished message: nothing to deliver.
      return E.left(skip(deps, log, 'AlreadyFinal', Done('already final'), { reason: e.message }));
    case 'Leased':
      // Another worker is delivering it now; look again once its lease has run out.
      return E.left(
        skip(deps, log, 'Leased', RetryIn(msUntil(e.expiresAt, now) + LEASE_MARGIN_MS, 'leased by another worker'), {
          expiresAt: e.expiresAt,
        }),
      );
    case 'NotDue':
      // Early (e.g. a visibility change that failed): come back when the retry is due.
      return E.left(
        skip(deps, log, 'NotDue', RetryIn(msUntil(e.nextAttemptAt, now), 'retry not due yet'), {
          nextAttemptAt: e.nextAttemptAt,
        }),
      );
    case 'NotFound':
      deps.metrics.add('DynamoDBErrors', 'Count', 1, { error: e._tag });
      log.error('message vanished between create and claim; redelivering', { reason: e.message });
      return E.left(Redeliver(e.message));
    default:
      return E.left(storeTrouble(deps, log, 'claim', e));
  }
};

const observe = (deps: ProcessDeps, log: Logger, x: HttpExchange, r: AppendResult): void => {
  const result = r.attempt.deliveryResult;
  deps.metrics.add('Deliveries', 'Count', 1, { category: result.category });
  deps.metrics.add('DeliveryResponseTime', 'Milliseconds', result.responseTime);
  deps.metrics.add('DeliveryAttemptNumber', 'Count', r.attemptNumber);
  if (r.final && r.status === 'FAILED')
    deps.metrics.add('DeliveriesFailedFinal', 'Count', 1, { category: result.category });
  const attrs = {
    attempt: r.attemptNumber,
    status: r.status,
    category: result.category,
    statusCode: result.statusCode,
    errorCode: result.errorDetails?.code ?? null,
    responseTime: result.responseTime,
    retryEligible: r.retryEligible,
    nextAttemptAt: r.nextAttemptAt,
    final: r.final,
    superseded: r.superseded,
    duplicate: r.duplicate,
    bodyBytesRead: x.bodyBytesRead,
    bodyTruncated: x.bodyTruncated,
  };
  if (r.status === 'SUCCESS') log.info('delivery succeeded', attrs);
  else log.warn(r.final ? 'delivery failed for good' : 'delivery failed; retry scheduled', attrs);
};

const appendStep = async (
  deps: ProcessDeps,
  log: Logger,
  request: DeliveryRequest,
  claimed: Claimed,
  x: HttpExchange,
): Promise<RecordDecision> => {
  const appended = await deps.store.appendAttempt({
    claimed,
    startedAt: x.startedAt,
    completedAt: x.completedAt,
    responseHeaders: x.responseHeaders,
    // A function of the number actually written: if a superseded attempt took ours, the
    // store asks again, so exhaustion is decided by core for the number stored.
    outcome: ({ attemptNumber, maxAttempts }) =>
      determineDeliveryOutcome(x.observation, {
        now: x.completedAt,
        correlationId: request.correlationId,
        attemptNumber,
        maxAttempts,
        policy: deps.policy,
        random: deps.random,
      }),
  })();
  if (E.isLeft(appended)) {
    const e = appended.left;
    if (e._tag === 'AlreadyFinal') return skip(deps, log, 'AlreadyFinal', Done('finished by another worker'), {});
    // The HTTP request went out but is not recorded; the record comes back and delivers again
    // (at-least-once; receivers dedupe on webhook-id).
    log.error('attempt not recorded after an HTTP request was sent', { attempt: claimed.ticket.attemptNumber });
    // A Conflict here means the number could not be placed in bounded rounds: the next
    // receive claims afresh, so it is worth another go, not the DLQ.
    return storeTrouble(deps, log, 'appendAttempt', e, (x) => isRetryable(x) || x._tag === 'Conflict');
  }
  const r = appended.right;
  observe(deps, withKeys(log, { attempt: r.attemptNumber }), x, r);
  if (r.superseded) {
    // We had lost the lease: whoever holds it now schedules the message. Keep this record
    // around (not deleted: it may be the only copy) and look again after a lease.
    return RetryIn(deps.leaseMs, 'attempt recorded as superseded');
  }
  if (r.final) return Done(r.status === 'SUCCESS' ? 'delivered' : 'failed for good');
  return RetryIn(msUntil(r.nextAttemptAt ?? undefined, deps.clock()), 'retry scheduled');
};

/** The per-record pipeline; the returned function never rejects. */
export const processRecord =
  (deps: ProcessDeps) =>
  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: the record's steps in order (decode, create, claim, deliver, append); each step is a function
  async (record: SQSRecord): Promise<RecordDecision> => {
    const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? '1');
    const secrets = deps.secrets ?? defaultSecretPolicy;
    const keys = { sqsMessageId: record.messageId, receiveCount };
    // every line passes the secret policy (invariant 9), bounded in size
    const base = withKeys(redactingLogger(deps.logger, secrets), keys);
    try {
      const decoded = decodeRecordBody(record.body);
      if (E.isLeft(decoded)) {
        deps.metrics.add('PoisonRecords', 'Count', 1);
        base.error('undecodable SQS body; sending the record to the DLQ', { reason: decoded.left });
        return Poison(decoded.left);
      }
      const request = decoded.right;
      // ... and, once the request is known, the exact values it carries
      const known = requestSecrets(request, secrets);
      const log = withKeys(redactingLogger(deps.logger, secrets, known), {
        ...keys,
        messageId: request.messageId,
        correlationId: safeLogKey(request.correlationId, secrets),
      });
      const created = await createStep(deps, log, request);
      if (E.isLeft(created)) return created.left;
      const claimed = await claimStep(deps, log, request.messageId);
      if (E.isLeft(claimed)) return claimed.left;
      const attemptLog = withKeys(log, { attempt: claimed.right.ticket.attemptNumber });
      const sent = await deps.http.deliver({
        messageId: request.messageId,
        url: request.url,
        method: request.method,
        headers: request.headers,
        body: request.body,
      });
      // the response side: nothing the receiver echoed goes further than here
      const exchange = scrubExchange(sent, secrets, known);
      return await appendStep(deps, attemptLog, request, claimed.right, exchange);
    } catch (error) {
      // A bug, not a data problem: keep the record (SQS redelivers) and say so loudly.
      base.error('unexpected error while processing a record', {
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
      return Redeliver(error instanceof Error ? error.message : String(error));
    }
  };
