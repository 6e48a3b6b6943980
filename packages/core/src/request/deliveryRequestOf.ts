import * as E from 'fp-ts/lib/Either.js';
import type { DeliveryRequest } from '../codecs/deliveryRequest.js';
import type { StateItem } from '../codecs/items.js';
import { requestFingerprint } from './requestDigest.js';

// The SQS body that delivers a stored message again (a re-drive, or a stalled message sent
// again). The table holds the request as stored: URL and headers redacted (invariant 9), the
// body unless it was over its budget, and the request's own maxAttempts. The worker knows the
// message by its fingerprint (which covers maxAttempts), so the body must reproduce it.
// The body carries `[REDACTED]` where the original had a credential; the worker restores the
// originals from the STATE's sealed blob (seal/), which only it can open. An expunged message
// has neither content nor blob (crypto-shredding): it is refused.

/** Its content was expunged: there is no request left to deliver. */
export interface ContentExpunged {
  readonly _tag: 'ContentExpunged';
  readonly messageId: string;
  readonly expungeNumber: number;
}
/** The body was over its storage budget at create and was not stored. */
export interface BodyNotStored {
  readonly _tag: 'BodyNotStored';
  readonly messageId: string;
  readonly bodyBytes: number;
}
/** A STATE written before `request.maxAttempts` was stored, whose limit cannot be told. */
export interface RequestNotRebuilt {
  readonly _tag: 'RequestNotRebuilt';
  readonly messageId: string;
}

/** Why a stored message cannot be delivered again (closed union). */
export type RequestRefusal = ContentExpunged | BodyNotStored | RequestNotRebuilt;

/** One line for the operator (the CLI and the store show it as is). */
export const describeRequestRefusal = (r: RequestRefusal): string => {
  switch (r._tag) {
    case 'ContentExpunged':
      return `its content was expunged (EXPUNGE#${r.expungeNumber}): there is no request to deliver, and its sealed credentials are destroyed`;
    case 'BodyNotStored':
      return 'the request body was over its storage budget and is not stored; re-send the original instead';
    case 'RequestNotRebuilt':
      return 'the stored request does not reproduce its fingerprint; cannot rebuild the delivery request';
  }
};

/**
 * The request's own maxAttempts. Items written before it was stored: a message never
 * re-driven still has its limit in STATE, and the request named either that or none (the
 * fingerprint tells which); after a re-drive the original limit is gone.
 */
const ownMaxAttempts = (state: StateItem, base: Omit<DeliveryRequest, 'maxAttempts'>): number | null | undefined => {
  if (state.request.maxAttempts !== undefined) return state.request.maxAttempts;
  if (state.redrives > 0) return undefined;
  return [null, state.maxAttempts].find(
    (maxAttempts) => requestFingerprint({ ...base, maxAttempts }) === state.request.fingerprint,
  );
};

export const deliveryRequestOf = (state: StateItem): E.Either<RequestRefusal, DeliveryRequest> => {
  const messageId = state.messageId;
  // an expunge empties the body too: say that, not the budget (issue 23's race)
  if (state.expunged?.scope === 'content')
    return E.left({ _tag: 'ContentExpunged', messageId, expungeNumber: state.expunged.n });
  if (state.request.body === null)
    return E.left({ _tag: 'BodyNotStored', messageId, bodyBytes: state.request.bodyBytes });
  const base = {
    messageId,
    url: state.request.url,
    method: state.request.method,
    headers: state.request.headers,
    body: state.request.body,
    correlationId: state.correlationId,
  };
  const maxAttempts = ownMaxAttempts(state, base);
  return maxAttempts === undefined
    ? E.left({ _tag: 'RequestNotRebuilt', messageId })
    : E.right({ ...base, maxAttempts });
};
