import type { AuditEntry } from '@delivery-history/core';
import type { AuditStep } from '../../src/audit/auditStep.js';

/** Audit entry n: a failed attempt at minute n of 2025-01-01. */
export const auditEntry = (n: number): AuditEntry => ({
  n,
  at: new Date(Date.UTC(2025, 0, 1, 0, n)).toISOString(),
  status: 'FAILED',
  statusCode: 503,
  category: 'server_error',
  responseTime: 10,
  retry: 'retry',
  nextAttemptAt: null,
});

export const auditSummary = (through: number, entryCount = through) => ({
  segments: 1,
  through,
  redrives: 0,
  holds: 0,
  requeues: 0,
  entryCount,
  tailBytes: 100,
  updatedAt: '2025-01-01T01:00:00.000Z',
});

/** The step that appends `entries` to a trail already `through` entries long (0: creates it). */
export const auditStep = (through: number, entries: AuditEntry[]): AuditStep => ({
  expect: through === 0 ? null : { through, redrives: 0, holds: 0, requeues: 0 },
  summary: auditSummary(through + entries.length),
  headEntries: entries,
  tail: null,
  newSegments: [],
});
