// The ONE place where AWS/SDK errors become StoreErrors. Matching is by `name`,
// `code` and `CancellationReasons[i].Code`, never `instanceof` (several SDK copies may
// be loaded, and faults injected in tests are plain errors shaped like the SDK's).
import {
  type CancellationReason,
  decodeCancellationReasons,
  decodeConditionItem,
  describeReasons,
} from './cancellationReasons.js';
import {
  Conflict,
  type Conflict as ConflictError,
  type ErrorContext,
  Invalid,
  type StoreError,
  Throttled,
  TooLarge,
  Transient,
  Unexpected,
} from './storeError.js';

/** A Conflict carries the decoded reasons so an operation can tell which condition failed. */
export type ConditionFailure = ConflictError & { readonly reasons: ReadonlyArray<CancellationReason> };

export const isConditionFailure = (e: StoreError): e is ConditionFailure =>
  e._tag === 'Conflict' && Array.isArray((e as { reasons?: unknown }).reasons);

type AwsLike = {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  CancellationReasons?: unknown;
  Item?: unknown;
};

const THROTTLE_NAMES = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
]);

const TRANSIENT_NAMES = new Set([
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  // the same ClientRequestToken is still being applied: retrying later is right
  'TransactionInProgressException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'AbortError',
]);

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const SIZE_TEXT = /size|too large/i;

const str = (u: unknown): string | undefined => (typeof u === 'string' ? u : undefined);

const fromCancellation = (ctx: ErrorContext, e: AwsLike, labels: ReadonlyArray<string>): StoreError => {
  const reasons = decodeCancellationReasons(e.CancellationReasons, labels);
  const failed = reasons.filter((r) => r.code !== 'None');
  const detail = describeReasons(failed.length > 0 ? failed : reasons);
  const first = (codes: ReadonlyArray<string>) => failed.find((r) => codes.includes(r.code));
  const ccf = first(['ConditionalCheckFailed']);
  if (ccf !== undefined) {
    // the operation interprets `reasons` (which item failed, its old value)
    return Object.assign(Conflict({ ...ctx, awsCode: ccf.code, item: ccf.label, cause: e }, detail), { reasons });
  }
  const throttle = first(['ThrottlingError', 'ProvisionedThroughputExceeded']);
  if (throttle !== undefined)
    return Throttled({ ...ctx, awsCode: throttle.code, item: throttle.label, cause: e }, detail);
  const conflict = first(['TransactionConflict']);
  if (conflict !== undefined)
    return Transient({ ...ctx, awsCode: conflict.code, item: conflict.label, cause: e }, detail);
  const tooBig = first(['ItemCollectionSizeLimitExceeded']);
  if (tooBig !== undefined) return TooLarge({ ...ctx, awsCode: tooBig.code, item: tooBig.label, cause: e }, detail);
  const invalid = first(['ValidationError']);
  if (invalid !== undefined) {
    const make = SIZE_TEXT.test(invalid.message ?? '') ? TooLarge : Invalid;
    return make({ ...ctx, awsCode: invalid.code, item: invalid.label, cause: e }, detail);
  }
  const other = failed[0];
  return Unexpected(
    {
      ...ctx,
      awsCode: other?.code ?? 'TransactionCanceledException',
      ...(other ? { item: other.label } : {}),
      cause: e,
    },
    `transaction cancelled: ${detail || str(e.message) || 'no reasons'}`,
  );
};

/**
 * Maps anything thrown by `client.send` to a StoreError. `labels` name the transaction
 * items (or the single item) so the error says which one failed.
 */
export const toStoreError =
  (ctx: ErrorContext, labels: ReadonlyArray<string> = []) =>
  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: the one flat mapping of AWS error names to StoreErrors; splitting it would scatter the table
  (thrown: unknown): StoreError => {
    const e = (typeof thrown === 'object' && thrown !== null ? thrown : {}) as AwsLike;
    const name = str(e.name) ?? 'Error';
    const code = str(e.code);
    const message = str(e.message) ?? String(thrown);
    const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
    const base = { ...ctx, awsCode: code !== undefined && NETWORK_CODES.has(code) ? code : name, cause: thrown };
    const item = labels[0];
    if (name === 'TransactionCanceledException') return fromCancellation(ctx, e, labels);
    if (name === 'ConditionalCheckFailedException') {
      const reasons: CancellationReason[] = [
        { index: 0, label: item ?? '#0', code: 'ConditionalCheckFailed', message, item: decodeConditionItem(e.Item) },
      ];
      return Object.assign(Conflict({ ...base, ...(item ? { item } : {}) }, message), { reasons });
    }
    if (name === 'IdempotentParameterMismatchException') {
      return Conflict(base, `same ClientRequestToken, different request: ${message}`);
    }
    if (THROTTLE_NAMES.has(name)) return Throttled(base, message);
    if (TRANSIENT_NAMES.has(name) || (code !== undefined && NETWORK_CODES.has(code))) return Transient(base, message);
    if (status !== undefined && status >= 500) return Transient(base, `${name} (HTTP ${status}): ${message}`);
    if (name === 'ItemCollectionSizeLimitExceededException') return TooLarge(base, message);
    if (name === 'ValidationException') {
      return SIZE_TEXT.test(message) ? TooLarge(base, message) : Invalid(base, message);
    }
    return Unexpected(base, `${name}: ${message}`);
  };
