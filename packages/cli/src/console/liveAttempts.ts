import type { AttemptItem } from '@delivery-history/core';
import { makeStreamClients, type StreamTail, tailStream } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import { attemptsOf, hostOf, statusOf } from '../tail/tail.js';
import { outcomeCode } from '../kit/format/describe.js';
import { type Context, clientOptionsOf } from '../kit/context.js';
import { line } from './consoleHtml.js';

// The live toggle's source (`/messages/live.json`): new attempts from the table's stream, read
// as `dh tail` reads them (its decoder and status words), kept by the page's /messages filter. The stream is followed only
// while a page polls (stopped after IDLE_MS without a poll), into a bounded buffer of the newest.

const KEEP = 500;
const IDLE_MS = 60_000;

export type LiveRow = {
  readonly seq: number;
  readonly completedAt: string;
  readonly messageId: string;
  readonly attemptNumber: number;
  readonly status: string;
  readonly category: string;
  readonly code: string;
  readonly endpoint: string;
};

export type LivePoll =
  | { readonly _tag: 'starting' }
  | { readonly _tag: 'following'; readonly seq: number; readonly attempts: ReadonlyArray<LiveRow> }
  | { readonly _tag: 'failed'; readonly reason: string };

export type LiveAttempts = {
  /** Attempts after `after` (a seq from an earlier poll; none: only the current seq) that `keep` keeps. */
  poll(after: number | null, keep: (a: AttemptItem) => boolean): LivePoll;
  stop(): void;
};

/** Every string through the output rule: the page inserts them as text, already made visible. */
const rowOf = (a: AttemptItem, seq: number): LiveRow => ({
  seq,
  completedAt: a.completedAt,
  messageId: line(a.messageId),
  attemptNumber: a.attemptNumber,
  status: statusOf(a),
  category: line(a.deliveryResult.category),
  code: line(outcomeCode(a.deliveryResult)),
  endpoint: line(hostOf(a.request.url)),
});

export const liveAttempts = (ctx: Context, clock: () => number = Date.now): LiveAttempts => {
  let state: 'idle' | 'starting' | 'following' | 'stopped' = 'idle';
  let failure: string | null = null;
  let seq = 0;
  let lastPoll = 0;
  const buffer: { seq: number; attempt: AttemptItem }[] = [];

  /** Reads the stream into the buffer while followed and polled. */
  const drain = async (tail: StreamTail) => {
    while (state === 'following' && clock() - lastPoll < IDLE_MS) {
      const images = await tail.next()();
      if (E.isLeft(images)) {
        failure = images.left.message;
        return;
      }
      for (const attempt of attemptsOf(images.right)) {
        seq += 1;
        buffer.push({ seq, attempt });
      }
      if (buffer.length > KEEP) buffer.splice(0, buffer.length - KEEP);
    }
  };

  const follow = async () => {
    state = 'starting';
    failure = null;
    // the stream's own client, as `dh tail` opens it (only commands that follow the stream need one)
    const streams = makeStreamClients(clientOptionsOf(ctx.config));
    try {
      const tail = await tailStream({
        client: ctx.clients.client,
        streams: streams.streams,
        tableName: ctx.config.tableName,
      })();
      if (E.isLeft(tail)) {
        failure = tail.left.message;
        state = 'idle';
        return;
      }
      state = 'following';
      await drain(tail.right);
    } finally {
      streams.destroy();
    }
    if (state === 'following') state = 'idle';
  };

  return {
    poll: (after, keep) => {
      lastPoll = clock();
      if (state === 'idle') {
        if (failure !== null) {
          const reason = failure;
          failure = null;
          return { _tag: 'failed', reason: line(reason) };
        }
        void follow();
      }
      if (state !== 'following') return { _tag: 'starting' };
      return {
        _tag: 'following',
        seq,
        attempts:
          after === null
            ? []
            : buffer.filter((b) => b.seq > after && keep(b.attempt)).map((b) => rowOf(b.attempt, b.seq)),
      };
    },
    stop: () => {
      state = 'stopped';
    },
  };
};
