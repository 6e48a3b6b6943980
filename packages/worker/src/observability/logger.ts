import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Logger } from '@delivery-history/core';

/** Powertools JSON logs (service `delivery-worker` unless POWERTOOLS_SERVICE_NAME says otherwise). */
export const powertoolsLogger = (): Logger => {
  return new PowertoolsLogger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'delivery-worker' });
};
