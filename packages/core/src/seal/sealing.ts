import { cachingKeyProvider } from './cachingKeyProvider.js';
import { rawAesKeyProvider } from './rawAesKeyProvider.js';
import { carriesNoSecret, sealRequest, unsealRequest } from './sealedRequest.js';
import { createSealer } from './sealer.js';
import { isTransientSealError, KeyRefused, KeyUnavailable } from './sealError.js';

/**
 * Sealing, as one door (DESIGN "Credentials: sealed, not dropped"): a sealer over a key
 * provider (KMS in the worker, a raw AES keyring locally), cached per container; a request's
 * credentials sealed at create and opened at send; the provider's errors (transient or refused).
 */
export const sealing = {
  createSealer,
  cachingKeyProvider,
  rawAesKeyProvider,
  sealRequest,
  unsealRequest,
  carriesNoSecret,
  isTransient: isTransientSealError,
  KeyRefused,
  KeyUnavailable,
} as const;
