// ---------------------------------------------------------------------------
// The one SQS call the handler makes: "show this record again in delayMs".
// On AWS it is ChangeMessageVisibility; the local driver implements it in memory.
// ---------------------------------------------------------------------------

/** The parts of an SQS record needed to address it. */
export type RecordRef = {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly eventSourceARN: string;
};

export type VisibilityPort = {
  /**
   * Make the in-flight record visible again after `delayMs` (0: at once). Rejects when the
   * queue says no; the caller bounds the wait and falls back to the queue's own timeout.
   */
  changeVisibility(record: RecordRef, delayMs: number): Promise<void>;
};

/** SQS refuses a visibility timeout over 12 hours (counted from the receive). */
export const MAX_VISIBILITY_SECONDS = 12 * 60 * 60;
