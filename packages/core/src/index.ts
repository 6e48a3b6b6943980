// codecs
export { DecodeError, decodeWith, formatErrors, isDecodeError } from './codecs/decodeWith.js';
export { DeliveryRequest, type DeliveryTarget, MaxAttempts, parseDeliveryTarget } from './codecs/deliveryRequest.js';
export { AttemptStatus, HttpMethod, OutcomeCategory, Status } from './codecs/enums.js';
export {
  AttemptAuditEntry,
  AttemptItem,
  AttemptRequest,
  AttemptResponse,
  AuditEntry,
  ExpungeItem,
  ExpungeMark,
  ExpungeScope,
  isRedriveEntry,
  isResolutionEntry,
  Lease,
  RedriveAuditEntry,
  ResolutionAuditEntry,
  RedriveItem,
  RequeueItem,
  ResolutionItem,
  StateItem,
  StateRequest,
} from './codecs/items.js';
export { DeliveryResult, ErrorDetails, StatusCode, Truncations } from './codecs/outcome.js';
export { HoldItem, HoldKind } from './codecs/holdItem.js';
export {
  type DefaultType,
  HttpUrl,
  IsoTimestamp,
  intRange,
  MessageId,
  NonEmptyString,
  NonNegativeInt,
  nullable,
  PositiveInt,
  StringMap,
  withDefault,
} from './codecs/primitives.js';
export { codePointName } from './codecs/unsafeChar.js';
// the one output rule (invariant 10): what every face shows of stored text
export { displayJson } from './display/displayJson.js';
export { displayLine, displayText } from './display/displayText.js';
export { cutToWidth, displayWidth, fitLine } from './display/displayWidth.js';
export { wrapLine } from './display/wrapLine.js';
export { unsendableHeaderChar } from './request/unsendableHeaderChar.js';
// delivery targets: the SSRF rule (worker's connector, re-drive warnings) and webhook signing
export { type AllowList, EMPTY_ALLOW_LIST, parseAllowList } from './request/allowList.js';
export { BLOCKED_V4, BLOCKED_V6, classifyAddress } from './request/blockedRanges.js';
export { formatIp, parseIp } from './request/ipAddress.js';
export { BlockedTargetError, checkTarget, type GuardVerdict } from './request/targetGuard.js';
export {
  parseSigningSecrets,
  type SigningKeys,
  signatureHeaders,
  verifySignature,
  type VerifyFailure,
} from './request/standardWebhooks.js';
// CloudWatch names (Lambdas publish, infra's alarms read)
export { METRICS_NAMESPACE, PROJECTOR_SERVICE_NAME } from './config/telemetryNames.js';
// outcome classification and retry policy
export type {
  AttemptObservation,
  ErrorObservation,
  LostObservation,
  Outcome,
  OutcomeContext,
  OutcomeInput,
  ResponseObservation,
} from './outcome/determineDeliveryOutcome.js';
export { determineDeliveryOutcome } from './outcome/determineDeliveryOutcome.js';
export type { StatusRule, TransportErrorCode, TransportRule } from './outcome/outcomeTable.js';
export {
  classifyStatus,
  classifyTransportError,
  isTransportErrorCode,
  LOST_CODE,
  LOST_RULE,
  STATUS_RULES,
  TRANSPORT_ERROR_CODES,
  TRANSPORT_RULES,
} from './outcome/outcomeTable.js';
export type { RetryPolicy } from './outcome/retryPolicy.js';
export {
  backoffCapMs,
  defaultRetryPolicy,
  makeRetryPolicy,
  nextAttemptAt,
  nextDelayMs,
  parseHttpDate,
  parseRetryAfter,
} from './outcome/retryPolicy.js';
// redaction: the one secret policy (invariant 9)
export { findSecrets, type SecretFinding } from './redaction/findSecrets.js';
export {
  detectInText,
  type KnownSecrets,
  knownSecrets,
  MIN_EXACT_SECRET_CHARS,
  NO_KNOWN_SECRETS,
  scrubText,
  TEXT_DETECTORS,
  type TextDetector,
} from './redaction/freeText.js';
export {
  boundText,
  MAX_LOG_LINE_BYTES,
  MAX_LOG_VALUE_BYTES,
  redactingLogger,
  redactLogAttributes,
  safeLogKey,
} from './redaction/logs.js';
export {
  DROPPED_HEADERS_KEY,
  KEEP_RESPONSE_HEADERS,
  REDACTED,
  SECRET_HEADER_NAMES,
  SECRET_PARAM_NAMES,
  WORKER_OWNED_HEADERS,
} from './redaction/names.js';
export { type PathRule, PROVIDER_PATH_RULES, parsePathTemplate } from './redaction/paths.js';
export {
  defaultSecretPolicy,
  isSecretHeader,
  isSecretKey,
  isSecretParam,
  keepsResponseHeader,
  makeSecretPolicy,
  NO_SECRET_SETTINGS,
  type SecretPolicy,
  type SecretSettings,
  secretPolicyFromEnv,
  secretSettingsFromEnv,
} from './redaction/policy.js';
export type { RedactOptions } from './redaction/redact.js';
export {
  isSensitiveHeaderName,
  isSensitiveParamName,
  policyWithNames,
  redactHeaders,
  redactRequest,
  redactUrl,
} from './redaction/redact.js';
export {
  redactHeadersWith,
  redactSentHeadersWith,
  redactRequestWith,
  requestSecrets,
  requestSecretValues,
} from './redaction/request.js';
export { keepResponseHeaders, redactResponseHeaders } from './redaction/response.js';
export { analyzeUrl, redactUrlValue, redactUrlWith, type UrlAnalysis, type UrlFinding } from './redaction/url.js';
// items from requests
export type { AttemptParams } from './request/buildAttemptItem.js';
export { buildAttemptItem } from './request/buildAttemptItem.js';
export type { CreateStateOptions } from './request/createStateItem.js';
export { createStateItem, DEFAULT_BODY_BUDGET_BYTES } from './request/createStateItem.js';
export {
  type EndpointFilter,
  endpointKeysOf,
  endpointMatches,
  endpointOf,
  normalizeEndpoint,
  parseEndpointFilter,
} from './request/endpointIdentity.js';
export {
  type BodyNotStored,
  type ContentExpunged,
  deliveryRequestOf,
  describeRequestRefusal,
  type RequestNotRebuilt,
  type RequestRefusal,
} from './request/deliveryRequestOf.js';
export {
  attemptRequestOf,
  attemptRequestOfState,
  requestFingerprint,
  sha256Hex,
} from './request/requestDigest.js';
// size accounting
export type { FieldSpec } from './size/fitToBudget.js';
export { DEFAULT_TRUNCATABLE_FIELDS, fitToBudget, TooLarge } from './size/fitToBudget.js';
export {
  attributeValueSize,
  DYNAMODB_ITEM_LIMIT_BYTES,
  itemSize,
  numberSize,
  significantDigits,
  utf8Bytes,
} from './size/itemSize.js';
export { boundHandoffBody, type HandoffBody, SQS_MAX_MESSAGE_BYTES } from './size/handoffBody.js';
export { TRUNCATION_MARKER, truncateUtf8 } from './size/truncateUtf8.js';
// data lifecycle: retention (TTL) and expunge
export { epochSeconds, healthExpiry, isExpired, retentionExpiry, SECONDS_PER_DAY } from './lifecycle/retention.js';
export {
  EXPUNGED,
  type ExpungeRule,
  expungeAttempt,
  expungeAttemptContent,
  expungeResult,
  expungeState,
  expungeStateContent,
} from './lifecycle/expunge.js';
// state machine, fold, audit
export { fold, orderEvents, seedOf } from './state/fold.js';
export type { Projection, ProjectionField } from './state/projection.js';
export { deepEqual, diffProjection, PROJECTION_FIELDS, projectionFields } from './state/projection.js';
export { rebuildAuditTrail } from './state/rebuildAuditTrail.js';
export type { StateEvent } from './state/transition.js';
export { HELD_EXPIRED_CODE } from './state/applyHold.js';
export { isFinal, transition } from './state/transition.js';
export { describeRedriveRefusal, nextRedrive, type RedriveRefusal, redriveRefusal } from './state/redriveRefusal.js';
export { type Stall, stalled, type Waiting, waitingSince } from './state/stall.js';
export type { TransitionError } from './state/transitionError.js';
export {
  AlreadyFinal,
  describeTransitionError,
  InvalidEvent,
  isTransitionError,
  NotHoldable,
  NotRedrivable,
  StaleAttempt,
  StaleHold,
  StaleRedrive,
  TRANSITION_ERROR_TAGS,
  WrongMessage,
} from './state/transitionError.js';
// ports: logger, clock, sleep, timeout, backoff (one of each, used by every package)
export { type Backoff, backoffDelayMs } from './ports/backoff.js';
export { type Clock, systemClock } from './ports/clock.js';
export {
  type LogAttributes,
  type LogEntry,
  type Logger,
  type LogLevel,
  memoryLogger,
  silentLogger,
  withKeys,
} from './ports/logger.js';
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
export { type EnvOf, type EnvReader, type EnvSource, type EnvVars, envValue, readEnv } from './config/readEnv.js';
export { OnOff, sharedVars } from './config/sharedVars.js';
export { readStorePolicies, type StorePolicies } from './config/readStorePolicies.js';
export { ObservedExchange } from './codecs/observedExchange.js';
// operator events (delivery.failed / delivery.lost / delivery.redriven)
export {
  type DeliveryEvent,
  dedupeOperatorEvents,
  isDeliveryEvent,
  OPERATOR_EVENT_SOURCE,
  type OperatorChange,
  type OperatorDetailType,
  type OperatorEvent,
  type OperatorEventDetail,
  type OperatorEventKind,
  type OperatorEventPublisher,
  operatorEventId,
  operatorEventsOf,
  type PublishError,
  type PublishReport,
  type RedriveContext,
} from './events/operatorEvents.js';
// endpoint health: per-endpoint hourly aggregates (the projector keeps them, `dh endpoints` reads them)
export {
  COUNTER_NAME,
  type HealthCounters,
  isFinalAttempt,
  type StatusClass,
  statusClassOf,
} from './health/counters.js';
export {
  type EventMarker,
  type HealthDelta,
  healthDeltaOf,
  hourOf,
  maxMarker,
  mergeDeltas,
} from './health/healthDelta.js';
export { type HealthBucket, HealthBucketItem } from './health/healthBucket.js';
export { failuresByMinute, type MinuteFailures } from './health/failuresByMinute.js';
export {
  type EndpointHealth,
  endpointHealthOf,
  type HealthEvent,
  type HealthSummary,
  type HourHealth,
  hourlySeriesOf,
  type LatencySummary,
} from './health/endpointHealth.js';
export { LATENCY_EDGES_MS, latencyBucketOf, latencyUpperEdge, percentileOf } from './health/latency.js';
// endpoint breaker: pure decisions (the projector observes, the worker gates, operators pause/resume)
export {
  type BreakerObservation,
  observationOf,
  type Verdict,
  verdictOf,
} from './breaker/breakerObservation.js';
export {
  type BreakerSettings,
  coolOffOf,
  DEFAULT_BREAKER_SETTINGS,
  WARNING_LEVELS,
} from './breaker/breakerSettings.js';
export {
  BreakerMode,
  BreakerState,
  type BreakerTransition,
  type BreakerWarning,
  initialBreaker,
  WINDOW_BUCKETS,
} from './breaker/breakerState.js';
export { type BreakerMove, type Gate, gateOf, pauseBreaker, resumeBreaker, takeProbe } from './breaker/breakerGate.js';
export { type BreakerStep, observeBreaker, tripReasonOf } from './breaker/observeBreaker.js';
// sealing: credentials kept encrypted for the worker alone (DESIGN "Credentials: sealed, not dropped")
export { cachingKeyProvider, DEFAULT_KEY_CACHE_LIMITS, type KeyCacheLimits } from './seal/cachingKeyProvider.js';
export type { DataKey, KeyProvider } from './seal/keyProvider.js';
export { rawAesKeyProvider, type WrappingKey } from './seal/rawAesKeyProvider.js';
export { decodeEnvelope, isSealedEnvelope } from './seal/sealEnvelope.js';
export {
  carriesNoSecret,
  partsToSeal,
  restoreRequest,
  SEALED_REQUEST_PURPOSE,
  type SealedParts,
  sealRequest,
  unsealRequest,
} from './seal/sealedRequest.js';
export { createSealer, type SealContext, type Sealer } from './seal/sealer.js';
export {
  isTransientSealError,
  KeyRefused,
  KeyUnavailable,
  Malformed,
  type SealError,
  Unauthentic,
} from './seal/sealError.js';
export {
  type EndpointEvent,
  type EndpointEventDetail,
  type EndpointEventKind,
  endpointEventsOf,
} from './breaker/endpointEvents.js';
