import { createStore, type DocumentClient, type StoreError, type StoreResult } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { Progress } from '../format/progress.js';
import { forEachParallel, listSource, type Page, type PagedSource } from './forEachParallel.js';

type RawItem = StoreResult<'readPartition'>[number];
type ScannedMessage = StoreResult<'scanMessages'>['items'][number];

// Raw reads for verify and replay, by the store's operations (retried, classified once):
// items exactly as stored (keys and index attributes included), so sizes are measured on
// the real item and an item that does not decode is reported instead of failing the page.

export type { RawItem, ScannedMessage };

// A failure is the store's StoreError, as a value, up to the command's one failure union.
export type TableReader = {
  /**
   * The messages (partitions with a STATE) of one scan segment, each with its items: one
   * Scan call per page instead of a Query per message. A partition's items are contiguous
   * in a scan segment; one cut by the page boundary comes back once, as `items: null`.
   */
  scanMessages(
    segment: number,
    totalSegments: number,
    cursor: string | null,
    limit?: number,
  ): TE.TaskEither<StoreError, Page<ScannedMessage>>;
  /** Every item of one message (one partition), in sort-key order, strongly consistent. */
  readPartition(messageId: string): TE.TaskEither<StoreError, RawItem[]>;
  /** How many messages (STATE items) the table holds: a COUNT scan, for progress ETA. */
  countMessages(totalSegments: number): TE.TaskEither<StoreError, number>;
};

/**
 * Items per scan page for replay and verify. DynamoDB fills a page up to 1 MB; with the page
 * budget (forEachParallel.ts) that made memory grow with the table until every held page was
 * full (small tables have short segments). A fixed count keeps pages, and so memory, the
 * same size at any table size; ~100 messages a page costs a few more Scan calls, no speed.
 */
const SCAN_PAGE_ITEMS = 300;

/** The messages to look at: these ids (each read whole), or the whole table by scan segments. */
export const messageSource = (
  reader: TableReader,
  messageIds: ReadonlyArray<string> | undefined,
): PagedSource<StoreError, ScannedMessage> =>
  messageIds !== undefined
    ? listSource(messageIds.map((messageId) => ({ messageId, items: null })))
    : (segment, total, cursor) => reader.scanMessages(segment, total, cursor, SCAN_PAGE_ITEMS)();

export type PassOptions = {
  /** These messages only (each read whole); default: the whole table by scan segments. */
  readonly messageIds?: ReadonlyArray<string> | undefined;
  readonly segments: number;
  readonly concurrency?: number | undefined;
  readonly pageBudget?: number | undefined;
};

/**
 * `work` over the messages (verify, replay): counted first for the progress bar's total (the
 * ids given, else a COUNT scan), then the parallel pass; the progress is stopped however it
 * ends. The first failure (a read, or `work`'s) stops the pass and is returned.
 */
export const forEachMessage = async (
  reader: TableReader,
  o: PassOptions,
  progress: Progress | undefined,
  work: (m: ScannedMessage) => Promise<E.Either<StoreError, unknown>>,
): Promise<E.Either<StoreError, void>> => {
  const total = o.messageIds !== undefined ? E.right(o.messageIds.length) : await reader.countMessages(o.segments)();
  if (E.isLeft(total)) return total;
  progress?.start(total.right);
  try {
    return await forEachParallel(messageSource(reader, o.messageIds), work, {
      segments: o.messageIds !== undefined ? 1 : o.segments,
      concurrency: o.concurrency ?? 4,
      ...(o.pageBudget !== undefined ? { pageBudget: o.pageBudget } : {}),
    });
  } finally {
    progress?.stop();
  }
};

export const tableReader = (doc: DocumentClient, tableName: string): TableReader => {
  const store = createStore({ doc, tableName });
  return {
    scanMessages: (segment, totalSegments, cursor, limit) =>
      store.scanMessages({ segment, totalSegments, cursor, ...(limit !== undefined ? { limit } : {}) }),
    readPartition: (messageId) => store.readPartition(messageId),
    countMessages: (totalSegments) => store.countMessages(totalSegments),
  };
};
