import { type AuditEntry, stalled } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import type { DecodedMessage } from './decodePartition.js';
import { formatDuration } from '../format/time.js';
import { findSecrets } from './findSecrets.js';
import { checkDenseAttempts, checkProjection } from './projectionDrift.js';
import type { RawItem } from './tableReader.js';
import { checkTrail } from './trailDrift.js';

// Every invariant of the design that can be checked on one message as stored.

export const CHECKS = [
  'missing',
  'decode',
  'dense-attempts',
  'projection',
  'audit-trail',
  'audit-trail-behind',
  'item-size',
  'secrets',
  'stalled',
] as const;
export type CheckName = (typeof CHECKS)[number];

export type Violation = { readonly messageId: string; readonly check: CheckName; readonly detail: string };

/** The audit trail from raw AUDIT# items (the projector's decoder); null when there is none yet. */
export type TrailReader = (
  messageId: string,
  items: ReadonlyArray<RawItem>,
) => E.Either<string, { readonly entries: ReadonlyArray<AuditEntry> } | null>;

export type VerifyMessageOptions = {
  readonly itemBudgetBytes: number;
  readonly trailOf: TrailReader;
  /** A non-final message no worker came back to for this long is reported (its SQS record is likely gone). */
  readonly stalledAfterMs: number;
  readonly now: Date;
};

const WAITING_FOR = { claim: 'a claim', 'lease-expiry': 'its lease to end', retry: 'its retry' } as const;

const show = (v: unknown): string => {
  const s = JSON.stringify(v) ?? 'undefined';
  return s.length > 80 ? `${s.slice(0, 79)}…` : s;
};

const trailViolations = (m: DecodedMessage, trailOf: TrailReader): Violation[] => {
  const v = (check: CheckName, detail: string): Violation[] => [{ messageId: m.messageId, check, detail }];
  const trail = trailOf(m.messageId, m.auditItems);
  if (E.isLeft(trail)) return v('audit-trail', `audit trail does not decode: ${trail.left}`);
  const drift = checkTrail(trail.right?.entries ?? [], m.attempts, m.redrives);
  if (drift === null) return [];
  return drift.kind === 'behind'
    ? v('audit-trail-behind', `trail has ${drift.stored} of ${drift.expected} entries (projector behind)`)
    : v(
        'audit-trail',
        `trail differs from rebuild at entry ${drift.at + 1} (${drift.stored} stored, ${drift.expected} expected)`,
      );
};

// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: a flat list of independent checks, one line each
export const verifyMessage = (m: DecodedMessage, o: VerifyMessageOptions): Violation[] => {
  const out: Violation[] = [];
  const add = (check: CheckName, detail: string) => out.push({ messageId: m.messageId, check, detail });
  for (const c of m.corrupt) add('decode', `${c.sk}: ${c.message}`);
  for (const s of m.sizes)
    if (s.bytes > o.itemBudgetBytes) add('item-size', `${s.sk} is ${s.bytes} bytes (budget ${o.itemBudgetBytes})`);
  for (const r of m.requestItems)
    for (const f of findSecrets(r.item)) add('secrets', `${r.sk} ${f.path}: ${f.pattern}`);
  if (m.state === null) {
    if (!m.corrupt.some((c) => c.sk === 'STATE')) add('decode', 'no STATE item');
    return out;
  }
  for (const p of checkDenseAttempts(m.state, m.attempts)) add('dense-attempts', p);
  const stall = stalled(m.state, o.now, o.stalledAfterMs);
  if (stall !== null) {
    add(
      'stalled',
      `${m.state.status}, waiting for ${WAITING_FOR[stall.waitingFor]} since ${stall.since} (${formatDuration(stall.overdueMs)}): ` +
        `no worker came back, its SQS record is likely in the DLQ or gone; \`dh replay redrive --message ${m.messageId} --reason ...\` enqueues it again`,
    );
  }
  const projection = checkProjection(m.state, m.attempts, m.redrives);
  if (E.isLeft(projection)) add('projection', projection.left);
  else
    for (const f of projection.right.fields)
      add('projection', `${f.field}: stored ${show(f.stored)}, fold ${show(f.expected)}`);
  out.push(...trailViolations(m, o.trailOf));
  return out;
};
