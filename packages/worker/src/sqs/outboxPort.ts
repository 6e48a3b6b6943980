import type { RecordRef } from './visibilityPort.js';

// ---------------------------------------------------------------------------
// The second SQS call the handler makes: "send this body as a new message on the record's
// queue", for an observed outcome that DynamoDB could not take (docs/model.md, protocol 7).
// On AWS it is SendMessage; the local queue implements it in memory.
// ---------------------------------------------------------------------------

export type OutboxPort = {
  /** Rejects when the queue says no; the caller bounds the wait. */
  sendMessage(record: RecordRef, body: string, delayMs: number): Promise<void>;
};
