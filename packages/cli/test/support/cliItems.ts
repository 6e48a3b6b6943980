// The CLI's offline tests' items: testkit's builders with the defaults these tests print (a
// secret-bearing request, response times of 10 ms per attempt, no response snippet).
import type { AttemptItem, HoldItem, RedriveItem, StateItem } from '@delivery-history/core';
import {
  attempt as kitAttempt,
  iso,
  redrive,
  type Kind,
  seedState as kitSeedState,
} from '@delivery-history/testkit/itemBuilders';

export { iso };

export const seedState = (messageId = 'm-1', maxAttempts = 3): StateItem =>
  kitSeedState(messageId, maxAttempts, { secrets: true });

export const attempt = (n: number, kind: Kind, messageId = 'm-1'): AttemptItem =>
  kitAttempt(n, kind, { messageId, responseTime: 10 * n, responseSnippet: null });

export const redriveItem = (k: number, afterAttempt: number, maxAttempts: number, messageId = 'm-1'): RedriveItem =>
  redrive(k, afterAttempt, maxAttempts, messageId, `endpoint fixed ${k}`);

/** Hold event `n` of m-1 (paused by ops after attempt 1, `reason`), at `atMs` after T0. */
export const pausedHold = (n: number, kind: 'held' | 'released', atMs: number, reason = 'INC-5'): HoldItem => ({
  type: 'HOLD',
  messageId: 'm-1',
  holdNumber: n,
  kind,
  afterAttempt: 1,
  afterRedrive: 0,
  mode: 'paused',
  reason,
  by: 'ops',
  at: iso(atMs),
});
