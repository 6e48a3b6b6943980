import { createHash, randomUUID } from 'node:crypto';
import { type Clock, systemClock } from '@delivery-history/core';
import { MAX_VISIBILITY_SECONDS, type OutboxPort, type RecordRef, type VisibilityPort } from '@delivery-history/worker';
import type { SQSRecord } from 'aws-lambda';

// ---------------------------------------------------------------------------
// An in-memory queue with the SQS semantics the worker relies on: delays, a
// visibility timeout per receive, receive counts, redelivery, a DLQ once the
// receive count passes maxReceiveCount, ChangeMessageVisibility and
// DeleteMessage addressed by the latest receipt handle only.
// ---------------------------------------------------------------------------

export type LocalQueueOptions = {
  readonly clock?: Clock;
  /** The queue's default visibility timeout (SQS default 30 s). */
  readonly visibilityTimeoutMs?: number;
  /** Redrive policy: a receive beyond this count moves the message to the DLQ; null = no DLQ. */
  readonly maxReceiveCount?: number | null;
  readonly queueArn?: string;
  readonly newId?: () => string;
};

type Message = {
  readonly messageId: string;
  readonly body: string;
  readonly sentAt: number;
  visibleAt: number;
  receiveCount: number;
  firstReceiveAt: number | null;
  /** The handle of the latest receive; older ones no longer address the message. */
  receiptHandle: string | null;
};

export type DeadLetter = {
  readonly messageId: string;
  readonly body: string;
  readonly receiveCount: number;
  readonly movedAt: string;
};

export type QueueCounts = {
  /** Visible now. */
  readonly visible: number;
  /** Received at least once and not visible again yet (retries waiting here too). */
  readonly inFlight: number;
  /** Sent with a delay and never received yet. */
  readonly delayed: number;
  readonly total: number;
  readonly deadLetters: number;
};

export type QueueStats = {
  sent: number;
  received: number;
  deleted: number;
  visibilityChanges: number;
  movedToDlq: number;
  rejectedCalls: number;
};

export type LocalQueue = {
  readonly arn: string;
  send(body: string, options?: { delayMs?: number }): string;
  /** Up to `max` visible messages, each now in flight with a fresh receipt handle. */
  receive(max: number): SQSRecord[];
  /** False when the handle is stale (SQS: "succeeds but the message might not be deleted"). */
  delete(receiptHandle: string): boolean;
  /** The VisibilityPort the handler uses against this queue. */
  readonly visibility: VisibilityPort;
  /** The OutboxPort (SendMessage) the handler uses against this queue. */
  readonly outbox: OutboxPort;
  /** Make SendMessage fail (a local SQS outage for tests); false again restores it. */
  setSendFailing(failing: boolean): void;
  counts(): QueueCounts;
  /** Epoch ms when the next message becomes visible, null when empty. */
  nextVisibleAt(): number | null;
  readonly deadLetters: ReadonlyArray<DeadLetter>;
  readonly stats: Readonly<QueueStats>;
};

export class QueueCallError extends Error {
  constructor(
    readonly code: 'ReceiptHandleIsInvalid' | 'MessageNotInflight' | 'InvalidParameterValue',
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'QueueCallError';
  }
}

const md5 = (s: string): string => createHash('md5').update(s, 'utf8').digest('hex');

export const createLocalQueue = (options: LocalQueueOptions = {}): LocalQueue => {
  const clock = options.clock ?? systemClock;
  const newId = options.newId ?? randomUUID;
  const visibilityMs = options.visibilityTimeoutMs ?? 30_000;
  const maxReceive = options.maxReceiveCount === undefined ? 10 : options.maxReceiveCount;
  const arn = options.queueArn ?? 'arn:aws:sqs:local:000000000000:delivery-local';
  const messages = new Map<string, Message>();
  const byHandle = new Map<string, Message>();
  const deadLetters: DeadLetter[] = [];
  const stats: QueueStats = { sent: 0, received: 0, deleted: 0, visibilityChanges: 0, movedToDlq: 0, rejectedCalls: 0 };
  const now = () => clock().getTime();

  const forget = (m: Message): void => {
    messages.delete(m.messageId);
    if (m.receiptHandle !== null) byHandle.delete(m.receiptHandle);
  };

  const toRecord = (m: Message): SQSRecord => ({
    messageId: m.messageId,
    receiptHandle: m.receiptHandle ?? '',
    body: m.body,
    attributes: {
      ApproximateReceiveCount: String(m.receiveCount),
      SentTimestamp: String(m.sentAt),
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: String(m.firstReceiveAt ?? m.sentAt),
    },
    messageAttributes: {},
    md5OfBody: md5(m.body),
    eventSource: 'aws:sqs',
    eventSourceARN: arn,
    awsRegion: 'local',
  });

  const receiveOne = (m: Message, at: number): SQSRecord | undefined => {
    m.receiveCount++;
    if (maxReceive !== null && m.receiveCount > maxReceive) {
      // SQS's redrive policy: the receive that would exceed maxReceiveCount moves it instead.
      forget(m);
      deadLetters.push({
        messageId: m.messageId,
        body: m.body,
        receiveCount: m.receiveCount - 1,
        movedAt: new Date(at).toISOString(),
      });
      stats.movedToDlq++;
      return undefined;
    }
    if (m.receiptHandle !== null) byHandle.delete(m.receiptHandle);
    m.receiptHandle = `${m.messageId}#${m.receiveCount}#${newId()}`;
    byHandle.set(m.receiptHandle, m);
    m.firstReceiveAt ??= at;
    m.visibleAt = at + visibilityMs;
    stats.received++;
    return toRecord(m);
  };

  const changeVisibility = (ref: RecordRef, delayMs: number): Promise<void> => {
    const m = byHandle.get(ref.receiptHandle);
    const at = now();
    if (m === undefined) {
      stats.rejectedCalls++;
      return Promise.reject(
        new QueueCallError('ReceiptHandleIsInvalid', `unknown or stale receipt handle for ${ref.messageId}`),
      );
    }
    if (m.visibleAt <= at) {
      stats.rejectedCalls++;
      return Promise.reject(new QueueCallError('MessageNotInflight', `${ref.messageId} is not in flight`));
    }
    if (delayMs < 0 || delayMs > MAX_VISIBILITY_SECONDS * 1000) {
      stats.rejectedCalls++;
      return Promise.reject(new QueueCallError('InvalidParameterValue', `visibility ${delayMs} ms out of range`));
    }
    // Milliseconds, not whole seconds: keeps local retries (and tests) fast; SQS rounds up.
    m.visibleAt = at + delayMs;
    stats.visibilityChanges++;
    return Promise.resolve();
  };

  let sendFailing = false;
  const sendBody = (body: string, delayMs: number): string => {
    const at = now();
    const id = newId();
    messages.set(id, {
      messageId: id,
      body,
      sentAt: at,
      visibleAt: at + Math.max(0, delayMs),
      receiveCount: 0,
      firstReceiveAt: null,
      receiptHandle: null,
    });
    stats.sent++;
    return id;
  };

  return {
    arn,
    outbox: {
      sendMessage: (_record, body, delayMs) => {
        if (sendFailing) {
          stats.rejectedCalls++;
          return Promise.reject(new Error('local queue: SendMessage failing (simulated SQS outage)'));
        }
        sendBody(body, delayMs);
        return Promise.resolve();
      },
    },
    setSendFailing: (failing) => {
      sendFailing = failing;
    },
    send: (body, sendOptions = {}) => sendBody(body, sendOptions.delayMs ?? 0),
    receive: (max) => {
      const at = now();
      const due = [...messages.values()]
        .filter((m) => m.visibleAt <= at)
        .sort((a, b) => a.visibleAt - b.visibleAt || a.sentAt - b.sentAt);
      const out: SQSRecord[] = [];
      for (const m of due) {
        if (out.length >= max) break;
        const r = receiveOne(m, at);
        if (r !== undefined) out.push(r);
      }
      return out;
    },
    delete: (receiptHandle) => {
      const m = byHandle.get(receiptHandle);
      if (m === undefined) return false;
      forget(m);
      stats.deleted++;
      return true;
    },
    visibility: { changeVisibility },
    counts: () => {
      const at = now();
      let visible = 0;
      let inFlight = 0;
      let delayed = 0;
      for (const m of messages.values()) {
        if (m.visibleAt <= at) visible++;
        else if (m.receiptHandle !== null) inFlight++;
        else delayed++;
      }
      return { visible, inFlight, delayed, total: messages.size, deadLetters: deadLetters.length };
    },
    nextVisibleAt: () => {
      let next: number | null = null;
      for (const m of messages.values()) if (next === null || m.visibleAt < next) next = m.visibleAt;
      return next;
    },
    deadLetters,
    stats,
  };
};
