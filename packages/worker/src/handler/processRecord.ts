import type { Clock, DeliveryRequest, ObservedExchange } from '@delivery-history/core';
import { size, redaction } from '@delivery-history/core';
import { randomUUID } from 'node:crypto';
import type { SQSRecord } from 'aws-lambda';
import * as E from 'fp-ts/lib/Either.js';
import type { HttpClient, HttpExchange } from '../http/httpClient.js';
import {
  type EndpointCredentialer,
  type KnownSecrets,
  type Logger,
  type Sealer,
  withKeys,
} from '@delivery-history/core';
import { scrubExchange } from '../http/scrubExchange.js';
import type { WorkerMetrics } from '../observability/metrics.js';
import { isFingerprintConflict, isRetryable } from '@delivery-history/store';
import { decodeRecord } from './decodeRecord.js';
import { type NotSendable, sealStep, sendableStep } from './sealSteps.js';
import { type CredentialsNotSendable, credentialStep, refusedCredentialStep } from './credentialStep.js';
import { Done, Handoff, Poison, type RecordDecision, Redeliver, RetryIn } from './recordDecision.js';
import type { AppendResult, Claimed, DeliveryStore, StoreFailure } from './storePort.js';
import type { EndpointGate } from '../breaker/endpointGate.js';

// ---------------------------------------------------------------------------
// One record: decode -> create-if-new-and-claim (one UpdateItem) -> HTTP -> classify -> append.
// Round trips: first delivery 2, retry 2, duplicate 1. Never rejects: every path ends in a
// RecordDecision.
// ---------------------------------------------------------------------------

export type ProcessDeps = {
  readonly store: DeliveryStore;
  readonly http: Pick<HttpClient, 'deliver'>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: WorkerMetrics;
  // the retry and secret policies are the store's (store.policies, read once from config):
  // it classifies each observation and redacts the request; logs use the same secret policy
  readonly leaseMs: number;
  /** Seals the credentials the policy redacts (KMS on AWS, the devkit's key locally); none: they are dropped. */
  readonly sealer?: Sealer;
  /** Makes the attemptId of an exchange before its append (kept if it travels through SQS). */
  readonly newId?: () => string;
  /** Delay of an observed outcome sent back through SQS (default 2 s: DynamoDB was just down). */
  readonly handoffDelayMs?: number;
  /** The hand-off body's bound (default SQS's maximum, core's size.SQS_MESSAGE_BYTES; tests use less). */
  readonly handoffMaxBytes?: number;
  /** The endpoint breaker (DELIVERY_BREAKER=on): asked before the claim; none = always deliver. */
  readonly gate?: EndpointGate;
  /**
   * DELIVERY_RECEIVER_CONTROL=on: a `webhook-delivery: disable` response pauses the endpoint
   * (needs `gate`); `abort-message` makes that message's failure final (no further retries).
   */
  readonly receiverControl?: boolean;
  /** DELIVERY_SUCCESS_SNIPPET=on: a success's body snippet is kept on its attempt. */
  readonly keepSuccessSnippet?: boolean;
  /** DELIVERY_ENDPOINT_CREDENTIALS: per-endpoint credentials put on the request at send time. */
  readonly endpointCredentials?: EndpointCredentialer;
};

const DEFAULT_HANDOFF_DELAY_MS = 2_000;

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

/** A messageId reused with a different payload: repeating cannot help. */
const reusedId = (deps: ProcessDeps, log: Logger, e: StoreFailure): RecordDecision => {
  deps.metrics.add('PoisonRecords', 'Count', 1);
  log.error('messageId already used for a different request; sending the record to the DLQ', { reason: e.message });
  return Poison(`messageId reused with a different request: ${e.message}`);
};

/** Only before an observed outcome's append (it needs the STATE); the hot path creates in claimStep. */
const createStep = async (deps: ProcessDeps, log: Logger, request: DeliveryRequest): Promise<Step<void>> => {
  const created = await deps.store.createMessage(request)();
  if (E.isRight(created)) {
    if (created.right.created) log.info('message created', { endpoint: created.right.state.endpoint });
    return E.right(undefined);
  }
  const e = created.left;
  if (isFingerprintConflict(e)) return E.left(reusedId(deps, log, e));
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

/** Why the message was not claimed, as a decision for the record. */
const refused = (deps: ProcessDeps, log: Logger, e: StoreFailure): RecordDecision => {
  const now = deps.clock();
  switch (e._tag) {
    case 'AlreadyFinal':
      // A duplicate or late copy of a finished message: nothing to deliver.
      return skip(deps, log, 'AlreadyFinal', Done('already final'), { reason: e.message });
    case 'Leased':
      // Another worker is delivering it now; look again once its lease has run out.
      return skip(
        deps,
        log,
        'Leased',
        RetryIn(msUntil(e.expiresAt, now) + LEASE_MARGIN_MS, 'leased by another worker'),
        { expiresAt: e.expiresAt },
      );
    case 'NotDue':
      // Early (e.g. a visibility change that failed): come back when the retry is due.
      return skip(deps, log, 'NotDue', RetryIn(msUntil(e.nextAttemptAt, now), 'retry not due yet'), {
        nextAttemptAt: e.nextAttemptAt,
      });
    case 'NotFound':
      deps.metrics.add('DynamoDBErrors', 'Count', 1, { error: e._tag });
      log.error('message vanished during the claim; redelivering', { reason: e.message });
      return Redeliver(e.message);
    default:
      return isFingerprintConflict(e) ? reusedId(deps, log, e) : storeTrouble(deps, log, 'createAndClaim', e);
  }
};

/** The hold refused: a duplicate (final, leased) like a refused claim; a race looks again soon. */
const holdRefused = (deps: ProcessDeps, log: Logger, e: StoreFailure): RecordDecision =>
  e._tag === 'Conflict' ? RetryIn(LEASE_MARGIN_MS, `hold raced: ${e.message}`) : refused(deps, log, e);

/**
 * Invariant 11: a message for an open, paused or disabled endpoint is held (HOLD#k, STATE
 * HELD) and its record deleted: no claim, no attempt, no retry budget, no receive count
 * towards the DLQ. The release (drain) enqueues it again. Right: deliver (maybe as the probe).
 */
const admitStep = async (deps: ProcessDeps, log: Logger, request: DeliveryRequest): Promise<Step<void>> => {
  if (deps.gate === undefined) return E.right(undefined);
  const admission = await deps.gate.admit(request.url, request.messageId).catch((error: unknown) => {
    // advisory: a breaker we cannot read must not stop deliveries
    log.warn('endpoint breaker unreadable; delivering', {
      error: error instanceof Error ? error.message : String(error),
    });
    return { kind: 'deliver', probe: false } as const;
  });
  if (admission.kind === 'deliver') {
    if (admission.probe) {
      deps.metrics.add('BreakerProbes', 'Count', 1);
      log.info('half-open probe: this delivery tests the endpoint');
    }
    return E.right(undefined);
  }
  const held = await deps.gate.hold(request, admission)();
  if (E.isLeft(held)) return E.left(holdRefused(deps, log, held.left));
  deps.metrics.add('DeliveriesHeld', 'Count', 1, { mode: admission.mode });
  log.info('delivery held for its endpoint', {
    mode: admission.mode,
    reason: admission.reason,
    hold: held.right.hold?.holdNumber ?? null,
    alreadyHeld: held.right.hold === null,
  });
  return E.left(Done(`held (${admission.mode}): ${admission.reason}`));
};

/** The receiver's `webhook-delivery` response header, lower-cased and trimmed (its request to us). */
const receiverAsks = (x: HttpExchange): string | undefined =>
  x.observation.kind === 'response'
    ? Object.entries(x.observation.headers)
        .find(([k]) => k.toLowerCase() === 'webhook-delivery')?.[1]
        ?.trim()
        .toLowerCase()
    : undefined;

/**
 * Receiver control (issue 27, off by default): a response header `webhook-delivery: disable`
 * pauses the endpoint (audited as by `receiver`, the message, attempt and status as evidence).
 * Best effort after the attempt is recorded: a failure is logged, the delivery stands.
 */
const receiverControlStep = async (
  deps: ProcessDeps,
  log: Logger,
  request: DeliveryRequest,
  claimed: Claimed,
  x: HttpExchange,
  asked: string | undefined,
): Promise<void> => {
  if (deps.receiverControl !== true || deps.gate === undefined || x.observation.kind !== 'response') return;
  if (asked !== 'disable') return;
  const reason = `receiver asked: webhook-delivery: disable (HTTP ${x.observation.statusCode} to message ${request.messageId}, attempt ${claimed.ticket.attemptNumber})`;
  const paused = await deps.gate.pauseFor(request.url, reason);
  if (E.isLeft(paused))
    log.error('receiver asked to disable the endpoint; pause not recorded', { reason: paused.left });
  else log.warn("endpoint paused at the receiver's request", { reason });
};

/**
 * Receiver control (off by default): `webhook-delivery: abort-message` marks the observation,
 * so core's classification makes a failure final (no retry; the response stays the evidence,
 * the header among the kept ones). A success stays a success.
 */
const withReceiverAbort = (
  deps: ProcessDeps,
  log: Logger,
  x: HttpExchange,
  asked: string | undefined,
): HttpExchange => {
  if (deps.receiverControl !== true || asked !== 'abort-message' || x.observation.kind !== 'response') return x;
  log.warn('receiver asked to abort this message: no further retries', { statusCode: x.observation.statusCode });
  return { ...x, observation: { ...x.observation, receiverAbort: true } };
};

/** Protocol 1 + 2 in one UpdateItem: creates the STATE if it is new and claims it when due. */
const claimStep = async (
  deps: ProcessDeps,
  log: Logger,
  request: DeliveryRequest,
  sealed: string | null,
): Promise<Step<Claimed>> => {
  const claimed = await deps.store.createAndClaim(request, { leaseMs: deps.leaseMs, sealed })();
  if (E.isLeft(claimed)) return E.left(refused(deps, log, claimed.left));
  const { created, ...c } = claimed.right;
  if (created) log.info('message created', { endpoint: c.state.endpoint });
  return E.right(c);
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

/** The exchange as it travels back through SQS (response headers as the policy keeps them). */
const observedOf = (claimed: Claimed, attemptId: string, x: HttpExchange): ObservedExchange => ({
  attemptNumber: claimed.ticket.attemptNumber,
  leaseId: claimed.ticket.leaseId,
  attemptId,
  startedAt: x.startedAt.toISOString(),
  completedAt: x.completedAt.toISOString(),
  observation:
    x.observation.kind === 'response'
      ? {
          ...x.observation,
          headers: redaction.redactHeaders(x.observation.headers),
          responseTimeMs: Math.max(0, Math.round(x.observation.responseTimeMs)),
        }
      : { ...x.observation, responseTimeMs: Math.max(0, Math.round(x.observation.responseTimeMs)) },
  responseHeaders: x.responseHeaders === null ? null : redaction.redactHeaders(x.responseHeaders),
  ...(x.sentHeaders === undefined ? {} : { sentHeaders: x.sentHeaders }),
});

/** What the record does once its attempt (or the attempt's resolution) is stored. */
const afterAppend = (deps: ProcessDeps, r: AppendResult): RecordDecision => {
  if (r.superseded || r.resolution !== null) {
    // We had lost the lease: whoever holds it now schedules the message. Keep this record
    // around (not deleted: it may be the only copy) and look again after a lease.
    return RetryIn(deps.leaseMs, r.superseded ? 'attempt recorded as superseded' : 'lost attempt resolved');
  }
  if (r.final) return Done(r.status === 'SUCCESS' ? 'delivered' : 'failed for good');
  return RetryIn(msUntil(r.nextAttemptAt ?? undefined, deps.clock()), 'retry scheduled');
};

const appendStep = async (
  deps: ProcessDeps,
  log: Logger,
  request: DeliveryRequest,
  claimed: Claimed,
  x: HttpExchange,
): Promise<RecordDecision> => {
  const attemptId = (deps.newId ?? randomUUID)();
  const appended = await deps.store.appendAttempt({
    claimed,
    attemptId,
    startedAt: x.startedAt,
    completedAt: x.completedAt,
    responseHeaders: x.responseHeaders,
    ...(x.sentHeaders === undefined ? {} : { sentHeaders: x.sentHeaders }),
    // the store asks core for the outcome of the number actually written (if a superseded
    // attempt took ours, exhaustion is decided for the number stored)
    observation: x.observation,
    ...(deps.keepSuccessSnippet === true ? { keepSuccessSnippet: true } : {}),
  })();
  if (E.isLeft(appended)) {
    const e = appended.left;
    if (e._tag === 'AlreadyFinal') return skip(deps, log, 'AlreadyFinal', Done('finished by another worker'), {});
    // A Conflict here means the number could not be placed in bounded rounds: the next
    // receive claims afresh, so it is worth another go, not the DLQ.
    const decision = storeTrouble(deps, log, 'appendAttempt', e, (x) => isRetryable(x) || x._tag === 'Conflict');
    // only an outage is handed off; a Conflict claims afresh on the record's next receive
    if (decision._tag !== 'Redeliver' || !isRetryable(e)) return decision;
    // The request went out and DynamoDB cannot take its outcome now: send the exchange back
    // through SQS (createHandler; protocol 7) so a later receive records it, by attemptId.
    // bounded below the queue's limit (core's size.boundHandoffBody trims the observed copies)
    const bounded = size.boundHandoffBody(request, observedOf(claimed, attemptId, x), deps.handoffMaxBytes);
    if (E.isLeft(bounded)) {
      deps.metrics.add('OutcomesNotSent', 'Count', 1);
      log.error(
        'attempt not recorded after an HTTP request was sent; too large to hand off through SQS: the record returns and its claim records the attempt as lost once the lease expires',
        { reason: bounded.left },
      );
      return decision;
    }
    if (bounded.right.trimmed) log.warn('observed outcome trimmed to fit the queue', { bytes: bounded.right.bytes });
    return Handoff(bounded.right.body, deps.handoffDelayMs ?? DEFAULT_HANDOFF_DELAY_MS, `appendAttempt: ${e.message}`, {
      messageId: request.messageId,
      correlationId: request.correlationId,
      attempt: claimed.ticket.attemptNumber,
      attemptId,
    });
  }
  const r = appended.right;
  observe(deps, withKeys(log, { attempt: r.attemptNumber }), x, r);
  return afterAppend(deps, r);
};

/** An exchange sent back through SQS: record it (idempotent), then carry on as a delivery. */
const observedStep = async (
  deps: ProcessDeps,
  log: Logger,
  request: DeliveryRequest,
  observed: ObservedExchange,
): Promise<Step<void>> => {
  const recorded = await deps.store.appendObserved({
    messageId: request.messageId,
    leaseId: observed.leaseId,
    attemptNumber: observed.attemptNumber,
    attemptId: observed.attemptId,
    startedAt: new Date(observed.startedAt),
    completedAt: new Date(observed.completedAt),
    responseHeaders: observed.responseHeaders,
    ...(observed.sentHeaders === undefined ? {} : { sentHeaders: observed.sentHeaders }),
    observation: observed.observation,
  })();
  if (E.isLeft(recorded)) {
    const e = recorded.left;
    if (e._tag === 'AlreadyFinal') {
      log.warn('observed outcome arrived after the message became final; not recorded', { reason: e.message });
      return E.right(undefined);
    }
    // keep the record: it is the only copy of the outcome
    return E.left(storeTrouble(deps, log, 'appendObserved', e, (x) => isRetryable(x) || x._tag === 'Conflict'));
  }
  const r = recorded.right;
  deps.metrics.add('OutcomesRecoveredThroughSqs', 'Count', 1);
  log.info('observed outcome recovered through SQS', {
    attempt: r.attemptNumber,
    statusCode: (r.resolution?.deliveryResult ?? r.attempt.deliveryResult).statusCode,
    duplicate: r.duplicate,
    resolution: r.resolution !== null,
    superseded: r.superseded,
  });
  return E.right(undefined);
};

/** The request went out or not: a client that throws is an observation too (never a throw here). */
const deliverStep = async (deps: ProcessDeps, request: DeliveryRequest): Promise<HttpExchange> => {
  const startedAt = deps.clock();
  try {
    return await deps.http.deliver({
      messageId: request.messageId,
      url: request.url,
      method: request.method,
      headers: request.headers,
      body: request.body,
    });
  } catch (error) {
    const completedAt = deps.clock();
    return {
      startedAt,
      completedAt,
      observation: {
        kind: 'error',
        code: 'NETWORK_ERROR',
        message: `HTTP client failed: ${error instanceof Error ? error.message : String(error)}`,
        responseTimeMs: Math.max(0, completedAt.getTime() - startedAt.getTime()),
      },
      responseHeaders: null,
      bodyBytesRead: 0,
      bodyTruncated: false,
      sent: true,
    };
  }
};

/** Nothing went out: the credentials could not be restored (an attempt all the same: the claim ends in one). */
const notSent = (deps: ProcessDeps, why: NotSendable | CredentialsNotSendable): HttpExchange => {
  const at = deps.clock();
  return {
    startedAt: at,
    completedAt: at,
    observation: { kind: 'error', code: why.code, message: why.message, responseTimeMs: 0 },
    responseHeaders: null,
    bodyBytesRead: 0,
    bodyTruncated: false,
    sent: false,
  };
};

/** Claimed, then something threw: come back right after the lease, when a takeover records it as lost. */
const afterClaimFailure = (deps: ProcessDeps, base: Logger, claimed: Claimed, error: unknown): RecordDecision => {
  const reason = error instanceof Error ? error.message : String(error);
  try {
    base.error('unexpected error after the claim; the record returns when the lease expires', {
      error: error instanceof Error ? (error.stack ?? error.message) : reason,
      leaseExpiresAt: claimed.lease.expiresAt,
    });
  } catch {
    // a logger that throws must not keep the message PROCESSING either
  }
  let now: Date;
  try {
    now = deps.clock();
  } catch {
    now = new Date();
  }
  return RetryIn(msUntil(claimed.lease.expiresAt, now) + LEASE_MARGIN_MS, reason);
};

/** The per-record pipeline; the returned function never rejects. */
export const processRecord =
  (deps: ProcessDeps) =>
  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: the record's steps in order (decode, [create, observed,] create-and-claim, deliver, append); each step is a function
  async (record: SQSRecord): Promise<RecordDecision> => {
    const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? '1');
    const secrets = deps.store.policies.secrets;
    const keys = { sqsMessageId: record.messageId, receiveCount };
    // every line passes the secret policy (invariant 9), bounded in size
    const base = withKeys(redaction.redactingLogger(deps.logger, secrets), keys);
    let claimed: Claimed | undefined;
    try {
      const decoded = decodeRecord(record.body);
      if (E.isLeft(decoded)) {
        deps.metrics.add('PoisonRecords', 'Count', 1);
        base.error('undecodable SQS body; sending the record to the DLQ', { reason: decoded.left });
        return Poison(decoded.left);
      }
      const { request, observed } = decoded.right;
      // ... and, once the request is known, the exact values it carries
      const logFor = (known: KnownSecrets): Logger =>
        withKeys(redaction.redactingLogger(deps.logger, secrets, known), {
          ...keys,
          messageId: request.messageId,
          correlationId: redaction.safeLogKey(request.correlationId, secrets),
        });
      const log = logFor(redaction.requestSecrets(request, secrets));
      if (observed !== null) {
        // rare path (an outcome back through SQS): its append needs the STATE, so the old
        // order stays here: create, record the outcome, then claim (the upsert finds it).
        const created = await createStep(deps, log, request);
        if (E.isLeft(created)) return created.left;
        const recorded = await observedStep(
          deps,
          withKeys(log, { attempt: observed.attemptNumber }),
          request,
          observed,
        );
        if (E.isLeft(recorded)) return recorded.left;
      }
      const admitted = await admitStep(deps, log, request);
      if (E.isLeft(admitted)) return admitted.left;
      const sealDeps = { secrets, metrics: deps.metrics, ...(deps.sealer ? { sealer: deps.sealer } : {}) };
      const claim = await claimStep(deps, log, request, await sealStep(sealDeps, log, request));
      if (E.isLeft(claim)) return claim.left;
      claimed = claim.right;
      const unsealed = await sendableStep(sealDeps, log, request, claimed.state.sealed);
      // then the endpoint's configured credential (it wins over the message's own of that name)
      const sendable = E.isRight(unsealed) ? await credentialStep(deps, log, unsealed.right) : unsealed;
      // restored and configured credentials are this request's secrets too: logs and echoes scrub them
      const sent = E.isRight(sendable) ? sendable.right : request;
      const known = redaction.requestSecrets(sent, secrets);
      const attemptLog = withKeys(logFor(known), { attempt: claimed.ticket.attemptNumber });
      const raw = E.isRight(sendable) ? await deliverStep(deps, sent) : notSent(deps, sendable.left);
      refusedCredentialStep(
        deps,
        attemptLog,
        sent.url,
        raw.observation.kind === 'response' ? raw.observation.statusCode : null,
      );
      // the response side: nothing the receiver echoed goes further than here
      // read before the scrub keeps only allow-listed response headers; used, never stored
      const asked = receiverAsks(raw);
      const exchange = withReceiverAbort(deps, attemptLog, scrubExchange(raw, secrets, known), asked);
      const decision = await appendStep(deps, attemptLog, request, claimed, exchange);
      await receiverControlStep(deps, attemptLog, request, claimed, exchange, asked);
      return decision;
    } catch (error) {
      if (claimed !== undefined) return afterClaimFailure(deps, base, claimed, error);
      // A bug, not a data problem: keep the record (SQS redelivers) and say so loudly.
      try {
        base.error('unexpected error while processing a record', {
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        });
      } catch {
        // nothing was claimed: SQS redelivers the record
      }
      return Redeliver(error instanceof Error ? error.message : String(error));
    }
  };
