// Test-only door (`@delivery-history/core/testing`): what tests, here or in test/, call that no
// other package's source does. No package's source imports it (test/dependencyDirection.test.ts),
// so it is in no bundle; the index (`@delivery-history/core`) stays what other packages call.
// codecs
export { isDecodeError } from './codecs/decodeWith.js';
export { MaxAttempts } from './codecs/deliveryRequest.js';
export { OutcomeCategory } from './codecs/enums.js';
// delivery targets: the SSRF rule (worker's connector, re-drive warnings) and webhook signing
export { parseAllowList } from './request/allowList.js';
export { classifyAddress } from './request/blockedRanges.js';
export { formatIp, parseIp } from './request/ipAddress.js';
// outcome classification and retry policy
export type { OutcomeContext } from './outcome/determineDeliveryOutcome.js';
export { classifyStatus, STATUS_RULES, TRANSPORT_ERROR_CODES, TRANSPORT_RULES } from './outcome/outcomeTable.js';
export { backoffCapMs, nextAttemptAt, nextDelayMs, parseHttpDate, parseRetryAfter } from './outcome/retryPolicy.js';
export { detectInText, knownSecrets } from './redaction/freeText.js';
export { MAX_LOG_LINE_BYTES, redactLogAttributes } from './redaction/logs.js';
export { isSecretHeader, isSecretParam, secretPolicyFromEnv } from './redaction/policy.js';
export { isSensitiveHeaderName, isSensitiveParamName, redactRequest, redactUrl } from './redaction/redact.js';
export { redactRequestWith } from './redaction/request.js';
export { redactUrlWith } from './redaction/url.js';
export { endpointMatches } from './request/endpointIdentity.js';
export { requestFingerprint, sha256Hex } from './request/requestDigest.js';
export { numberSize } from './size/itemSize.js';
export { TRUNCATION_MARKER, truncateUtf8 } from './size/truncateUtf8.js';
export { EXPUNGED } from './lifecycle/expunge.js';
// state machine, fold, audit
export { orderEvents } from './state/fold.js';
export { PROJECTION_FIELDS } from './state/projection.js';
export type { StateEvent } from './state/transition.js';
export { HELD_EXPIRED_CODE } from './state/applyHold.js';
export { waitingSince } from './state/stall.js';
export { isTransitionError, TRANSITION_ERROR_TAGS } from './state/transitionError.js';
// operator events (delivery.failed / delivery.lost / delivery.redriven)
export { isDeliveryEvent, operatorEventId } from './events/operatorEvents.js';
export { LATENCY_EDGES_MS, latencyBucketOf, latencyUpperEdge, percentileOf } from './health/latency.js';
// endpoint breaker: pure decisions (the projector observes, the worker gates, operators pause/resume)
export { type Verdict, verdictOf } from './breaker/breakerObservation.js';
export { WINDOW_BUCKETS } from './breaker/breakerState.js';
export { SEALED_REQUEST_PURPOSE } from './seal/sealedRequest.js';
