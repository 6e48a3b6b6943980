import { redactSentHeadersWith } from '../redaction/request.js';
import type { AttemptItem, AttemptRequest } from '../codecs/items.js';
import type { Outcome } from '../outcome/determineDeliveryOutcome.js';
import { defaultSecretPolicy } from '../redaction/policy.js';
import { redactResponseHeaders } from '../redaction/response.js';

export interface AttemptParams {
  readonly messageId: string;
  /** The redacted request block, built once per claim (`attemptRequestOfState`). */
  readonly request: AttemptRequest;
  readonly attemptNumber: number;
  /** Unique id of this write (inject `randomUUID`). */
  readonly attemptId: string;
  readonly leaseId: string;
  readonly startedAt: Date;
  readonly completedAt: Date;
  readonly outcome: Outcome;
  /** Response headers as received (redacted here); null when there was no response. */
  readonly responseHeaders: Readonly<Record<string, string>> | null;
  /** True when written by a writer that lost its lease (protocol point 4). */
  readonly superseded: boolean;
  /** The response's body snippet, kept on a success (the worker's DELIVERY_SUCCESS_SNIPPET); none: not kept. */
  readonly successSnippet?: string;
}

/**
 * The immutable ATTEMPT item (without store keys), redacted, `truncated: {}`.
 * Run `fitToBudget` on it before writing.
 */
export const buildAttemptItem = (p: AttemptParams): AttemptItem => ({
  type: 'ATTEMPT',
  messageId: p.messageId,
  attemptNumber: p.attemptNumber,
  attemptId: p.attemptId,
  leaseId: p.leaseId,
  startedAt: p.startedAt.toISOString(),
  completedAt: p.completedAt.toISOString(),
  // the worker redacted the headers it sent with the operator's policy; the built-in one again (idempotent)
  request:
    p.request.sentHeaders === undefined
      ? p.request
      : { ...p.request, sentHeaders: redactSentHeadersWith(p.request.sentHeaders, defaultSecretPolicy) },
  response:
    p.responseHeaders === null
      ? null
      : {
          headers: redactResponseHeaders(p.responseHeaders, defaultSecretPolicy),
          ...(p.successSnippet !== undefined && p.outcome.status === 'SUCCESS' ? { snippet: p.successSnippet } : {}),
        },
  deliveryResult: p.outcome.deliveryResult,
  status: p.outcome.status,
  nextAttemptAt: p.outcome.nextAttemptAt,
  superseded: p.superseded,
  truncated: {},
});
