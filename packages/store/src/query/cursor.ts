import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { type ErrorContext, Invalid, type StoreError } from '../errors/storeError.js';

// Cursors are opaque to callers: base64url JSON, decoded with io-ts on the way back in.

export const encodeCursor = (value: unknown): string =>
  Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

export const decodeCursor = <A>(
  codec: t.Type<A, unknown, unknown>,
  cursor: string,
  ctx: ErrorContext,
): E.Either<StoreError, A> => {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return E.left(Invalid(ctx, 'cursor is not one this store issued'));
  }
  const decoded = codec.decode(json);
  return E.isRight(decoded) ? decoded : E.left(Invalid(ctx, 'cursor is not one this store issued'));
};
