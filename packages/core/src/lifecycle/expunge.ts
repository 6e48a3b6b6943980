import type { AttemptItem, ExpungeMark, ExpungeScope, StateItem } from '../codecs/items.js';
import type { DeliveryResult } from '../codecs/outcome.js';
import { scrubText } from '../redaction/freeText.js';
import { defaultSecretPolicy, type SecretPolicy } from '../redaction/policy.js';
import { redactHeadersWith, redactSentHeadersWith } from '../redaction/request.js';
import { redactResponseHeaders } from '../redaction/response.js';
import { redactUrlWith } from '../redaction/url.js';
import { deepEqual } from '../state/projection.js';

// ---------------------------------------------------------------------------
// Expunge: what removing a message's content means, decided once here (the store only
// writes the result). `content` removes request and response content (headers, body,
// snippet, reason phrase and error text) and keeps outcome metadata (status, codes,
// timings, categories, attempt numbers, sizes and digests). `secrets` re-applies the
// current secret policy to items written before it changed (the body is the customer's
// payload and stays). Both are idempotent: applying one twice changes nothing more.
// ---------------------------------------------------------------------------

/** What an expunged free text (error message) reads as. */
export const EXPUNGED = '[expunged]';

export type ExpungeRule = { readonly scope: ExpungeScope; readonly policy?: SecretPolicy };

const contentOfResult = (r: DeliveryResult): DeliveryResult => ({
  ...r,
  statusText: null,
  errorDetails: r.errorDetails === null ? null : { ...r.errorDetails, message: EXPUNGED, responseSnippet: null },
});

const scrubOrNull = (s: string | null, policy: SecretPolicy): string | null =>
  s === null ? null : scrubText(s, policy);

const secretsOfResult = (r: DeliveryResult, policy: SecretPolicy): DeliveryResult => ({
  ...r,
  statusText: scrubOrNull(r.statusText, policy),
  errorDetails:
    r.errorDetails === null
      ? null
      : {
          ...r.errorDetails,
          message: scrubText(r.errorDetails.message, policy),
          responseSnippet: scrubOrNull(r.errorDetails.responseSnippet, policy),
        },
});

/** A delivery result with the rule applied (STATE's copy and the attempt's agree after it). */
export const expungeResult = (r: DeliveryResult, rule: ExpungeRule): DeliveryResult =>
  rule.scope === 'content' ? contentOfResult(r) : secretsOfResult(r, rule.policy ?? defaultSecretPolicy);

const resultOrNull = (r: DeliveryResult | null, rule: ExpungeRule): DeliveryResult | null =>
  r === null ? null : expungeResult(r, rule);

/** An attempt's content fields with the rule applied (its marker untouched). */
export const expungeAttemptContent = (a: AttemptItem, rule: ExpungeRule): AttemptItem => {
  const policy = rule.policy ?? defaultSecretPolicy;
  const content = rule.scope === 'content';
  const { expunged: _mark, ...rest } = a;
  const { sentHeaders, ...request } = a.request;
  return {
    ...rest,
    request: {
      ...request,
      url: content ? a.request.url : redactUrlWith(a.request.url, policy),
      headers: content ? {} : redactHeadersWith(a.request.headers, policy),
      // the headers as sent go with the content; a secrets scrub re-applies the policy to them
      ...(content || sentHeaders === undefined ? {} : { sentHeaders: redactSentHeadersWith(sentHeaders, policy) }),
    },
    response:
      a.response === null
        ? null
        : {
            headers: content ? {} : redactResponseHeaders(a.response.headers, policy),
            // a success's snippet is content: gone with it, scrubbed by a secrets pass
            ...(content || a.response.snippet === undefined ? {} : { snippet: scrubText(a.response.snippet, policy) }),
          },
    deliveryResult: expungeResult(a.deliveryResult, rule),
  };
};

/** STATE's content fields with the rule applied (`fingerprint` stays: idempotent create compares it). */
export const expungeStateContent = (s: StateItem, rule: ExpungeRule): StateItem => {
  const policy = rule.policy ?? defaultSecretPolicy;
  const content = rule.scope === 'content';
  // a content expunge destroys the sealed credentials too (crypto-shredding); a secrets
  // scrub keeps them: they are sealed, not stored readable
  const { expunged: _mark, sealed, ...rest } = s;
  return {
    ...rest,
    ...(content || sealed === undefined ? {} : { sealed }),
    request: {
      ...s.request,
      url: content ? s.request.url : redactUrlWith(s.request.url, policy),
      headers: content ? {} : redactHeadersWith(s.request.headers, policy),
      body: content ? null : s.request.body,
    },
    deliveryResult: resultOrNull(s.deliveryResult, rule),
  };
};

/** The mark an item keeps: a content expunge is never downgraded to a later secrets scrub. */
const markOf = (old: ExpungeMark | undefined, mark: ExpungeMark): ExpungeMark =>
  old?.scope === 'content' && mark.scope === 'secrets' ? old : mark;

/**
 * The item after an expunge, or null when the rule changes nothing in it (it is already
 * expunged, or carries no content): that null is what makes a second run a no-op.
 */
export const expungeAttempt = (a: AttemptItem, rule: ExpungeRule, mark: ExpungeMark): AttemptItem | null => {
  const next = expungeAttemptContent(a, rule);
  const { expunged: old, ...before } = a;
  return deepEqual(next, before) ? null : { ...next, expunged: markOf(old, mark) };
};

export const expungeState = (s: StateItem, rule: ExpungeRule, mark: ExpungeMark): StateItem | null => {
  const next = expungeStateContent(s, rule);
  const { expunged: old, ...before } = s;
  return deepEqual(next, before) ? null : { ...next, expunged: markOf(old, mark) };
};
