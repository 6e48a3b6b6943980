import type { OperatorEvent } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import type { ProjectorDeps } from '../apply/deps.js';

export type EventsReport = { readonly published: number; readonly failed: number };

const NONE: EventsReport = { published: 0, failed: 0 };

const logFailure = (deps: ProjectorDeps, error: string, events: readonly OperatorEvent[]): void =>
  deps.telemetry.logger.error('operator events not published', {
    error,
    failed: events.length,
    eventIds: events.slice(0, 20).map((e) => e.detail.eventId),
  });

/**
 * Publishes the batch's operator events after its trail writes. Best effort: a failure (after
 * the publisher's retries) is logged and counted (`EventPublishFailures`), never a batch item
 * failure, so it cannot hold the audit trail back. Never rejects.
 */
export const publishEvents = async (deps: ProjectorDeps, events: readonly OperatorEvent[]): Promise<EventsReport> => {
  if (deps.events === null || events.length === 0) return NONE;
  const result = await deps.events.publish(events).catch((e: unknown) =>
    E.left({
      _tag: 'PublishError' as const,
      message: e instanceof Error ? e.message : String(e),
      failed: events.length,
    }),
  );
  if (E.isLeft(result)) {
    deps.telemetry.count('EventPublishFailures', result.left.failed);
    deps.telemetry.count('EventsPublished', events.length - result.left.failed);
    logFailure(deps, result.left.message, events);
    return { published: events.length - result.left.failed, failed: result.left.failed };
  }
  const { published, failed } = result.right;
  deps.telemetry.count('EventsPublished', published);
  deps.telemetry.count('EventPublishFailures', failed.length);
  if (failed.length > 0) logFailure(deps, 'entries rejected after retries', failed);
  return { published, failed: failed.length };
};
