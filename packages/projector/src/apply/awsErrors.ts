import * as TE from 'fp-ts/lib/TaskEither.js';
import { DynamoFailure } from '../errors.js';
import type { ProjectorDeps } from './deps.js';

// Classification by error `name` and cancellation `Code` (not instanceof: the SDK's classes
// differ between packages and versions).

type AwsLike = {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
  readonly CancellationReasons?: ReadonlyArray<{ readonly Code?: unknown } | undefined>;
};

const RETRYABLE_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
  'TransactionInProgressException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);
const RETRYABLE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND']);
const RETRYABLE_REASONS = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'TransactionConflict']);

export const cancellationCodes = (e: unknown): string[] =>
  ((e as AwsLike | null)?.CancellationReasons ?? []).map((r) => (typeof r?.Code === 'string' ? r.Code : 'None'));

/** A conditional write found the item not as expected (single write or transaction item 0). */
export const isConditionFailure = (e: unknown): boolean => {
  const name = (e as AwsLike | null)?.name;
  if (name === 'ConditionalCheckFailedException') return true;
  return name === 'TransactionCanceledException' && cancellationCodes(e)[0] === 'ConditionalCheckFailed';
};

const isRetryable = (e: AwsLike, name: string): boolean => {
  if (RETRYABLE_NAMES.has(name)) return true;
  if (typeof e.code === 'string' && RETRYABLE_CODES.has(e.code)) return true;
  if (name === 'TransactionCanceledException') return cancellationCodes(e).some((c) => RETRYABLE_REASONS.has(c));
  const status = e.$metadata?.httpStatusCode;
  return typeof status === 'number' && status >= 500;
};

export const toDynamoFailure =
  (op: string, messageId: string | null) =>
  (e: unknown): DynamoFailure => {
    const aws = (typeof e === 'object' && e !== null ? e : {}) as AwsLike;
    const name = typeof aws.name === 'string' ? aws.name : 'Error';
    const reasons = name === 'TransactionCanceledException' ? ` [${cancellationCodes(e).join(',')}]` : '';
    return DynamoFailure({
      op,
      messageId,
      awsCode: name,
      retryable: isRetryable(aws, name),
      message: `${typeof aws.message === 'string' ? aws.message : String(e)}${reasons}`,
      cause: e,
    });
  };

/** Capped exponential backoff with full jitter. */
export const backoffMs = (deps: Pick<ProjectorDeps, 'retry' | 'random'>, attempt: number): number =>
  Math.floor(deps.random() * Math.min(deps.retry.maxMs, deps.retry.baseMs * 2 ** attempt));

/** `client.send` as a TaskEither; throttled/transient failures retried per `deps.retry`. */
export const callDynamo = <A>(
  deps: Pick<ProjectorDeps, 'retry' | 'random' | 'sleep'>,
  op: string,
  messageId: string | null,
  send: () => Promise<A>,
): TE.TaskEither<DynamoFailure, A> => {
  const attempt =
    (n: number): TE.TaskEither<DynamoFailure, A> =>
    async () => {
      const r = await TE.tryCatch(send, toDynamoFailure(op, messageId))();
      if (r._tag === 'Right' || !r.left.retryable || n >= deps.retry.maxRetries) return r;
      await deps.sleep(backoffMs(deps, n));
      return attempt(n + 1)();
    };
  return attempt(0);
};
