import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';

// ---------------------------------------------------------------------------
// model: one entry of TransactionCanceledException.CancellationReasons, decoded
// ---------------------------------------------------------------------------

export type CancellationReason = {
  /** Position of the action in TransactItems. */
  readonly index: number;
  /** Which item that was (e.g. `ATTEMPT#000003`, `STATE`), as the caller labelled it. */
  readonly label: string;
  /** `None`, `ConditionalCheckFailed`, `TransactionConflict`, `ThrottlingError`, ... */
  readonly code: string;
  readonly message: string | undefined;
  /** The old item (ReturnValuesOnConditionCheckFailure ALL_OLD), unmarshalled, not decoded. */
  readonly item: Record<string, unknown> | undefined;
};

// lib-dynamodb leaves `Item` in AttributeValue form: decode its shape loosely here, then
// unmarshall; the operations decode the result with core's codecs.
const RawReason = t.partial({
  Code: t.string,
  Message: t.string,
  Item: t.record(t.string, t.UnknownRecord),
});
const RawReasons = t.array(RawReason);

const unmarshallSafe = (raw: Record<string, unknown>): Record<string, unknown> | undefined => {
  try {
    return unmarshall(raw as Record<string, AttributeValue>);
  } catch {
    return undefined;
  }
};

/** Decodes `CancellationReasons` (unknown shape from the SDK) into labelled reasons; [] if absent or malformed. */
export const decodeCancellationReasons = (
  raw: unknown,
  labels: ReadonlyArray<string>,
): ReadonlyArray<CancellationReason> => {
  const decoded = RawReasons.decode(raw);
  if (E.isLeft(decoded)) return [];
  return decoded.right.map((r, index) => ({
    index,
    label: labels[index] ?? `#${index}`,
    code: r.Code ?? 'None',
    message: r.Message,
    item: r.Item === undefined ? undefined : unmarshallSafe(r.Item),
  }));
};

/** Unmarshalls the `Item` of a ConditionalCheckFailedException (ALL_OLD), if any. */
export const decodeConditionItem = (raw: unknown): Record<string, unknown> | undefined => {
  const decoded = t.record(t.string, t.UnknownRecord).decode(raw);
  return E.isRight(decoded) ? unmarshallSafe(decoded.right) : undefined;
};

/** `ATTEMPT#000003: ConditionalCheckFailed (msg); STATE: None` for logs. */
export const describeReasons = (reasons: ReadonlyArray<CancellationReason>): string =>
  reasons
    .map((r) => `${r.label}: ${r.code}${r.message !== undefined && r.code !== 'None' ? ` (${r.message})` : ''}`)
    .join('; ');
