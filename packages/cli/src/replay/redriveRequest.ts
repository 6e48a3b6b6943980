import { type DeliveryRequest, requestFingerprint, type StateItem } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';

// The SQS body that re-delivers a stored message. The table holds the request as stored:
// URL and headers redacted (invariant 9), the body unless it was over its budget. The
// worker recognises the message by its fingerprint (sha256 of the redacted request, which
// includes the original per-message maxAttempts), so the body must reproduce that exactly:
// the original maxAttempts is the one (absent, or 1..100) whose fingerprint matches.
// The body carries `[REDACTED]` where the original had a credential; the worker restores
// the originals from the STATE's sealed blob (core seal/), which only it can open. An
// expunged message has neither content nor blob (crypto-shredding): it is refused.

const CANDIDATES: ReadonlyArray<number | null> = [null, ...Array.from({ length: 100 }, (_, i) => i + 1)];

export const redriveRequest = (state: StateItem): E.Either<string, DeliveryRequest> => {
  if (state.expunged?.scope === 'content') {
    return E.left(
      `the message was expunged (EXPUNGE#${state.expunged.n} at ${state.expunged.at}): its content and sealed ` +
        'credentials are destroyed and cannot be sent again; re-send the original instead',
    );
  }
  if (state.request.body === null) {
    return E.left('the request body was over its storage budget and is not stored; re-send the original instead');
  }
  const base = {
    messageId: state.messageId,
    url: state.request.url,
    method: state.request.method,
    headers: state.request.headers,
    body: state.request.body,
    correlationId: state.correlationId,
  };
  for (const maxAttempts of CANDIDATES) {
    const request: DeliveryRequest = { ...base, maxAttempts };
    if (requestFingerprint(request) === state.request.fingerprint) return E.right(request);
  }
  return E.left('the stored request does not reproduce its fingerprint; cannot rebuild the delivery request');
};
