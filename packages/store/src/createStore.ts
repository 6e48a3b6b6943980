import type { DeliveryRequest, RequeueItem, StateItem } from '@delivery-history/core';
import type * as E from 'fp-ts/lib/Either.js';
import type * as T from 'fp-ts/lib/Task.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import { type Env, makeEnv, type StoreDeps } from './env.js';
import type { StoreError } from './errors/storeError.js';
import {
  type AppendAttemptInput,
  type AppendObservedInput,
  type AppendResult,
  appendAttempt,
  appendObserved,
} from './ops/appendAttempt.js';
import { type AppendRedriveInput, appendRedrive, type Redriven } from './ops/appendRedrive.js';
import { type AppendHoldInput, appendHold, type Held } from './ops/appendHold.js';
import { listBreakers, readBreaker, writeBreaker } from './ops/breakerItem.js';
import { countHeld, type HeldEntry, listHeld } from './ops/listHeld.js';
import { type AppendRequeueInput, appendRequeue } from './ops/appendRequeue.js';
import { type ClaimOptions, type Claimed, claim } from './ops/claim.js';
import { type Created, createMessage } from './ops/createMessage.js';
import { type CreateAndClaimOptions, type CreatedAndClaimed, createAndClaim } from './ops/upsertClaim.js';
import { getHistory, type History } from './ops/getHistory.js';
import { getState } from './ops/getState.js';
import { listAttempts } from './ops/listAttempts.js';
import { readAuditTrail } from './ops/readAudit.js';
import { readPartition } from './ops/readPartition.js';
import { syncRetention, syncRetentionAfter } from './ops/syncRetention.js';
import { type Expunged, type ExpungeInput, expungeMessage } from './ops/expungeMessage.js';
import { type AuditWrite, type RewriteAuditInput, rewriteAuditTrail } from './ops/writeAudit.js';
import type { AuditTrail } from './audit/auditTrail.js';
import type { RawItem } from './query/partition.js';
import { countMessages, type ScanMessagesInput, type ScannedMessage, scanMessages } from './query/scanMessages.js';
import { repairProjection } from './ops/repairProjection.js';
import {
  type QueryByCorrelationInput,
  type QueryByEndpointInput,
  type QueryFailedInput,
  queryByCorrelation,
  queryByEndpoint,
  queryFailed,
} from './query/indexQueries.js';
import { type ScanSegmentInput, scanSegment } from './query/scanSegment.js';
import type { Page, StateSummary } from './query/stateSummary.js';
import { observe } from './support/observe.js';
import type { AuditStep } from './audit/auditStep.js';
import type { HealthWrite } from './health/healthActions.js';
import { batchPut } from './ops/batchPut.js';
import { getCheckpoint, putCheckpoint, type ShardCheckpoint } from './ops/checkpoint.js';
import { getHeadAndState, getHeadsAndStates, type HeadAndState } from './ops/getHeadAndState.js';
import { listRedrives } from './ops/listRedrives.js';
import { listHolds, listRequeues } from './ops/listHolds.js';
import { writeAuditStep } from './ops/writeAudit.js';
import { type StepWrite, writeAuditSteps } from './ops/writeAuditSteps.js';
import { type BucketShard, type HealthMarker, putHealthIndex, raiseHealthMarkers } from './ops/writeEndpointHealth.js';
import type {
  AttemptItem,
  BreakerState,
  BreakerTransition,
  HealthBucket,
  HealthHour,
  HoldItem,
  RedriveItem,
  RetryPolicy,
  SecretPolicy,
} from '@delivery-history/core';
import { type HealthWindow, readEndpointHealth } from './ops/readEndpointHealth.js';
import { putHealthBuckets, putHealthHours } from './ops/writeEndpointHealth.js';
import { type HoursWindow, readHealthHours } from './ops/readHealthHours.js';

/** The store's operations; each returns a TaskEither and logs its final failure once. */
export interface Store {
  readonly tableName: string;
  /** The policies it was built with (read once from config): the worker logs, and `dh verify` checks, by the same. */
  readonly policies: { readonly retry: RetryPolicy; readonly secrets: SecretPolicy };
  createMessage(request: DeliveryRequest): TE.TaskEither<StoreError, Created>;
  getState(messageId: string): TE.TaskEither<StoreError, StateItem>;
  claim(messageId: string, options?: ClaimOptions): TE.TaskEither<StoreError, Claimed>;
  /** createMessage + claim in one conditional UpdateItem (the worker's hot path; upsertClaim.ts). */
  createAndClaim(
    request: DeliveryRequest,
    options?: CreateAndClaimOptions,
  ): TE.TaskEither<StoreError, CreatedAndClaimed>;
  appendAttempt(input: AppendAttemptInput): TE.TaskEither<StoreError, AppendResult>;
  /** An exchange that came back through SQS after its append failed (idempotent by attemptId). */
  appendObserved(input: AppendObservedInput): TE.TaskEither<StoreError, AppendResult>;
  appendRedrive(input: AppendRedriveInput): TE.TaskEither<StoreError, Redriven>;
  /** Hold event holds + 1 (held / released / expired) and STATE by core's transition, one transaction (invariant 11). */
  appendHold(input: AppendHoldInput): TE.TaskEither<StoreError, Held>;
  /** An endpoint's breaker, or null (never written = closed); `consistent` for a decision that writes. */
  readBreaker(endpoint: string, consistent?: boolean): TE.TaskEither<StoreError, BreakerState | null>;
  /** Writes a breaker state core decided, if the stored one is still at `expectedVersion` (else Conflict). */
  /** `move`: an operator's or receiver's change, logged (MOVE#) in the same transaction. */
  writeBreaker(
    next: BreakerState,
    expectedVersion: number,
    move?: BreakerTransition,
  ): TE.TaskEither<StoreError, BreakerState>;
  /** Every endpoint's breaker (one Query). */
  listBreakers(): TE.TaskEither<StoreError, BreakerState[]>;
  /** Up to `limit` held messages of an endpoint, oldest created first. */
  listHeld(endpoint: string, limit: number): TE.TaskEither<StoreError, HeldEntry[]>;
  /** How many messages of an endpoint are held. */
  countHeld(endpoint: string): TE.TaskEither<StoreError, number>;
  /** Records that a stalled message was pushed to the queue again (REQUEUE#: who, why, when). */
  appendRequeue(input: AppendRequeueInput): TE.TaskEither<StoreError, RequeueItem>;
  repairProjection(messageId: string, expected: StateItem, observed: StateItem): TE.TaskEither<StoreError, StateItem>;
  getHistory(messageId: string): TE.TaskEither<StoreError, History>;
  listAttempts(messageId: string, fromNumber?: number, toNumber?: number): TE.TaskEither<StoreError, AttemptItem[]>;
  /** Every item of a message as stored (classify with `classifyPartition`). */
  readPartition(messageId: string): TE.TaskEither<StoreError, RawItem[]>;
  readAuditTrail(messageId: string): TE.TaskEither<StoreError, AuditTrail>;
  /** Replay's repair of an audit trail: 'moved' when the trail changed since it was read. */
  rewriteAuditTrail(input: RewriteAuditInput): TE.TaskEither<StoreError, AuditWrite>;
  queryFailed(input: QueryFailedInput): TE.TaskEither<StoreError, Page<StateSummary>>;
  queryByEndpoint(input: QueryByEndpointInput): TE.TaskEither<StoreError, Page<StateSummary>>;
  queryByCorrelation(input: QueryByCorrelationInput): TE.TaskEither<StoreError, Page<StateSummary>>;
  scanSegment(input: ScanSegmentInput): TE.TaskEither<StoreError, Page<StateItem>>;
  scanMessages(input: ScanMessagesInput): TE.TaskEither<StoreError, Page<ScannedMessage>>;
  countMessages(totalSegments: number): TE.TaskEither<StoreError, number>;
  /** Retention: gives every item of a message its STATE's TTL (or none); answers how many changed. */
  syncRetention(messageId: string): TE.TaskEither<StoreError, number>;
  /** Removes a final message's content (or re-applies the secret policy), recording EXPUNGE#k. */
  expungeMessage(input: ExpungeInput): TE.TaskEither<StoreError, Expunged>;
  /** Endpoint health as counted: the bucket shards of a window (window index Queries + bucket reads; never a scan). */
  readEndpointHealth(window: HealthWindow): TE.TaskEither<StoreError, HealthBucket[]>;
  /** Endpoint health as the faces show it: the endpoint-hour roll-ups of a window (shards summed). */
  readHealthHours(window: HoursWindow): TE.TaskEither<StoreError, HealthHour[]>;
  /** Replay of endpoint health: replaces buckets with recomputed ones (index items, roll-ups of their hours). */
  putHealthBuckets(buckets: readonly HealthBucket[]): TE.TaskEither<StoreError, void>;
  /** Replay of endpoint health: replaces endpoint-hour roll-ups with recomputed ones. */
  putHealthHours(hours: readonly HealthHour[]): TE.TaskEither<StoreError, void>;
  listRedrives(messageId: string): TE.TaskEither<StoreError, RedriveItem[]>;
  /** Every HOLD#k of a message, by number (the projector reads them when STATE counts more than it saw). */
  listHolds(messageId: string): TE.TaskEither<StoreError, HoldItem[]>;
  /** Every REQUEUE# of a message (the projector reads them when STATE counts more than it saw). */
  listRequeues(messageId: string): TE.TaskEither<StoreError, RequeueItem[]>;
  // the projector's calls: its audit trail, health counts and (locally) stream checkpoints
  /** The audit head and STATE of a message in one BatchGetItem. */
  getHeadAndState(messageId: string): TE.TaskEither<StoreError, HeadAndState>;
  /** getHeadAndState of several messages (at most HEADS_PER_BATCH) in one BatchGetItem; one result per id. */
  getHeadsAndStates(messageIds: readonly string[]): T.Task<E.Either<StoreError, HeadAndState>[]>;
  /** One audit step (the one AUDIT writer), with its endpoint-health counts. */
  writeAuditStep(messageId: string, step: AuditStep, health: HealthWrite | null): TE.TaskEither<StoreError, AuditWrite>;
  /** Several messages' steps, those with counts in shared transactions; one result per write. */
  writeAuditSteps(writes: readonly StepWrite[]): T.Task<E.Either<StoreError, AuditWrite>[]>;
  putHealthIndex(buckets: readonly BucketShard[]): TE.TaskEither<StoreError, void>;
  raiseHealthMarkers(markers: readonly HealthMarker[]): TE.TaskEither<StoreError, void>;
  getCheckpoint(streamArn: string, shardId: string): TE.TaskEither<StoreError, ShardCheckpoint | null>;
  putCheckpoint(streamArn: string, shardId: string, checkpoint: ShardCheckpoint): TE.TaskEither<StoreError, void>;
  /** Bulk load of whole items (synthetic seeding, bench): BatchWriteItem with unprocessed-item rounds. */
  putItems(items: ReadonlyArray<RawItem>): TE.TaskEither<StoreError, void>;
}

export const createStore = (deps: StoreDeps): Store => {
  const env: Env = makeEnv(deps);
  const logged = observe(env);
  return {
    tableName: env.tableName,
    policies: { retry: env.retryPolicy, secrets: env.secrets },
    createMessage: (request) => logged(createMessage(env, request)),
    getState: (messageId) => logged(getState(env, messageId)),
    claim: (messageId, options) => logged(claim(env, messageId, options)),
    createAndClaim: (request, options) => logged(createAndClaim(env, request, options)),
    // retention: the append that made a message final gives its other items the same TTL
    appendAttempt: (input) =>
      logged(
        pipe(
          appendAttempt(env, input),
          TE.chain(
            syncRetentionAfter(env, input.claimed.ticket.messageId, (r) => r.final && env.retentionDays !== null),
          ),
        ),
      ),
    appendObserved: (input) =>
      logged(
        pipe(
          appendObserved(env, input),
          TE.chain(syncRetentionAfter(env, input.messageId, (r) => r.final && env.retentionDays !== null)),
        ),
      ),
    appendRedrive: (input) => logged(appendRedrive(env, input)),
    appendHold: (input) => logged(appendHold(env, input)),
    readBreaker: (endpoint, consistent) => logged(readBreaker(env, endpoint, consistent)),
    writeBreaker: (next, expectedVersion, move) => logged(writeBreaker(env, next, expectedVersion, move)),
    listBreakers: () => logged(listBreakers(env)),
    listHeld: (endpoint, limit) => logged(listHeld(env, endpoint, limit)),
    countHeld: (endpoint) => logged(countHeld(env, endpoint)),
    appendRequeue: (input) => logged(appendRequeue(env, input)),
    repairProjection: (messageId, expected, observed) => logged(repairProjection(env, messageId, expected, observed)),
    getHistory: (messageId) => logged(getHistory(env, messageId)),
    listAttempts: (messageId, fromNumber, toNumber) => logged(listAttempts(env, messageId, fromNumber, toNumber)),
    readPartition: (messageId) => logged(readPartition(env, messageId)),
    readAuditTrail: (messageId) => logged(readAuditTrail(env, messageId)),
    rewriteAuditTrail: (input) => logged(rewriteAuditTrail(env, input)),
    queryFailed: (input) => logged(queryFailed(env, input)),
    queryByEndpoint: (input) => logged(queryByEndpoint(env, input)),
    queryByCorrelation: (input) => logged(queryByCorrelation(env, input)),
    scanSegment: (input) => logged(scanSegment(env, input)),
    scanMessages: (input) => logged(scanMessages(env, input)),
    countMessages: (totalSegments) => logged(countMessages(env, totalSegments)),
    syncRetention: (messageId) => logged(syncRetention(env, messageId)),
    expungeMessage: (input) => logged(expungeMessage(env, input)),
    readEndpointHealth: (window) => logged(readEndpointHealth(env, window)),
    readHealthHours: (window) => logged(readHealthHours(env, window)),
    putHealthBuckets: (buckets) => logged(putHealthBuckets(env, buckets)),
    putHealthHours: (hours) => logged(putHealthHours(env, hours)),
    listRedrives: (messageId) => logged(listRedrives(env, messageId)),
    listHolds: (messageId) => logged(listHolds(env, messageId)),
    listRequeues: (messageId) => logged(listRequeues(env, messageId)),
    getHeadAndState: (messageId) => logged(getHeadAndState(env, messageId)),
    // per-id results: each failure is the caller's to report (the projector's telemetry)
    getHeadsAndStates: (messageIds) => getHeadsAndStates(env, messageIds),
    writeAuditStep: (messageId, step, health) => logged(writeAuditStep(env, messageId, step, health)),
    writeAuditSteps: (writes) => writeAuditSteps(env, writes),
    putHealthIndex: (buckets) => logged(putHealthIndex(env, buckets)),
    raiseHealthMarkers: (markers) => logged(raiseHealthMarkers(env, markers)),
    getCheckpoint: (streamArn, shardId) => logged(getCheckpoint(env, streamArn, shardId)),
    putCheckpoint: (streamArn, shardId, checkpoint) => logged(putCheckpoint(env, streamArn, shardId, checkpoint)),
    putItems: (items) => logged(batchPut(env, items)),
  };
};
