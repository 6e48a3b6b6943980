import { scrubText } from './freeText.js';
import { redactingLogger, safeLogKey } from './logs.js';
import { REDACTED, WORKER_OWNED_HEADERS } from './names.js';
import { redactHeaders } from './redact.js';
import { redactSentHeadersWith, requestSecrets } from './request.js';
import { keepResponseHeaders } from './response.js';

/**
 * Redaction under the one secret policy (invariant 9), as one door: what replaces a secret
 * (`REDACTED`), headers as stored and as sent, the response headers kept, a request's known
 * secret values, free text scrubbed of them, and log lines and keys that carry none.
 */
export const redaction = {
  REDACTED,
  WORKER_OWNED_HEADERS,
  redactHeaders,
  redactSentHeadersWith,
  keepResponseHeaders,
  requestSecrets,
  scrubText,
  redactingLogger,
  safeLogKey,
} as const;
