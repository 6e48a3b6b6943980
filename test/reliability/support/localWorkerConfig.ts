import { parseSigningSecrets } from '@delivery-history/core';
import { parseAllowList } from '@delivery-history/core/testing';
import * as E from 'fp-ts/lib/Either.js';

// The worker's settings in the reliability runs (the rig's in-process worker and the worker
// child the kill tests SIGKILL): HTTP to 127.0.0.1 only, requests signed with `secret` (so each
// carries `webhook-id` = messageId), short back-off and HTTP deadlines.

const must = <A>(e: E.Either<string, A>): A => {
  if (E.isLeft(e)) throw new Error(e.left);
  return e.right;
};

export const localWorkerConfig = (secret: string, maxAttempts: number, leaseMs: number) => ({
  allowTargets: must(parseAllowList('127.0.0.1')),
  signingKeys: must(parseSigningSecrets(secret)),
  maxAttempts,
  backoffBaseMs: 50,
  backoffMaxMs: 200,
  timeoutMs: 2_000,
  connectTimeoutMs: 1_000,
  responseTimeoutMs: 1_000,
  leaseMs,
});
