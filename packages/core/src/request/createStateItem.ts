import type { DeliveryRequest } from '../codecs/deliveryRequest.js';
import type { StateItem } from '../codecs/items.js';
import { defaultSecretPolicy, type SecretPolicy } from '../redaction/policy.js';
import { redactRequestWith } from '../redaction/request.js';
import { utf8Bytes } from '../size/itemSize.js';
import { endpointOf } from './endpointIdentity.js';
import { requestFingerprint, sha256Hex } from './requestDigest.js';

export interface CreateStateOptions {
  readonly now: Date;
  /** Used when the request has no maxAttempts (RetryPolicy.maxAttempts). */
  readonly defaultMaxAttempts: number;
  /** A body over this many UTF-8 bytes is stored as null (recorded in `truncated`). Default 128 KiB. */
  readonly bodyBudgetBytes?: number;
  /** The secret policy (default: the built-in one; the worker has already applied its settings). */
  readonly policy?: SecretPolicy;
}

export const DEFAULT_BODY_BUDGET_BYTES = 128 * 1024;

/**
 * The STATE item for a new message (PENDING, 0 attempts, retryEligible true),
 * with a redacted request. Store keys and index attributes are added by `store`.
 */
export const createStateItem = (request: DeliveryRequest, options: CreateStateOptions): StateItem => {
  const policy = options.policy ?? defaultSecretPolicy;
  const redacted = redactRequestWith(request, policy);
  const now = options.now.toISOString();
  const bodyBytes = utf8Bytes(request.body);
  const bodyFits = bodyBytes <= (options.bodyBudgetBytes ?? DEFAULT_BODY_BUDGET_BYTES);
  return {
    type: 'STATE',
    messageId: request.messageId,
    status: 'PENDING',
    createdAt: now,
    lastUpdatedAt: now,
    lastDeliveryAttempt: null,
    attempts: 0,
    maxAttempts: request.maxAttempts ?? options.defaultMaxAttempts,
    correlationId: request.correlationId,
    endpoint: endpointOf(request.url),
    request: {
      method: redacted.method,
      url: redacted.url,
      headers: redacted.headers,
      body: bodyFits ? request.body : null,
      bodyBytes,
      bodySha256: sha256Hex(request.body),
      fingerprint: requestFingerprint(request, policy),
      maxAttempts: request.maxAttempts,
    },
    deliveryResult: null,
    retryEligible: true,
    nextAttemptAt: null,
    lease: null,
    redrives: 0,
    truncated: bodyFits ? {} : { 'request.body': bodyBytes },
  };
};
