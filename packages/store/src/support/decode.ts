import { decodeWith } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type * as t from 'io-ts';
import { Corrupt, type ErrorContext, type StoreError } from '../errors/storeError.js';

/** Decodes an item read from DynamoDB; a mismatch is `Corrupt` (stored data we cannot trust). */
export const decodeItem = <A, O>(
  codec: t.Type<A, O, unknown>,
  raw: unknown,
  ctx: ErrorContext,
): E.Either<StoreError, A> =>
  pipe(
    decodeWith(codec, raw),
    E.mapLeft((d) => Corrupt({ ...ctx, cause: d }, d.message)),
  );
