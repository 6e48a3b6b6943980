import { createHash } from 'node:crypto';

/**
 * ClientRequestToken (<= 36 chars) for a transaction: a hash of what identifies the
 * write, so a retry of the same write within DynamoDB's 10-minute window is a no-op.
 */
export const clientRequestToken = (...parts: ReadonlyArray<string | number>): string =>
  createHash('sha256').update(parts.map(String).join('\u0000'), 'utf8').digest('base64url').slice(0, 36);
