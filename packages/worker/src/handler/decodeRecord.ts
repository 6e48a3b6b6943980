import { DeliveryRequest, decodeWith, ObservedExchange } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';

// ---------------------------------------------------------------------------
// SQS body -> DeliveryRequest. The Left is a one-line reason for the logs / DLQ triage.
// ---------------------------------------------------------------------------

const parseJson = (body: string): E.Either<string, unknown> =>
  E.tryCatch(
    () => JSON.parse(body) as unknown,
    (e) => `body is not JSON (${e instanceof Error ? e.message : String(e)})`,
  );

export const decodeRecordBody = (body: string): E.Either<string, DeliveryRequest> =>
  pipe(
    parseJson(body),
    E.chain((json) =>
      pipe(
        // the reporter is bounded; a throw here would still be a data problem, not a bug
        E.tryCatch(
          () => decodeWith(DeliveryRequest, json),
          (e) => `body could not be checked (${e instanceof Error ? e.message : String(e)})`,
        ),
        E.chain(E.mapLeft((e) => e.message)),
      ),
    ),
  );

/** A record body: the delivery request and, when the worker sent it back, the exchange to record. */
export type RecordBody = { readonly request: DeliveryRequest; readonly observed: ObservedExchange | null };

const observedOf = (json: unknown): E.Either<string, ObservedExchange | null> => {
  const raw = typeof json === 'object' && json !== null ? (json as { observed?: unknown }).observed : undefined;
  if (raw === undefined || raw === null) return E.right(null);
  return pipe(
    E.tryCatch(
      () => decodeWith(ObservedExchange, raw),
      (e) => `observed could not be checked (${e instanceof Error ? e.message : String(e)})`,
    ),
    E.chain(E.mapLeft((e) => e.message)),
  );
};

/** The SQS body with its optional `observed` field (docs/model.md, protocol 7). */
export const decodeRecord = (body: string): E.Either<string, RecordBody> =>
  pipe(
    decodeRecordBody(body),
    E.chain((request) =>
      pipe(
        parseJson(body),
        E.chain(observedOf),
        E.map((observed) => ({ request, observed })),
      ),
    ),
  );
