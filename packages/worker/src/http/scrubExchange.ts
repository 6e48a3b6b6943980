import { type KnownSecrets, type OutcomeInput, type SecretPolicy, redaction } from '@delivery-history/core';
import type { HttpExchange } from './httpClient.js';

// ---------------------------------------------------------------------------
// The response side of invariant 9, applied where the raw request is still known: the
// receiver controls the body, the reason phrase and the headers, and an echo receiver
// reflects the request into any of them. Everything core classifies and the store writes
// comes out of here: headers by the allow-list (the rest counted), texts scrubbed by the
// policy and by the exact values this request carried.
// ---------------------------------------------------------------------------

const scrubObservation = (o: OutcomeInput, policy: SecretPolicy, known: KnownSecrets): OutcomeInput =>
  o.kind === 'response'
    ? {
        ...o,
        statusText: redaction.scrubText(o.statusText, policy, known),
        headers: redaction.keepResponseHeaders(o.headers, policy, known),
        bodySnippet: redaction.scrubText(o.bodySnippet, policy, known),
      }
    : { ...o, message: redaction.scrubText(o.message, policy, known) };

export const scrubExchange = (x: HttpExchange, policy: SecretPolicy, known: KnownSecrets): HttpExchange => ({
  ...x,
  observation: scrubObservation(x.observation, policy, known),
  responseHeaders: x.responseHeaders === null ? null : redaction.keepResponseHeaders(x.responseHeaders, policy, known),
  // the request as sent, by the request side's rule (credential headers [REDACTED], values scrubbed)
  ...(x.sentHeaders === undefined
    ? {}
    : { sentHeaders: redaction.redactSentHeadersWith(x.sentHeaders, policy, known) }),
});
