// ---------------------------------------------------------------------------
// model: the closed union of what a store operation can fail with
// ---------------------------------------------------------------------------

/** Fields every store error carries. */
interface Base {
  /** Stable, unique code (see STORE_ERROR_CODES and the README table). */
  readonly code: string;
  /** One line for logs and CLI output. */
  readonly message: string;
  /** The store operation that failed (`appendAttempt`, `claim`, ...). */
  readonly op: string;
  readonly messageId?: string;
  readonly attemptNumber?: number;
  readonly correlationId?: string;
  /** DynamoDB error name or cancellation reason code, when DynamoDB said no. */
  readonly awsCode?: string;
  /** Which transaction item / key failed (e.g. `ATTEMPT#000003`, `STATE`). */
  readonly item?: string;
  readonly cause?: unknown;
}

export interface NotFound extends Base {
  readonly _tag: 'NotFound';
}
export interface AlreadyFinal extends Base {
  readonly _tag: 'AlreadyFinal';
  readonly status: 'SUCCESS' | 'FAILED';
  readonly attempts: number;
}
export interface Leased extends Base {
  readonly _tag: 'Leased';
  readonly expiresAt: string;
}
export interface NotDue extends Base {
  readonly _tag: 'NotDue';
  readonly nextAttemptAt: string;
}
export interface Conflict extends Base {
  readonly _tag: 'Conflict';
}
export interface NotRedrivable extends Base {
  readonly _tag: 'NotRedrivable';
  readonly status: string;
  readonly retryEligible: boolean;
}
export interface Throttled extends Base {
  readonly _tag: 'Throttled';
}
export interface Transient extends Base {
  readonly _tag: 'Transient';
}
export interface TooLarge extends Base {
  readonly _tag: 'TooLarge';
}
export interface Invalid extends Base {
  readonly _tag: 'Invalid';
}
export interface Corrupt extends Base {
  readonly _tag: 'Corrupt';
}
export interface Unexpected extends Base {
  readonly _tag: 'Unexpected';
}

export type StoreError =
  | NotFound
  | AlreadyFinal
  | Leased
  | NotDue
  | Conflict
  | NotRedrivable
  | Throttled
  | Transient
  | TooLarge
  | Invalid
  | Corrupt
  | Unexpected;

export type StoreErrorTag = StoreError['_tag'];

/** Unique, documented codes (errors.test.ts checks uniqueness; README lists them). */
export const STORE_ERROR_CODES = {
  NotFound: 'STORE_NOT_FOUND',
  AlreadyFinal: 'STORE_ALREADY_FINAL',
  Leased: 'STORE_LEASED',
  NotDue: 'STORE_NOT_DUE',
  Conflict: 'STORE_CONFLICT',
  NotRedrivable: 'STORE_NOT_REDRIVABLE',
  Throttled: 'STORE_THROTTLED',
  Transient: 'STORE_TRANSIENT',
  TooLarge: 'STORE_TOO_LARGE',
  Invalid: 'STORE_INVALID',
  Corrupt: 'STORE_CORRUPT',
  Unexpected: 'STORE_UNEXPECTED',
} as const satisfies Record<StoreErrorTag, string>;

export const STORE_ERROR_TAGS = Object.keys(STORE_ERROR_CODES) as ReadonlyArray<StoreErrorTag>;

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

/** Context shared by the constructors: where it happened. */
export type ErrorContext = Omit<Base, 'code' | 'message'>;

const make =
  <T extends StoreErrorTag>(tag: T) =>
  <X extends object>(ctx: ErrorContext & X, message: string): Extract<StoreError, { _tag: T }> =>
    ({ _tag: tag, code: STORE_ERROR_CODES[tag], message, ...ctx }) as unknown as Extract<StoreError, { _tag: T }>;

export const NotFound = (ctx: ErrorContext, message = `message ${ctx.messageId ?? '?'} not found`): NotFound =>
  make('NotFound')(ctx, message);
export const AlreadyFinal = (
  ctx: ErrorContext & { status: 'SUCCESS' | 'FAILED'; attempts: number },
  message = `message ${ctx.messageId ?? '?'} is final (${ctx.status} after ${ctx.attempts} attempts)`,
): AlreadyFinal => make('AlreadyFinal')(ctx, message);
export const Leased = (
  ctx: ErrorContext & { expiresAt: string },
  message = `message ${ctx.messageId ?? '?'} is leased by another writer until ${ctx.expiresAt}`,
): Leased => make('Leased')(ctx, message);
export const NotDue = (
  ctx: ErrorContext & { nextAttemptAt: string },
  message = `message ${ctx.messageId ?? '?'} is not due before ${ctx.nextAttemptAt}`,
): NotDue => make('NotDue')(ctx, message);
export const Conflict = (ctx: ErrorContext, message: string): Conflict => make('Conflict')(ctx, message);
export const NotRedrivable = (
  ctx: ErrorContext & { status: string; retryEligible: boolean },
  message = `message ${ctx.messageId ?? '?'} cannot be redriven (status ${ctx.status}, retryEligible ${ctx.retryEligible})`,
): NotRedrivable => make('NotRedrivable')(ctx, message);
export const Throttled = (ctx: ErrorContext, message: string): Throttled => make('Throttled')(ctx, message);
export const Transient = (ctx: ErrorContext, message: string): Transient => make('Transient')(ctx, message);
export const TooLarge = (ctx: ErrorContext, message: string): TooLarge => make('TooLarge')(ctx, message);
export const Invalid = (ctx: ErrorContext, message: string): Invalid => make('Invalid')(ctx, message);
export const Corrupt = (ctx: ErrorContext, message: string): Corrupt => make('Corrupt')(ctx, message);
export const Unexpected = (ctx: ErrorContext, message: string): Unexpected => make('Unexpected')(ctx, message);

// ---------------------------------------------------------------------------
// guards
// ---------------------------------------------------------------------------

export const isStoreError = (u: unknown): u is StoreError =>
  typeof u === 'object' &&
  u !== null &&
  (STORE_ERROR_TAGS as ReadonlyArray<unknown>).includes((u as { _tag?: unknown })._tag) &&
  typeof (u as { code?: unknown }).code === 'string';

const is =
  <T extends StoreErrorTag>(tag: T) =>
  (e: StoreError): e is Extract<StoreError, { _tag: T }> =>
    e._tag === tag;

export const isNotFound = is('NotFound');
export const isAlreadyFinal = is('AlreadyFinal');
export const isLeased = is('Leased');
export const isNotDue = is('NotDue');
export const isConflict = is('Conflict');
export const isNotRedrivable = is('NotRedrivable');
export const isThrottled = is('Throttled');
export const isTransient = is('Transient');
export const isTooLarge = is('TooLarge');
export const isInvalid = is('Invalid');

/** Worth retrying the whole operation later (the store already retried Throttled/Transient). */
export const isRetryable = (e: StoreError): boolean =>
  e._tag === 'Throttled' || e._tag === 'Transient' || e._tag === 'Unexpected';

/** `CODE op message [aws=X item=Y]` on one line. */
export const describeStoreError = (e: StoreError): string => {
  const extra = [e.awsCode !== undefined ? `aws=${e.awsCode}` : '', e.item !== undefined ? `item=${e.item}` : '']
    .filter((s) => s !== '')
    .join(' ');
  return `${e.code} ${e.op}: ${e.message}${extra === '' ? '' : ` [${extra}]`}`;
};
