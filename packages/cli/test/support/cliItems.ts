// The CLI's offline tests' items: testkit's builders with the defaults these tests print (a
// secret-bearing request, response times of 10 ms per attempt, no response snippet).
import type { AttemptItem, RedriveItem, StateItem } from '@delivery-history/core';
import {
  attempt as kitAttempt,
  redrive,
  type Kind,
  seedState as kitSeedState,
} from '@delivery-history/testkit/itemBuilders';

export { iso } from '@delivery-history/testkit/itemBuilders';

export const seedState = (messageId = 'm-1', maxAttempts = 3): StateItem =>
  kitSeedState(messageId, maxAttempts, { secrets: true });

export const attempt = (n: number, kind: Kind, messageId = 'm-1'): AttemptItem =>
  kitAttempt(n, kind, { messageId, responseTime: 10 * n, responseSnippet: null });

export const redriveItem = (k: number, afterAttempt: number, maxAttempts: number, messageId = 'm-1'): RedriveItem =>
  redrive(k, afterAttempt, maxAttempts, messageId, `endpoint fixed ${k}`);
