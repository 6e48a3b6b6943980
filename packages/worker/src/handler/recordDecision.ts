// ---------------------------------------------------------------------------
// What happens to one SQS record after the handler looked at it.
// ---------------------------------------------------------------------------

export type RecordDecision =
  /** Nothing more to do for this record: SQS deletes it. */
  | { readonly _tag: 'Done'; readonly reason: string }
  /** Report failure and show it again in `delayMs` (retry schedule, lease or not-due wait). */
  | { readonly _tag: 'RetryIn'; readonly delayMs: number; readonly reason: string }
  /** Report failure, leave the visibility as is: SQS's own timeout brings it back (store trouble). */
  | { readonly _tag: 'Redeliver'; readonly reason: string }
  /**
   * Never processable (undecodable body, id reused for another request...): report failure with
   * visibility 0, so it cycles quickly to the queue's maxReceiveCount and the redrive policy
   * moves it to the DLQ, where an operator finds it with the logged reason.
   */
  | { readonly _tag: 'Poison'; readonly reason: string }
  /**
   * The HTTP exchange happened but its append failed after the store's retries: send `body`
   * (the request with its `observed` exchange) as a new message in `delayMs`, then delete this
   * record. If that send fails too, report failure (SQS redelivers; the claim's takeover
   * records the attempt as `lost` once the lease has expired).
   */
  | {
      readonly _tag: 'Handoff';
      readonly body: string;
      readonly delayMs: number;
      readonly reason: string;
      /** For the log line: which message and attempt. */
      readonly keys: Readonly<Record<string, string | number>>;
    };

export const Done = (reason: string): RecordDecision => ({ _tag: 'Done', reason });
export const RetryIn = (delayMs: number, reason: string): RecordDecision => ({
  _tag: 'RetryIn',
  delayMs: Math.max(0, Math.ceil(delayMs)),
  reason,
});
export const Redeliver = (reason: string): RecordDecision => ({ _tag: 'Redeliver', reason });
export const Poison = (reason: string): RecordDecision => ({ _tag: 'Poison', reason });
export const Handoff = (
  body: string,
  delayMs: number,
  reason: string,
  keys: Readonly<Record<string, string | number>>,
): RecordDecision => ({
  _tag: 'Handoff',
  body,
  delayMs: Math.max(0, Math.ceil(delayMs)),
  reason,
  keys,
});

/** A failed record carries its decision to the batch processor. */
export class RecordNotDone extends Error {
  constructor(readonly decision: Exclude<RecordDecision, { _tag: 'Done' }>) {
    super(`${decision._tag}: ${decision.reason}`);
    this.name = 'RecordNotDone';
  }
}
