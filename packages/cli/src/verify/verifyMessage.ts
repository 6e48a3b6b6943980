import type { SecretPolicy } from '@delivery-history/core';
import {
  type AttemptItem,
  attemptsWhileHeld,
  type AuditEntry,
  type ExpungeItem,
  type ExpungeRule,
  expungeAttemptContent,
  expungeStateContent,
  type StateItem,
  stalled,
} from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import type { DecodedMessage } from '../kit/table/decodePartition.js';
import { leaseExpiredMs, leaseExpiredText } from '../kit/format/leaseExpiry.js';
import { formatDuration } from '../kit/format/time.js';
import { findSecrets } from './findSecrets.js';
import { checkDenseAttempts, checkProjection } from './projectionDrift.js';
import type { RawItem } from '../kit/table/tableReader.js';
import { checkTrail } from './trailDrift.js';

// Every invariant of the design that can be checked on one message as stored.

export const CHECKS = [
  'missing',
  'decode',
  'dense-attempts',
  'projection',
  'held',
  'audit-trail',
  'audit-trail-behind',
  'item-size',
  'secrets',
  'stalled',
  'lease-expired',
  'retention',
  'expunge',
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
  /** The secret policy the items were redacted by (the store's; default: the built-in one). */
  readonly secrets?: SecretPolicy;
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
  const drift = checkTrail(trail.right?.entries ?? [], m.attempts, m.redrives, m.holds, m.requeues);
  if (drift === null) return [];
  return drift.kind === 'behind'
    ? v('audit-trail-behind', `trail has ${drift.stored} of ${drift.expected} entries (projector behind)`)
    : v(
        'audit-trail',
        `trail differs from rebuild at entry ${drift.at + 1} (${drift.stored} stored, ${drift.expected} expected)`,
      );
};

/**
 * Expunge: the events' rules applied to STATE and every attempt, so a run that stopped part
 * way (attempts done, STATE not yet) is compared as it will be once resumed. Expunged
 * content is accepted: it is outcome metadata that fold and the trail compare.
 */
const expungedView = (
  state: StateItem,
  attempts: ReadonlyArray<AttemptItem>,
  expunges: ReadonlyArray<ExpungeItem>,
): { state: StateItem; attempts: AttemptItem[] } => {
  const rules: ExpungeRule[] = [...new Set(expunges.map((x) => x.scope))].map((scope) => ({ scope }));
  const attemptOf = (a: AttemptItem) => rules.reduce((x, r) => ({ ...expungeAttemptContent(x, r), ...mark(a) }), a);
  return {
    state: rules.reduce((s, r) => ({ ...expungeStateContent(s, r), ...mark(state) }), state),
    attempts: attempts.map(attemptOf),
  };
};

const mark = (i: { readonly expunged?: StateItem['expunged'] }) =>
  i.expunged === undefined ? {} : { expunged: i.expunged };

/** Lifecycle checks: an expunge that did not finish; items whose TTL disagrees with STATE's. */
const lifecycleViolations = (m: DecodedMessage): Array<[CheckName, string]> => [
  ...m.expunges
    .filter((x) => x.completedAt === null)
    .map((x): [CheckName, string] => [
      'expunge',
      `EXPUNGE#${x.expungeNumber} (${x.scope}, ${x.at}) did not complete: run dh expunge --message ${m.messageId} again`,
    ]),
  ...(m.ttlDrift.length === 0
    ? []
    : [
        [
          'retention',
          `${m.ttlDrift.length} item(s) do not carry STATE's TTL (${m.expiresAt ?? 'none'}): ${m.ttlDrift
            .slice(0, 3)
            .map((d) => `${d.sk}=${d.expiresAt ?? 'none'}`)
            .join(', ')}`,
        ] as [CheckName, string],
      ]),
];

// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: a flat list of independent checks, one line each
export const verifyMessage = (m: DecodedMessage, o: VerifyMessageOptions): Violation[] => {
  const out: Violation[] = [];
  // retention: an expired partition is gone as a whole, however much of it DynamoDB deleted yet
  if (m.expired) return out;
  const add = (check: CheckName, detail: string) => out.push({ messageId: m.messageId, check, detail });
  for (const c of m.corrupt) add('decode', `${c.sk}: ${c.message}`);
  for (const s of m.sizes)
    if (s.bytes > o.itemBudgetBytes) add('item-size', `${s.sk} is ${s.bytes} bytes (budget ${o.itemBudgetBytes})`);
  for (const r of m.requestItems)
    for (const f of findSecrets(r.item, o.secrets)) add('secrets', `${r.sk} ${f.path}: ${f.pattern}`);
  if (m.state === null) {
    if (!m.corrupt.some((c) => c.sk === 'STATE')) add('decode', 'no STATE item');
    return out;
  }
  for (const [check, detail] of lifecycleViolations(m)) add(check, detail);
  for (const p of checkDenseAttempts(m.state, m.attempts)) add('dense-attempts', p);
  const stall = stalled(m.state, o.now, o.stalledAfterMs);
  // a lease past its end is said at once (a warning); past --stalled-after it is a stall
  const expired = leaseExpiredMs(m.state, o.now);
  if (expired !== null && stall === null) add('lease-expired', `PROCESSING, ${leaseExpiredText(expired)}`);
  if (stall !== null) {
    add(
      'stalled',
      `${m.state.status}, waiting for ${WAITING_FOR[stall.waitingFor]} since ${stall.since} (${formatDuration(stall.overdueMs)}): ` +
        `no worker came back, its SQS record is likely in the DLQ or gone; \`dh replay redrive --message ${m.messageId} --reason ...\` enqueues it again`,
    );
  }
  const view =
    m.expunges.length === 0 ? { state: m.state, attempts: m.attempts } : expungedView(m.state, m.attempts, m.expunges);
  const projection = checkProjection(view.state, view.attempts, m.redrives, m.holds);
  if (E.isLeft(projection)) add('projection', projection.left);
  else
    for (const f of projection.right.fields)
      add('projection', `${f.field}: stored ${show(f.stored)}, fold ${show(f.expected)}`);
  // invariant 11: fold counts holds (above); a held message also took no attempt while held
  for (const d of attemptsWhileHeld(m.attempts, m.holds)) add('held', d);
  out.push(...trailViolations(m, o.trailOf));
  return out;
};
