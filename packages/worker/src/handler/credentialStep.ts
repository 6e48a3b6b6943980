import type { DeliveryRequest, EndpointCredentialer, Logger } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import type { WorkerMetrics } from '../observability/metrics.js';

// ---------------------------------------------------------------------------
// Per-endpoint credentials at send time (issue 28): after the claim and after the sealed
// credentials are restored, the endpoint's configured credential is put on the request that
// goes out (it wins over the same header or parameter of the message). Only the request
// on the wire carries it: the stored request was redacted at create, and the sent headers
// are redacted by the secret policy (the placement is one it redacts: readConfig checks).
// ---------------------------------------------------------------------------

export type CredentialsNotSendable = { readonly code: 'CREDENTIALS_UNAVAILABLE'; readonly message: string };

export const credentialStep = async (
  deps: { readonly endpointCredentials?: EndpointCredentialer; readonly metrics: WorkerMetrics },
  log: Logger,
  request: DeliveryRequest,
): Promise<E.Either<CredentialsNotSendable, DeliveryRequest>> => {
  if (deps.endpointCredentials === undefined) return E.right(request);
  const applied = await deps.endpointCredentials.apply(request);
  if (E.isRight(applied)) return applied;
  const { endpoint, secretId, reason } = applied.left;
  deps.metrics.add('CredentialErrors', 'Count', 1);
  log.error("could not read the endpoint's credential; nothing sent", { endpoint, secretId, reason });
  return E.left({
    code: 'CREDENTIALS_UNAVAILABLE',
    message: `credential for endpoint ${endpoint} (${secretId}) unavailable: ${reason}`,
  });
};

/**
 * A 401 or 403 to a request that carried the endpoint's credential: the cached value may be
 * one the receiver no longer accepts (rotated): the next send reads the secret again.
 */
export const refusedCredentialStep = (
  deps: { readonly endpointCredentials?: EndpointCredentialer },
  log: Logger,
  url: string,
  statusCode: number | null,
): void => {
  if (deps.endpointCredentials === undefined || (statusCode !== 401 && statusCode !== 403)) return;
  const forgot = deps.endpointCredentials.refused(url);
  if (forgot !== null)
    log.warn('receiver refused the endpoint credential; it is read again for the next send', {
      secretId: forgot,
      statusCode,
    });
};
