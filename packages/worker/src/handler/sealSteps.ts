import {
  type DeliveryRequest,
  type Logger,
  type SealError,
  type Sealer,
  type SecretPolicy,
  sealing,
} from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import type { WorkerMetrics } from '../observability/metrics.js';

// ---------------------------------------------------------------------------
// Credentials sealed, not dropped (DESIGN "Credentials: sealed, not dropped"): before the
// claim the worker seals what the secret policy redacts, and the claim's one UpdateItem keeps
// the blob on a STATE it creates (no extra round trip). At send time a request that carries
// no credential in clear (a re-drive's: the stored, redacted request) gets them back from
// the blob the claim returned; a first delivery and its SQS retries carry their own.
// ---------------------------------------------------------------------------

export type SealDeps = {
  readonly sealer?: Sealer;
  readonly secrets: SecretPolicy;
  readonly metrics: WorkerMetrics;
};

/**
 * The blob for a STATE this record may create (null: nothing to seal, or no key). A failure
 * degrades: the delivery goes out with the request's own credentials, and a later re-drive
 * warns that they cannot be restored (the message has no blob).
 */
export const sealStep = async (deps: SealDeps, log: Logger, request: DeliveryRequest): Promise<string | null> => {
  if (deps.sealer === undefined) return null;
  const sealed = await sealing.sealRequest(deps.sealer, request, deps.secrets)();
  if (E.isRight(sealed)) return sealed.right;
  deps.metrics.add('SealErrors', 'Count', 1, { error: sealed.left._tag });
  log.warn('could not seal the request credentials; a later re-drive cannot restore them', {
    error: sealed.left._tag,
    reason: sealed.left.message,
  });
  return null;
};

export type NotSendable = { readonly code: 'UNSEAL_UNAVAILABLE' | 'UNSEAL_REFUSED'; readonly message: string };

const notSendable = (e: SealError): NotSendable => ({
  code: sealing.isTransient(e) ? 'UNSEAL_UNAVAILABLE' : 'UNSEAL_REFUSED',
  message: `sealed credentials could not be opened: ${e._tag}: ${e.message}`,
});

/** The request that goes on the wire, or why it cannot (recorded as an attempt that sent nothing). */
export const sendableStep = async (
  deps: SealDeps,
  log: Logger,
  request: DeliveryRequest,
  sealed: string | undefined,
): Promise<E.Either<NotSendable, DeliveryRequest>> => {
  if (sealed === undefined || !sealing.carriesNoSecret(request, deps.secrets)) return E.right(request);
  if (deps.sealer === undefined)
    return E.left({
      code: 'UNSEAL_UNAVAILABLE',
      message: 'the message has sealed credentials but this worker has no sealing key (DELIVERY_SEAL_KEY_ID)',
    });
  const opened = await sealing.unsealRequest(deps.sealer, request, sealed)();
  if (E.isRight(opened)) return opened;
  deps.metrics.add('SealErrors', 'Count', 1, { error: opened.left._tag });
  log.error('could not open the sealed credentials; nothing sent', {
    error: opened.left._tag,
    reason: opened.left.message,
  });
  return E.left(notSendable(opened.left));
};
