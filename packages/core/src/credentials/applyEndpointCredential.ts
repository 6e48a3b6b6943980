import * as E from 'fp-ts/lib/Either.js';
import type { DeliveryRequest } from '../codecs/deliveryRequest.js';
import { type EndpointCredentials, endpointCredentialFor, withEndpointCredential } from './endpointCredentials.js';
import { cachingSecretSource, type SecretCache, type SecretCacheOptions, type SecretSource } from './secretCache.js';

/** Why the endpoint's credential could not be had (names the endpoint and secret, never a value). */
export type CredentialUnavailable = { readonly endpoint: string; readonly secretId: string; readonly reason: string };

/**
 * The request as it goes on the wire for its endpoint: unchanged when none is configured,
 * else with the secret's current value in place (see `withEndpointCredential`). Applied at
 * send time only, to first deliveries, retries and re-drives alike; nothing stores its result.
 */
export const applyEndpointCredential = async (
  creds: EndpointCredentials,
  cache: SecretCache,
  request: DeliveryRequest,
): Promise<E.Either<CredentialUnavailable, DeliveryRequest>> => {
  const c = endpointCredentialFor(creds, request.url);
  if (c === undefined) return E.right(request);
  const value = await cache.get(c.secretId);
  return E.isLeft(value)
    ? E.left({ endpoint: c.endpoint, secretId: c.secretId, reason: value.left })
    : E.right(withEndpointCredential(request, c.placement, value.right));
};

export type EndpointCredentialer = {
  readonly apply: (request: DeliveryRequest) => Promise<E.Either<CredentialUnavailable, DeliveryRequest>>;
  /**
   * The receiver refused the credential (401/403): forget the cached value of the URL's
   * endpoint, unless it was read less than `REFUSED_REFRESH_MS` ago, so the next send reads
   * the secret again (a rotation reaches it at once). Returns the secret id it forgot.
   */
  readonly refused: (url: string) => string | null;
};

/** A receiver that refuses every credential causes at most one secret read a minute per container. */
const REFUSED_REFRESH_MS = 60_000;

/** The configured credentials over one per-container cache of `source` (the worker's one door to this). */
export const endpointCredentialer = (
  creds: EndpointCredentials,
  source: SecretSource,
  options: SecretCacheOptions,
): EndpointCredentialer => {
  const cache = cachingSecretSource(source, options);
  return {
    apply: (request) => applyEndpointCredential(creds, cache, request),
    refused: (url) => {
      const c = endpointCredentialFor(creds, url);
      return c !== undefined && cache.invalidate(c.secretId, REFUSED_REFRESH_MS) ? c.secretId : null;
    },
  };
};
