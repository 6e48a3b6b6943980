import { type AuditEntry, size } from '@delivery-history/core';
import { type AuditSummary, headItem, segmentItem } from './auditItems.js';

// Size accounting by core's `size.item` rules. A list costs 3 bytes + (1 + value) per element,
// so an entry adds exactly `1 + size.attribute(entry)` to its segment: appends can be
// accounted without reading the segment back.

export const entryBytes = (e: AuditEntry): number => 1 + size.attribute(e);

export const entriesBytes = (entries: readonly AuditEntry[]): number => entries.reduce((n, e) => n + entryBytes(e), 0);

/** A summary with the widest numbers it can ever hold, so the head's growth is accounted in advance. */
const WIDEST_SUMMARY: AuditSummary = {
  segments: Number.MAX_SAFE_INTEGER,
  through: Number.MAX_SAFE_INTEGER,
  redrives: Number.MAX_SAFE_INTEGER,
  holds: Number.MAX_SAFE_INTEGER,
  requeues: Number.MAX_SAFE_INTEGER,
  entryCount: Number.MAX_SAFE_INTEGER,
  tailBytes: Number.MAX_SAFE_INTEGER,
  updatedAt: '2000-01-01T00:00:00.000Z',
};

/** Bytes of an empty segment (keys, type, messageId, segment, empty list); the head with its widest summary. */
export const emptySegmentBytes = (messageId: string, segment: number): number =>
  segment === 0 ? size.item(headItem(messageId, [], WIDEST_SUMMARY)) : size.item(segmentItem(messageId, segment, []));

/** Accounted size of a segment holding `entries` (an upper bound of its real `size.item`). */
export const segmentBytes = (messageId: string, segment: number, entries: readonly AuditEntry[]): number =>
  emptySegmentBytes(messageId, segment) + entriesBytes(entries);
