import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '@delivery-history/core';
import { auditKey } from '../keys.js';
import { TTL_ATTRIBUTE } from '../tableDefinition.js';
import { headItem, segmentItem } from './auditItems.js';
import type { AuditTrail } from './auditTrail.js';
import type { AuditPosition, AuditStep } from './auditStep.js';

// The action builders of the ONE audit writer (ops/writeAudit.ts). Both the projector's
// append and replay's rewrite guard the head with the same condition (headCondition), so
// the rule "only the writer that read this position may move it" lives here once.

type TxItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
export type PutAction = { readonly Put: NonNullable<TxItem['Put']> };
export type UpdateAction = { readonly Update: NonNullable<TxItem['Update']> };
export type DeleteAction = { readonly Delete: NonNullable<TxItem['Delete']> };
export type AuditAction = PutAction | UpdateAction | DeleteAction;

type Condition = {
  readonly ConditionExpression: string;
  readonly ExpressionAttributeNames?: Record<string, string>;
  readonly ExpressionAttributeValues?: Record<string, unknown>;
};

/**
 * The head's guard. No trail yet: `attribute_not_exists(pk)` (a concurrent invocation may
 * have created it meanwhile: then re-read). Otherwise the high-water mark: only the writer
 * that read this exact position may write after it, so concurrent invocations, redeliveries
 * and replays cannot apply an entry twice (every append moves `through`, `redrives`, `holds`
 * or `requeues`).
 */
/** A counter a head written before it existed lacks: absent passes for 0. */
const optionalCounter = (name: string, expected: number): string =>
  expected === 0 ? `(attribute_not_exists(#${name}) OR #${name} = :expect_${name})` : `#${name} = :expect_${name}`;

export const headCondition = (expect: AuditPosition | null): Condition =>
  expect === null
    ? { ConditionExpression: 'attribute_not_exists(pk)' }
    : {
        // attribute names: some of these words are DynamoDB reserved words
        ConditionExpression: `#through = :expectThrough AND #redrives = :expectRedrives AND ${optionalCounter(
          'holds',
          expect.holds,
        )} AND ${optionalCounter('requeues', expect.requeues)}`,
        ExpressionAttributeNames: {
          '#through': 'through',
          '#redrives': 'redrives',
          '#holds': 'holds',
          '#requeues': 'requeues',
        },
        ExpressionAttributeValues: {
          ':expectThrough': expect.through,
          ':expectRedrives': expect.redrives,
          ':expect_holds': expect.holds,
          ':expect_requeues': expect.requeues,
        },
      };

/** Retention: the TTL attribute as a Put's item field or an Update's SET clause (nothing when null). */
const ttlParts = (ttl: number | null) =>
  ttl === null
    ? { item: {}, set: '', names: {}, values: {} }
    : {
        item: { [TTL_ATTRIBUTE]: ttl },
        set: ', #ttl = :ttl',
        names: { '#ttl': TTL_ATTRIBUTE },
        values: { ':ttl': ttl },
      };

const SUMMARY_NAMES = {
  '#segments': 'segments',
  '#through': 'through',
  '#redrives': 'redrives',
  '#holds': 'holds',
  '#requeues': 'requeues',
  '#entryCount': 'entryCount',
  '#tailBytes': 'tailBytes',
  '#updatedAt': 'updatedAt',
};

/** Creates the head (no trail yet) or moves its summary and appends to its entries. */
export const headAction = (
  tableName: string,
  messageId: string,
  step: AuditStep,
  ttl: number | null = null,
): AuditAction => {
  const expiry = ttlParts(ttl);
  if (step.expect === null) {
    return {
      Put: {
        TableName: tableName,
        Item: { ...headItem(messageId, step.headEntries, step.summary), ...expiry.item },
        ...headCondition(null),
      },
    };
  }
  const s = step.summary;
  const append = step.headEntries.length > 0;
  const guard = headCondition(step.expect);
  return {
    Update: {
      TableName: tableName,
      Key: auditKey(messageId, 0),
      UpdateExpression: `SET #segments = :segments, #through = :through, #redrives = :redrives, #holds = :holds, #requeues = :requeues, #entryCount = :entryCount, #tailBytes = :tailBytes, #updatedAt = :updatedAt${append ? ', #entries = list_append(#entries, :entries)' : ''}${expiry.set}`,
      ConditionExpression: guard.ConditionExpression,
      ExpressionAttributeNames: {
        ...SUMMARY_NAMES,
        ...guard.ExpressionAttributeNames,
        ...(append ? { '#entries': 'entries' } : {}),
        ...expiry.names,
      },
      ExpressionAttributeValues: {
        ':segments': s.segments,
        ':through': s.through,
        ':redrives': s.redrives,
        ':holds': s.holds,
        ':requeues': s.requeues,
        ':entryCount': s.entryCount,
        ':tailBytes': s.tailBytes,
        ':updatedAt': s.updatedAt,
        ...guard.ExpressionAttributeValues,
        ...(append ? { ':entries': step.headEntries } : {}),
        ...expiry.values,
      },
    },
  };
};

/** Appends to an existing later segment (created if an interrupted write left it missing). */
export const tailAction = (
  tableName: string,
  messageId: string,
  segment: number,
  entries: readonly AuditEntry[],
  ttl: number | null = null,
): AuditAction => {
  const expiry = ttlParts(ttl);
  return {
    Update: {
      TableName: tableName,
      Key: auditKey(messageId, segment),
      UpdateExpression: `SET #entries = list_append(if_not_exists(#entries, :empty), :entries), #type = :type, messageId = :messageId, #segment = :segment${expiry.set}`,
      ExpressionAttributeNames: { '#entries': 'entries', '#type': 'type', '#segment': 'segment', ...expiry.names },
      ExpressionAttributeValues: {
        ':empty': [],
        ':entries': entries,
        ':type': 'AUDIT',
        ':messageId': messageId,
        ':segment': segment,
        ...expiry.values,
      },
    },
  };
};

// later segments carry no condition of their own: the head's guard in the same
// transaction decides for the whole write
const segmentPut = (tableName: string, item: Record<string, unknown>): AuditAction => ({
  Put: { TableName: tableName, Item: item },
});

const segmentDelete = (tableName: string, messageId: string, segment: number): AuditAction => ({
  Delete: { TableName: tableName, Key: auditKey(messageId, segment) },
});

/** The actions of one planned append step, head first. */
export const stepActions = (
  tableName: string,
  messageId: string,
  step: AuditStep,
  ttl: number | null = null,
): AuditAction[] => [
  headAction(tableName, messageId, step, ttl),
  ...(step.tail !== null ? [tailAction(tableName, messageId, step.tail.segment, step.tail.entries, ttl)] : []),
  ...step.newSegments.map((s) =>
    segmentPut(tableName, { ...segmentItem(messageId, s.segment, s.entries), ...ttlParts(ttl).item }),
  ),
];

/** The entries a step writes, in trail order (what decides its TTL). */
export const stepEntries = (step: AuditStep): AuditEntry[] => [
  ...step.headEntries,
  ...(step.tail?.entries ?? []),
  ...step.newSegments.flatMap((s) => s.entries),
];

/** A whole trail as written by a rewrite: head first, keys included (the projector's rebuildAuditSegments). */
export type AuditSegmentWrite = Readonly<Record<string, unknown>> & {
  readonly pk: string;
  readonly sk: string;
  readonly segment: number;
};

/**
 * The repair variant: replaces the whole trail read as `read` with `segments`. The head is
 * a Put under the same guard as an append (the position `read` had); segments past the new
 * end are deleted in the same transaction.
 */
export const rewriteActions = (
  tableName: string,
  messageId: string,
  segments: readonly AuditSegmentWrite[],
  read: AuditTrail,
  ttl: number | null = null,
): AuditAction[] => {
  const [head, ...rest] = segments;
  const expect =
    read.summary === null
      ? null
      : {
          through: read.summary.through,
          redrives: read.summary.redrives,
          holds: read.summary.holds,
          requeues: read.summary.requeues,
        };
  const existing = [...read.segments.map((s) => s.segment), ...read.stale];
  const item = ttlParts(ttl).item;
  return [
    ...(head === undefined
      ? []
      : [{ Put: { TableName: tableName, Item: { ...head, ...item }, ...headCondition(expect) } }]),
    ...rest.map((s) => segmentPut(tableName, { ...s, ...item })),
    ...existing.filter((n) => n >= segments.length).map((n) => segmentDelete(tableName, messageId, n)),
  ];
};

/** The sort key an action writes (labels for errors: which item failed). */
export const actionSk = (a: AuditAction): string => {
  const key = 'Put' in a ? a.Put.Item : 'Update' in a ? a.Update.Key : a.Delete.Key;
  return String(key?.sk ?? '?');
};
