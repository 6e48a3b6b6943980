import {
  type Clock,
  type EndpointCredentialer,
  endpointCredentialer,
  type Logger,
  type SecretSource,
} from '@delivery-history/core';
import type { WorkerMetrics } from '../observability/metrics.js';
import type { WorkerConfig } from './readConfig.js';

/**
 * The configured endpoint credentials over a secret source (Secrets Manager on AWS, the
 * devkit's file locally) behind one per-container cache of `DELIVERY_ENDPOINT_CREDENTIALS_TTL_MS`;
 * undefined when none is configured (nothing is read, nothing changes on the wire).
 */
export const endpointCredentialsOf = (
  config: WorkerConfig,
  source: SecretSource,
  deps: { readonly clock: Clock; readonly logger: Logger; readonly metrics: WorkerMetrics },
): EndpointCredentialer | undefined =>
  config.endpointCredentials.size === 0
    ? undefined
    : endpointCredentialer(config.endpointCredentials, source, {
        ttlMs: config.credentialsTtlMs,
        clock: deps.clock,
        onStale: (secretId, reason) => {
          deps.metrics.add('CredentialsStale', 'Count', 1);
          deps.logger.warn('endpoint credential refresh failed; using the cached value (under 2 x its TTL old)', {
            secretId,
            reason,
          });
        },
      });
