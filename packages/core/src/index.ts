// codecs
export { DecodeError, decodeWith } from './codecs/decodeWith.js';
export { DeliveryRequest, type DeliveryTarget, parseDeliveryTarget } from './codecs/deliveryRequest.js';
export { HttpMethod, OutcomeCategory, Status } from './codecs/enums.js';
export {
  AttemptItem,
  AttemptRequest,
  AuditEntry,
  ExpungeItem,
  ExpungeMark,
  ExpungeScope,
  isEntry,
  Lease,
  RedriveItem,
  RequeueItem,
  ResolutionItem,
  StateItem,
} from './codecs/items.js';
export { DeliveryResult, Truncations } from './codecs/outcome.js';
export { HoldItem, HoldKind } from './codecs/holdItem.js';
export { IsoTimestamp, NonNegativeInt, PositiveInt, withDefault } from './codecs/primitives.js';
export { codePointName } from './codecs/unsafeChar.js';
// the one output rule (invariant 10): what every face shows of stored text
export { display } from './display/display.js';
export { unsendableHeaderChar } from './request/unsendableHeaderChar.js';
// delivery targets: the SSRF rule (worker's connector, re-drive warnings) and webhook signing
export { type AllowList, EMPTY_ALLOW_LIST } from './request/allowList.js';
export { BlockedTargetError, checkTarget } from './request/targetGuard.js';
export {
  parseSigningSecrets,
  type SigningKeys,
  signatureHeaders,
  verifySignature,
} from './request/standardWebhooks.js';
// CloudWatch names (Lambdas publish, infra's alarms read)
export { METRICS_NAMESPACE, PROJECTOR_SERVICE_NAME } from './config/telemetryNames.js';
// outcome classification and retry policy
export type { AttemptObservation, Outcome, OutcomeInput } from './outcome/determineDeliveryOutcome.js';
export { determineDeliveryOutcome } from './outcome/determineDeliveryOutcome.js';
export type { TransportErrorCode } from './outcome/outcomeTable.js';
export type { RetryPolicy } from './outcome/retryPolicy.js';
export { defaultRetryPolicy, makeRetryPolicy } from './outcome/retryPolicy.js';
// redaction: the one secret policy (invariant 9)
// per-endpoint credentials (issue 28): configured per endpoint, applied at send time
export { type EndpointCredentialer, endpointCredentialer } from './credentials/applyEndpointCredential.js';
export {
  checkCredentialPlacements,
  type EndpointCredentials,
  parseEndpointCredentials,
} from './credentials/endpointCredentials.js';
export type { SecretSource } from './credentials/secretCache.js';
export { findSecrets, type SecretFinding } from './redaction/findSecrets.js';
export type { KnownSecrets } from './redaction/freeText.js';
export { redaction } from './redaction/redaction.js';
export { defaultSecretPolicy, makeSecretPolicy, type SecretPolicy, secretSettingsFromEnv } from './redaction/policy.js';
export { buildAttemptItem } from './request/buildAttemptItem.js';
export { createStateItem } from './request/createStateItem.js';
export { endpointKeysOf, endpointOf, normalizeEndpoint, parseEndpointFilter } from './request/endpointIdentity.js';
export { deliveryRequestOf, describeRequestRefusal } from './request/deliveryRequestOf.js';
export { attemptRequestOf, attemptRequestOfState } from './request/requestDigest.js';
export { size } from './size/size.js';
// data lifecycle: retention (TTL) and expunge
export { epochSeconds, healthExpiry, isExpired, retentionExpiry } from './lifecycle/retention.js';
export {
  type ExpungeRule,
  expungeAttempt,
  expungeAttemptContent,
  expungeState,
  expungeStateContent,
} from './lifecycle/expunge.js';
// state machine, fold, audit
export { fold, seedOf } from './state/fold.js';
export type { ProjectionField } from './state/projection.js';
export { deepEqual, diffProjection, projectionFields } from './state/projection.js';
export { isPlacedRequeue, type PlacedRequeue, rebuildAuditTrail } from './state/rebuildAuditTrail.js';
export { attemptsWhileHeld } from './state/attemptsWhileHeld.js';
export { isFinal, transition } from './state/transition.js';
export { describeRedriveRefusal, nextRedrive, type RedriveRefusal, redriveRefusal } from './state/redriveRefusal.js';
export { stalled } from './state/stall.js';
export { describeTransitionError } from './state/transitionError.js';
// ports: logger, clock, sleep, timeout, backoff (one of each, used by every package)
export { type Backoff, backoffDelayMs } from './ports/backoff.js';
export { type Clock, systemClock } from './ports/clock.js';
export { type LogEntry, type Logger, memoryLogger, silentLogger, withKeys } from './ports/logger.js';
export { type Sleep, sleep, TimeoutError, withTimeout } from './ports/sleep.js';
// configuration: one environment reader, the shared variables and their rules
export {
  AnyString,
  AwsRegion,
  EndpointUrl,
  intString,
  isTableName,
  optionalVar,
  parsedString,
  TableName,
} from './config/envCodecs.js';
export { type EnvOf, type EnvSource, envValue, readEnv } from './config/readEnv.js';
export { OnOff, sharedVars } from './config/sharedVars.js';
export { readStorePolicies, type StorePolicies } from './config/readStorePolicies.js';
export { ObservedExchange } from './codecs/observedExchange.js';
// operator events (delivery.failed / delivery.lost / delivery.redriven)
export {
  dedupeOperatorEvents,
  OPERATOR_EVENT_SOURCE,
  type OperatorEvent,
  type OperatorEventPublisher,
  operatorEventsOf,
  type PublishError,
  type PublishReport,
  type RedriveContext,
} from './events/operatorEvents.js';
export { type HealthDelta, healthDeltaOf, hourOf, maxMarker, mergeDeltas } from './health/healthDelta.js';
export {
  type HealthBucket,
  HealthBucketItem,
  type HealthHour,
  HealthHourItem,
  sumShards,
} from './health/healthBucket.js';
export { failuresByMinute, type MinuteFailures } from './health/failuresByMinute.js';
export {
  type EndpointHealth,
  endpointHealthOf,
  quietEndpointHealth,
  type HealthSummary,
  type HourHealth,
  hourlySeriesOf,
} from './health/endpointHealth.js';
// endpoint breaker: pure decisions (the projector observes, the worker gates, operators pause/resume)
export type { BreakerSettings } from './breaker/breakerSettings.js';
export { BreakerState, type BreakerTransition } from './breaker/breakerState.js';
export { BreakerMoveItem } from './breaker/breakerMoveItem.js';
export { breaker } from './breaker/breaker.js';
// sealing: credentials kept encrypted for the worker alone (DESIGN "Credentials: sealed, not dropped")
export { sealing } from './seal/sealing.js';
export type { DataKey, KeyProvider } from './seal/keyProvider.js';
export type { WrappingKey } from './seal/rawAesKeyProvider.js';
export type { Sealer } from './seal/sealer.js';
export type { SealError } from './seal/sealError.js';
// Types no other package imports, but tsc names in their declaration files (the worker's and
// projector's env codecs, the CLI's endpoints document): tagged so knip keeps them.
/** @public */
export type { DefaultType } from './codecs/primitives.js';
/** @public */
export type { HealthEvent, LatencySummary } from './health/endpointHealth.js';
/** @public */
export type { StatusClass } from './health/counters.js';
