// ---------------------------------------------------------------------------
// model: why the state machine refuses an event (closed union)
// ---------------------------------------------------------------------------

export interface AlreadyFinal {
  readonly _tag: 'AlreadyFinal';
  readonly messageId: string;
  readonly status: 'SUCCESS' | 'FAILED';
}
export interface StaleAttempt {
  readonly _tag: 'StaleAttempt';
  readonly messageId: string;
  readonly expected: number;
  readonly got: number;
}
export interface StaleRedrive {
  readonly _tag: 'StaleRedrive';
  readonly messageId: string;
  readonly expectedRedrive: number;
  readonly gotRedrive: number;
  readonly expectedAfterAttempt: number;
  readonly gotAfterAttempt: number;
}
export interface NotRedrivable {
  readonly _tag: 'NotRedrivable';
  readonly messageId: string;
  readonly status: string;
  readonly retryEligible: boolean;
}
export interface WrongMessage {
  readonly _tag: 'WrongMessage';
  readonly messageId: string;
  readonly eventMessageId: string;
}
export interface InvalidEvent {
  readonly _tag: 'InvalidEvent';
  readonly messageId: string;
  readonly reason: string;
}

/** A hold event on a message in the wrong status (held: PENDING or a scheduled retry; released/expired: HELD). */
export interface NotHoldable {
  readonly _tag: 'NotHoldable';
  readonly messageId: string;
  readonly kind: string;
  readonly status: string;
}
/** A hold event out of sequence (number or place among the attempts and redrives). */
export interface StaleHold {
  readonly _tag: 'StaleHold';
  readonly messageId: string;
  readonly expected: string;
  readonly got: string;
}

export type TransitionError =
  | AlreadyFinal
  | StaleAttempt
  | StaleRedrive
  | NotRedrivable
  | WrongMessage
  | InvalidEvent
  | NotHoldable
  | StaleHold;

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

export const AlreadyFinal = (messageId: string, status: 'SUCCESS' | 'FAILED'): AlreadyFinal => ({
  _tag: 'AlreadyFinal',
  messageId,
  status,
});
export const StaleAttempt = (messageId: string, expected: number, got: number): StaleAttempt => ({
  _tag: 'StaleAttempt',
  messageId,
  expected,
  got,
});
export const StaleRedrive = (
  messageId: string,
  expected: { redrive: number; afterAttempt: number },
  got: { redrive: number; afterAttempt: number },
): StaleRedrive => ({
  _tag: 'StaleRedrive',
  messageId,
  expectedRedrive: expected.redrive,
  gotRedrive: got.redrive,
  expectedAfterAttempt: expected.afterAttempt,
  gotAfterAttempt: got.afterAttempt,
});
export const NotRedrivable = (messageId: string, status: string, retryEligible: boolean): NotRedrivable => ({
  _tag: 'NotRedrivable',
  messageId,
  status,
  retryEligible,
});
export const WrongMessage = (messageId: string, eventMessageId: string): WrongMessage => ({
  _tag: 'WrongMessage',
  messageId,
  eventMessageId,
});
export const InvalidEvent = (messageId: string, reason: string): InvalidEvent => ({
  _tag: 'InvalidEvent',
  messageId,
  reason,
});

export const NotHoldable = (messageId: string, kind: string, status: string): NotHoldable => ({
  _tag: 'NotHoldable',
  messageId,
  kind,
  status,
});
export const StaleHold = (messageId: string, expected: string, got: string): StaleHold => ({
  _tag: 'StaleHold',
  messageId,
  expected,
  got,
});

export const TRANSITION_ERROR_TAGS = [
  'AlreadyFinal',
  'StaleAttempt',
  'StaleRedrive',
  'NotRedrivable',
  'WrongMessage',
  'InvalidEvent',
  'NotHoldable',
  'StaleHold',
] as const satisfies ReadonlyArray<TransitionError['_tag']>;

export const isTransitionError = (u: unknown): u is TransitionError =>
  typeof u === 'object' &&
  u !== null &&
  (TRANSITION_ERROR_TAGS as ReadonlyArray<unknown>).includes((u as { _tag?: unknown })._tag);

/** One line for logs and CLI output. */
export const describeTransitionError = (e: TransitionError): string => {
  switch (e._tag) {
    case 'AlreadyFinal':
      return `message ${e.messageId} is final (${e.status})`;
    case 'StaleAttempt':
      return `message ${e.messageId}: expected attempt ${e.expected}, got ${e.got}`;
    case 'StaleRedrive':
      return `message ${e.messageId}: expected redrive ${e.expectedRedrive} after attempt ${e.expectedAfterAttempt}, got redrive ${e.gotRedrive} after attempt ${e.gotAfterAttempt}`;
    case 'NotRedrivable':
      return `message ${e.messageId} cannot be redriven (status ${e.status}, retryEligible ${e.retryEligible})`;
    case 'WrongMessage':
      return `event for message ${e.eventMessageId} applied to message ${e.messageId}`;
    case 'InvalidEvent':
      return `message ${e.messageId}: invalid event: ${e.reason}`;
    case 'NotHoldable':
      return `message ${e.messageId}: hold event '${e.kind}' does not apply to status ${e.status}`;
    case 'StaleHold':
      return `message ${e.messageId}: expected hold ${e.expected}, got ${e.got}`;
  }
};
