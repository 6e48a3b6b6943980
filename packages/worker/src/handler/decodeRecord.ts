import { DeliveryRequest, decodeWith } from '@delivery-history/core';
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
        decodeWith(DeliveryRequest, json),
        E.mapLeft((e) => e.message),
      ),
    ),
  );
